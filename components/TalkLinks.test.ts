// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest'
import TalkLinks from './TalkLinks.vue'
import { mountDiagram } from './test-utils.ts'

/** What Slidev provides to every slide, reduced to what TalkLinks reads. */
function slidevContext(filepath: string) {
  return {
    '$$slidev-context': {
      nav: {
        slides: [
          {
            meta: {
              slide: { filepath },
            },
          },
        ],
      },
      configs: { title: 'サーバーレスの話' },
    },
  }
}

describe('talkLinks', () => {
  it('lists slides, PDF and transcript paths of the current deck (slug from the dev server)', () => {
    const w = mountDiagram(TalkLinks, {}, {
      provide: slidevContext('/repo/decks/2024-09-20-serverless/slides.md'),
    })
    const rows = w.findAll('[data-link]')
    expect(rows.map(r => r.attributes('data-link'))).toEqual(['slides', 'pdf', 'transcript'])
    expect(rows.map(r => r.find('a').attributes('href'))).toEqual([
      '/2024-09-20-serverless/',
      '/2024-09-20-serverless/2024-09-20-serverless.pdf',
      '/2024-09-20-serverless/transcript/',
    ])
    expect(rows.map(r => r.find('.talk-links-label').text())).toEqual(['スライド', 'PDF', '文字起こし'])
    expect(w.find('nav').attributes('aria-label')).toBe('このトークの資料（サーバーレスの話）')
    // No absolute site URL: no QR code (a QR code of a path is useless).
    expect(w.find('svg').exists()).toBe(false)
  })

  it('draws a QR code of the absolute slides URL when a site URL is given', () => {
    const w = mountDiagram(TalkLinks, { slug: 'talk', siteUrl: 'https://talks.example.com' })
    const qr = w.find('svg.talk-links-qr')
    expect(qr.attributes('role')).toBe('img')
    expect(qr.attributes('aria-label')).toBe('スライドの URL を示す QR コード: https://talks.example.com/talk/')
    expect(qr.find('path').attributes('d')).toMatch(/^M0 0h7/)
    expect(w.find('a').text()).toBe('https://talks.example.com/talk/')
  })

  it('breaks URLs only after slashes, takes labels from props, and can step', () => {
    const w = mountDiagram(TalkLinks, {
      slug: 'talk',
      labels: { transcript: '書き起こし' },
      step: true,
      qr: false,
      siteUrl: 'https://x.example',
    })
    expect(w.find('svg').exists()).toBe(false)
    expect(w.findAll('wbr').length).toBeGreaterThan(3)
    expect(w.findAll('.talk-links-label').map(l => l.text())).toContain('書き起こし')
    expect(w.findAll('[data-test-click]')).toHaveLength(3)
  })

  it('says so when the deck cannot be found', () => {
    const w = mountDiagram(TalkLinks)
    expect(w.find('.talk-links-missing').exists()).toBe(true)
  })

  it('never calls a reconstruction\'s text 文字起こし', () => {
    const ctx = slidevContext('/repo/decks/2023-02-16-ssmjp/slides.md')
    ;(ctx['$$slidev-context'].configs as Record<string, unknown>).talk = { provenance: 'reconstruction' }
    const w = mountDiagram(TalkLinks, {}, { provide: ctx })
    expect(w.findAll('.talk-links-label').map(l => l.text())).toEqual(['スライド', 'PDF', '講演内容の再構成'])
    expect(w.text()).not.toContain('文字起こし')
  })
})
