import type { Deck } from '../decks.ts'
import { describe, expect, it } from 'vitest'
import { dateLabel, indexEntries, renderIndexHtml } from './index-page.ts'

function deck(slug: string, talk: Record<string, unknown>, title = slug): Deck {
  return {
    slug,
    dir: `/x/${slug}`,
    entry: `/x/${slug}/slides.md`,
    hidden: slug.startsWith('_'),
    meta: {
      title,
      talk: {
        dateStatus: 'confirmed',
        lang: 'ja',
        slot: 30,
        speaker: 'nekoruri',
        tags: [],
        links: {},
        event: { name: 'Event' },
        ...talk,
      },
    } as unknown as Deck['meta'],
  }
}

const site = { base: '/talks/', url: '', title: 'テストのトーク' }

describe('index page', () => {
  const decks = [
    deck('2023-02-16-old', {
      date: '2023-02-16',
      dateStatus: 'inferred',
      dateNote: 'year from context',
      event: { name: 'ssmonline #32', url: 'https://example.com/ssm' },
    }, '古い話'),
    deck('2024-09-20-new', {
      date: '2024-09-20',
      links: { video: 'https://video.example/1', docswell: 'https://docswell.example/s/1' },
    }, '新しい話 <script>'),
    deck('2023-09-mid', { date: '2023-09', dateStatus: 'unconfirmed', dateNote: 'month only' }, '中くらい'),
  ]
  const files = new Set(['2024-09-20-new/thumbs/1.png', '2024-09-20-new/2024-09-20-new.pdf', '2023-09-mid/transcript/index.html'])
  const entries = indexEntries(decks, p => files.has(p))
  const html = renderIndexHtml(entries, site)

  it('lists talks newest first', () => {
    expect(entries.map(e => e.slug)).toEqual(['2024-09-20-new', '2023-09-mid', '2023-02-16-old'])
    const pos = entries.map(e => html.indexOf(`id="${e.slug}"`))
    expect(pos.every((p, i) => p > 0 && (i === 0 || p > pos[i - 1]!))).toBe(true)
  })

  it('is Japanese, has no script and escapes titles', () => {
    expect(html).toMatch(/<html lang="ja">/)
    expect(html).not.toMatch(/<script/i)
    expect(html).toContain('新しい話 &lt;script&gt;')
  })

  it('links only to files that exist, plus video and Docswell when the metadata has them', () => {
    const block = (slug: string) => html.slice(html.indexOf(`id="${slug}"`), html.indexOf('</li>', html.indexOf(`id="${slug}"`)))
    const recent = block('2024-09-20-new')
    expect(recent).toContain('href="2024-09-20-new/"')
    expect(recent).toContain('href="2024-09-20-new/2024-09-20-new.pdf"')
    expect(recent).toContain('src="2024-09-20-new/thumbs/1.png"')
    expect(recent).toContain('href="https://video.example/1"')
    expect(recent).toContain('href="https://docswell.example/s/1"')
    expect(recent).not.toContain('transcript')
    const mid = block('2023-09-mid')
    expect(mid).toContain('href="2023-09-mid/transcript/"')
    expect(mid).not.toContain('.pdf')
    expect(mid).not.toContain('<img')
    expect(block('2023-02-16-old')).toContain('<a href="https://example.com/ssm">ssmonline #32</a>')
  })

  it('marks dates that are not confirmed', () => {
    expect(dateLabel({ date: '2024-09-20', dateStatus: 'confirmed' })).toBe('2024年9月20日')
    expect(dateLabel({ date: '2023-09', dateStatus: 'unconfirmed' })).toBe('2023年9月(日付未確定)')
    expect(dateLabel({ date: '2023-02-16', dateStatus: 'inferred' })).toBe('2023年2月16日(推定)')
    expect(html).toContain('2023年9月(日付未確定)')
    expect(html).toContain('2023年2月16日(推定)')
  })

  it('says so when there is no talk', () => {
    expect(renderIndexHtml([], site)).toContain('まだ公開しているトークはありません')
  })

  it('adds a canonical URL only when the site URL is known', () => {
    expect(html).not.toContain('rel="canonical"')
    expect(renderIndexHtml(entries, { ...site, url: 'https://talks.example' })).toContain('<link rel="canonical" href="https://talks.example/talks/">')
  })
})
