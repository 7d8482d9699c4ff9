// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest'
import { h } from 'vue'
import { MIN_FONT_SIZE } from './diagram-kit.ts'
import DiagramArrow from './DiagramArrow.vue'
import DiagramBox from './DiagramBox.vue'
import DiagramCanvas from './DiagramCanvas.vue'
import DiagramGroup from './DiagramGroup.vue'
import DiagramLabel from './DiagramLabel.vue'
import { accessibleName, mountDiagram } from './test-utils.ts'

describe('diagramCanvas', () => {
  it('is an SVG image named by its title, with the given coordinate system', () => {
    const w = mountDiagram(DiagramCanvas, { title: '部品の見本', width: 600, height: 200 })
    expect(accessibleName(w)).toBe('部品の見本')
    expect(w.find('svg').attributes('viewBox')).toBe('0 0 600 200')
  })
})

describe('diagramBox', () => {
  it('draws a frame and one tspan per explicit line, title bold and detail regular', () => {
    const w = mountDiagram(DiagramBox, {
      x: 0,
      y: 0,
      w: 260,
      h: 160,
      label: 'イベントドリブン\nアーキテクチャ',
      detail: ['詳細'],
    })
    expect(w.find('rect').attributes('width')).toBe('260')
    const spans = w.findAll('tspan')
    expect(spans.map(s => s.text())).toEqual(['イベントドリブン', 'アーキテクチャ', '詳細'])
    expect(spans.map(s => s.attributes('font-weight'))).toEqual(['700', '700', '400'])
  })

  it('shrinks a label that would not fit instead of wrapping it', () => {
    const w = mountDiagram(DiagramBox, {
      x: 0,
      y: 0,
      w: 280,
      h: 80,
      label: 'フルマネージドサービス',
      size: 26,
    })
    const size = Number(w.find('tspan').attributes('font-size'))
    expect(size).toBeLessThan(26)
    expect(size * 11).toBeLessThanOrEqual(280 - 28)
    expect(size).toBe(22)
  })

  it('never shrinks text below the minimum size, however narrow or short the box', () => {
    const w = mountDiagram(DiagramBox, {
      x: 0,
      y: 0,
      w: 120,
      h: 40,
      label: 'フルマネージドサービス',
      detail: ['二行の', '詳細'],
    })
    const sizes = w.findAll('tspan').map(t => Number(t.attributes('font-size')))
    expect(sizes).toHaveLength(3)
    for (const s of sizes)
      expect(s).toBe(MIN_FONT_SIZE)
  })

  it('marks tone and emphasis (thicker frame) and colours through theme variables', () => {
    const w = mountDiagram(DiagramBox, {
      x: 0,
      y: 0,
      w: 100,
      h: 60,
      label: 'A',
      tone: 'primary',
      emphasis: true,
    })
    expect(w.find('.diagram-box').attributes('data-tone')).toBe('primary')
    expect(w.find('rect').attributes('stroke-width')).toBe('4')
    expect(w.find('rect').attributes('style')).toContain('var(--talk-primary)')
  })
})

describe('diagramArrow', () => {
  it('draws a line with one head by default, two with head="both", and an optional label', () => {
    expect(mountDiagram(DiagramArrow, {
      from: [0, 0],
      to: [100, 0],
    }).findAll('polygon')).toHaveLength(1)
    const both = mountDiagram(DiagramArrow, {
      from: [0, 0],
      to: [100, 0],
      head: 'both',
      label: '呼び出し',
      dashed: true,
    })
    expect(both.findAll('polygon')).toHaveLength(2)
    expect(both.find('path').attributes('stroke-dasharray')).toBeTruthy()
    expect(both.find('text').text()).toBe('呼び出し')
  })
})

describe('diagramLabel', () => {
  it('stacks explicit lines around y', () => {
    const w = mountDiagram(DiagramLabel, {
      x: 10,
      y: 100,
      text: ['一行目', '二行目'],
      size: 20,
    })
    const ys = w.findAll('tspan').map(s => Number(s.attributes('y')))
    expect(ys).toEqual([87, 113])
  })
})

describe('diagramGroup', () => {
  it('gets a click step only when step is set', () => {
    const still = mountDiagram(DiagramGroup, { part: 'a' })
    expect(still.find('[data-part="a"]').attributes('data-test-click')).toBeUndefined()
    const stepped = mountDiagram(DiagramGroup, { part: 'a', step: true })
    expect(stepped.find('[data-part="a"]').attributes('data-test-click')).toBe('1')
  })

  it('draws a labelled frame when given a size, and renders its content', () => {
    const w = mountDiagram({
      render: () => h(DiagramGroup, {
        x: 0,
        y: 0,
        w: 300,
        h: 200,
        label: '枠',
      }, () => h('circle', { r: 4 })),
    })
    expect(w.find('.diagram-group-frame rect').attributes('width')).toBe('300')
    expect(w.find('.diagram-group-frame text').text()).toBe('枠')
    expect(w.find('circle').exists()).toBe(true)
  })
})
