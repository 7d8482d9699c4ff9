import { describe, expect, it } from 'vitest'
import { arrowGeometry, estimateWidthEm, fitFontSize, mergeLabels, MIN_FONT_SIZE, stackRows, textBlockHeight, toLines } from './diagram-kit.ts'

describe('toLines', () => {
  it('splits on arrays and on \\n, never elsewhere', () => {
    expect(toLines('イベントドリブンアーキテクチャ')).toEqual(['イベントドリブンアーキテクチャ'])
    expect(toLines('イベントドリブン\nアーキテクチャ')).toEqual(['イベントドリブン', 'アーキテクチャ'])
    expect(toLines(['a', 'b\nc'])).toEqual(['a', 'b', 'c'])
    expect(toLines(undefined)).toEqual([])
  })
})

describe('estimateWidthEm and fitFontSize', () => {
  it('counts Japanese as full width and Latin as narrower', () => {
    expect(estimateWidthEm('サーバーレス')).toBe(6)
    expect(estimateWidthEm('abc')).toBeLessThan(2)
    expect(estimateWidthEm('DB 専用')).toBeGreaterThan(3)
  })

  it('keeps the preferred size when a label fits and shrinks it when it does not', () => {
    expect(fitFontSize(['関数'], 22, 200)).toBe(22)
    // 11 full-width characters in 240 units: 21 per character at most.
    expect(fitFontSize(['フルマネージドサービス'], 24, 240)).toBe(21)
    // 11 in 200 would need 18: never below the minimum (20 px on the canvas), the label must be split instead.
    expect(fitFontSize(['フルマネージドサービス'], 22, 200)).toBe(MIN_FONT_SIZE)
    expect(fitFontSize(['とても長いラベルをそのまま一行に入れようとする'], 22, 100)).toBe(MIN_FONT_SIZE)
    expect(fitFontSize(['とても長い'], 22, 100, 16)).toBe(20)
  })

  it('keeps the minimum at 20 px once an 880-unit diagram is scaled into the slide (about 0.986)', () => {
    expect(MIN_FONT_SIZE * 0.986).toBeGreaterThanOrEqual(20)
  })
})

describe('stackRows', () => {
  it('centres title and detail rows as one block, titles bold', () => {
    const rows = stackRows(['題'], 20, ['一', '二'], 16)
    expect(rows.map(r => r.bold)).toEqual([true, false, false])
    expect(rows[0]!.dy).toBeLessThan(rows[1]!.dy)
    const top = rows[0]!.dy - rows[0]!.size * 0.65
    const bottom = rows[2]!.dy + rows[2]!.size * 0.65
    expect(Math.abs(top + bottom)).toBeLessThan(0.001)
    expect(textBlockHeight(rows)).toBeCloseTo(bottom - top)
  })
})

describe('arrowGeometry', () => {
  it('stops the line short of the head and points the head at the target', () => {
    const g = arrowGeometry({
      from: [0, 0],
      to: [100, 0],
      head: 'end',
      headSize: 10,
    })
    expect(g.heads).toHaveLength(1)
    expect(g.heads[0]!.startsWith('100,0 ')).toBe(true)
    expect(g.path).toBe('M 0 0 L 92 0')
    expect(g.mid).toEqual([50, 0])
  })

  it('draws both heads, none, curves and routed lines', () => {
    expect(arrowGeometry({
      from: [0, 0],
      to: [100, 0],
      head: 'both',
      headSize: 10,
    }).heads).toHaveLength(2)
    expect(arrowGeometry({
      from: [0, 0],
      to: [100, 0],
      head: 'none',
      headSize: 10,
    }).path).toBe('M 0 0 L 100 0')
    expect(arrowGeometry({
      from: [0, 0],
      to: [100, 0],
      head: 'none',
      bend: 20,
      headSize: 10,
    }).path).toMatch(/^M 0 0 Q 50 20 100 0$/)
    const routed = arrowGeometry({
      from: [0, 0],
      via: [
        [0, 50],
        [100, 50],
      ],
      to: [100, 0],
      head: 'end',
      headSize: 10,
    })
    expect(routed.path).toBe('M 0 0 L 0 50 L 100 50 L 100 8')
    // The head of a routed line points along its last segment (upwards here).
    expect(routed.heads[0]!.startsWith('100,0 ')).toBe(true)
  })
})

describe('mergeLabels', () => {
  it('overrides one field of a nested label without losing the others', () => {
    const defaults = {
      center: 'サーバーレス',
      managed: {
        title: 'A',
        detail: ['x', 'y'],
      },
    }
    expect(mergeLabels(defaults, {
      managed: { title: 'B' },
    })).toEqual({
      center: 'サーバーレス',
      managed: {
        title: 'B',
        detail: ['x', 'y'],
      },
    })
    expect(mergeLabels(defaults, undefined)).toBe(defaults)
  })
})
