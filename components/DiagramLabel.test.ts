// @vitest-environment happy-dom
import { mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import DiagramLabel from './DiagramLabel.vue'

describe('diagramLabel', () => {
  it('draws a halo as a plate behind plain text, never as stroked text (which PDFs read twice)', () => {
    const w = mount(DiagramLabel, {
      props: {
        x: 100,
        y: 50,
        text: 'イベント',
        size: 20,
        halo: true,
      },
    })
    const plate = w.find('rect.diagram-label-plate')
    expect(plate.exists()).toBe(true)
    // Four full-width characters at 20px plus padding, centred on x.
    expect(Number(plate.attributes('width'))).toBeGreaterThanOrEqual(80)
    expect(Number(plate.attributes('x'))).toBeLessThan(100 - 40)
    const text = w.find('text.diagram-label')
    expect(text.attributes('style') ?? '').not.toMatch(/stroke/)
    expect(text.attributes('paint-order')).toBeUndefined()
    expect(text.text()).toBe('イベント')
  })

  it('has no plate without halo, and one tspan per explicit line', () => {
    const w = mount(DiagramLabel, {
      props: {
        x: 0,
        y: 0,
        text: ['一行目', '二行目'],
      },
    })
    expect(w.find('rect').exists()).toBe(false)
    expect(w.findAll('tspan').map(t => t.text())).toEqual(['一行目', '二行目'])
  })
})
