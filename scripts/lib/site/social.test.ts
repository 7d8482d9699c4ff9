import type { Deck } from '../decks.ts'
import { describe, expect, it } from 'vitest'
import { finishDeckHtml, socialCard } from './social.ts'

const deck = {
  slug: '2024-09-20-x',
  dir: '/d',
  entry: '/d/slides.md',
  hidden: false,
  meta: {
    title: 'Serverless "Update"',
    info: 'info text',
    talk: {
      date: '2024-09-20',
      dateStatus: 'confirmed',
      lang: 'ja',
      slot: 30,
      speaker: 'nekoruri',
      tags: [],
      links: {},
      event: { name: 'Ev' },
      description: '説明です。',
    },
  },
} as unknown as Deck

const slidevHtml = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Serverless - Slidev</title>
<meta name="description" content="&quot;old&quot;">
<meta property="og:title" content="Serverless - Slidev">
<meta property="og:description" content="old">  <script type="module" crossorigin src="/x/assets/index.js"></script>
</head><body><div id="app"></div></body></html>`

describe('social cards', () => {
  it('uses absolute URLs when the site URL is known', () => {
    const card = socialCard(deck, { base: '/talks/', url: 'https://t.example', title: 'S' })
    expect(card.url).toBe('https://t.example/talks/2024-09-20-x/')
    expect(card.image).toBe('https://t.example/talks/2024-09-20-x/og.png')
    expect(card.description).toBe('説明です。')
  })

  it('falls back to site paths without a site URL', () => {
    const card = socialCard(deck, { base: '/', url: '', title: 'S' })
    expect(card.image).toBe('/2024-09-20-x/og.png')
  })

  it('replaces Slidev\'s lang, title and meta tags', () => {
    const html = finishDeckHtml(slidevHtml, socialCard(deck, { base: '/', url: 'https://t.example', title: 'S' }))
    expect(html).toMatch(/<html lang="ja">/)
    expect(html).not.toContain('Slidev')
    expect(html).not.toContain('old')
    expect(html.match(/property="og:title"/g)).toHaveLength(1)
    expect(html).toContain('<meta property="og:title" content="Serverless &quot;Update&quot;">')
    expect(html).toContain('<meta name="twitter:card" content="summary_large_image">')
    expect(html).toContain('<meta property="og:image" content="https://t.example/2024-09-20-x/og.png">')
    expect(html.indexOf('history.replaceState')).toBeLessThan(html.indexOf('type="module"'))
    expect(html).toContain('<script type="module" crossorigin src="/x/assets/index.js">')
  })
})
