import { describe, expect, it } from 'vitest'
import { kindOf } from './audience.ts'
import { compare, stats, updateReport } from './harness.ts'
import { stripAddons } from './plain.ts'

const machine = {
  cpu: 'Test CPU',
  cores: 2,
  memoryGiB: 4,
  node: 'v24',
  os: 'linux',
}

describe('bench harness', () => {
  it('computes median, min and max', () => {
    expect(stats([3, 1, 2])).toMatchObject({ median: 2, min: 1, max: 3 })
    expect(stats([4, 1, 2, 3]).median).toBe(2.5)
  })

  it('alternates the compared commands after the warm-up', async () => {
    const order: string[] = []
    const result = await compare([
      {
        name: 'a',
        run: async (i) => {
          order.push(`a${i}`)
          return i
        },
      },
      {
        name: 'b',
        run: async (i) => {
          order.push(`b${i}`)
          return i
        },
      },
    ], { runs: 2, warmup: 1 })
    expect(order).toEqual(['a0', 'b0', 'b1', 'a1', 'a2', 'b2'])
    expect(result.map(r => r.results)).toEqual([
      [1, 2],
      [1, 2],
    ])
    expect(result[0]!.ms.values).toHaveLength(2)
  })

  it('replaces one scenario section of BENCHMARKS.md and keeps the others', () => {
    const meta = {
      machine,
      date: '2026-01-01',
      runs: 3,
      warmup: 1,
    }
    let md = updateReport(undefined, { id: 'a', title: 'A', description: 'about a' }, { markdown: 'first a' }, meta)
    md = updateReport(md, { id: 'b', title: 'B', description: 'about b' }, { markdown: 'only b' }, meta)
    md = updateReport(md, { id: 'a', title: 'A', description: 'about a' }, { markdown: 'second a' }, meta)
    expect(md).toContain('second a')
    expect(md).not.toContain('first a')
    expect(md).toContain('only b')
    expect(md).toContain('Test CPU, 2 cores, 4 GiB RAM, Node v24')
    expect(md.indexOf('## A')).toBeLessThan(md.indexOf('## B'))
  })

  it('classifies responses', () => {
    expect(kindOf('http://h/a/assets/x-1.woff2')).toBe('font')
    expect(kindOf('http://h/a/assets/x.js?v=1')).toBe('js')
    expect(kindOf('http://h/a/1')).toBe('html')
  })

  it('strips the shared addon from a deck for the plain baseline', () => {
    const block = '---\ntitle: T\naddons:\n  - ..\ntalk:\n  date: "2024-01-01"\n---\n\n# x\n'
    expect(stripAddons(block)).toBe('---\ntitle: T\ntalk:\n  date: "2024-01-01"\n---\n\n# x\n')
    expect(stripAddons('---\naddons: [..]\ntitle: T\n---\n# y')).toBe('---\ntitle: T\n---\n# y')
  })
})
