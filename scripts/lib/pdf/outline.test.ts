import { describe, expect, it } from 'vitest'
import { buildOutline, cleanTitle } from './outline.ts'

const pageOf = (no: number) => no - 1

describe('buildOutline', () => {
  it('nests the slides after a section under it; cover and closing slides stay top-level', () => {
    const outline = buildOutline([
      { no: 1, title: 'サーバーレスの現在地', layout: 'cover' },
      { no: 2, title: '自己紹介' },
      { no: 3, title: 'イベント駆動', layout: 'section' },
      { no: 4, title: 'EventBridge Pipes' },
      { no: 5, title: 'Step Functions' },
      { no: 6, title: 'データベース', layout: 'section' },
      { no: 7, title: 'DBaaS の三つの軸' },
      { no: 8, title: 'まとめ', layout: 'end' },
    ], pageOf)
    expect(outline.map(e => e.title)).toEqual([
      'サーバーレスの現在地',
      '自己紹介',
      'イベント駆動',
      'データベース',
      'まとめ',
    ])
    expect(outline[2]!.children.map(e => [e.title, e.page])).toEqual([
      ['EventBridge Pipes', 3],
      ['Step Functions', 4],
    ])
    expect(outline[3]!.children.map(e => e.title)).toEqual(['DBaaS の三つの軸'])
    expect(outline[4]!.children).toEqual([])
  })

  it('leaves out untitled slides, hideInToc slides and slides that were not printed', () => {
    const outline = buildOutline([
      { no: 1, title: '表紙', layout: 'cover' },
      { no: 2 },
      { no: 3, title: '隠す', hideInToc: true },
      { no: 4, title: '印刷されない' },
    ], no => (no === 4
      ? undefined
      : no - 1))
    expect(outline.map(e => e.title)).toEqual(['表紙'])
  })

  it('points each entry at the first page of its slide (per-click pages)', () => {
    const first = new Map([
      [1, 0],
      [2, 1],
      [3, 4],
    ])
    const outline = buildOutline([
      { no: 1, title: 'A' },
      { no: 2, title: 'B' },
      { no: 3, title: 'C' },
    ], no => first.get(no))
    expect(outline.map(e => e.page)).toEqual([0, 1, 4])
  })
})

describe('cleanTitle', () => {
  it('drops Markdown and HTML from headings', () => {
    expect(cleanTitle('**Step Functions** と `ASL`')).toBe('Step Functions と ASL')
    expect(cleanTitle('[Slidev](https://sli.dev) の <span class="x">PDF</span>')).toBe('Slidev の PDF')
    expect(cleanTitle('  複数の\n  行  ')).toBe('複数の 行')
  })
})
