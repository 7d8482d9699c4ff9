import { describe, expect, it } from 'vitest'
import { discoverDecks } from '../decks.ts'
import { indexEntries, renderIndexHtml } from './index-page.ts'
import { indexJsonLdScript, jsonLdScript, talkJsonLd } from './jsonld.ts'
import { withReadingView } from './reading-view.ts'

const site = { base: '/talks/', url: 'https://talks.example.com', title: 'nekoruri のトーク' }
const decks = discoverDecks()
const d2024 = decks.find(d => d.slug === '2024-09-20-serverless-update-2024')!

/** The JSON-LD blocks of a page, parsed. */
function blocks(html: string): any[] {
  return [
    ...html.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g),
  ].map(m => JSON.parse(m[1]!))
}
const byType = (data: any, type: string) => data['@graph'].filter((n: any) => n['@type'] === type)

describe('jSON-LD', () => {
  it('a deck: its presentation given at an Event, with speaker, date and the slides, PDF and transcript URLs', () => {
    const html = withReadingView('<html><head><title>x</title></head><body></body></html>', d2024, site, { pdf: true, transcript: true })
    const [data] = blocks(html)
    expect(data['@context']).toBe('https://schema.org')
    const [p] = byType(data, 'PresentationDigitalDocument')
    expect(p.url).toBe('https://talks.example.com/talks/2024-09-20-serverless-update-2024/')
    expect(p.encoding.contentUrl).toBe('https://talks.example.com/talks/2024-09-20-serverless-update-2024/2024-09-20-serverless-update-2024.pdf')
    expect(p.author).toEqual({ '@type': 'Person', 'name': 'Aki', 'alternateName': '@nekoruri' })
    const [e] = byType(data, 'Event')
    expect(e.name).toBe('ServerlessDays Tokyo 2024 PreEvent')
    expect(e.startDate).toBe('2024-09-20')
    expect(e.performer.name).toBe('Aki')
    expect(e.workPerformed['@id']).toBe(p['@id'])
    const [a] = byType(data, 'Article')
    expect(a.url).toBe('https://talks.example.com/talks/2024-09-20-serverless-update-2024/transcript/')
    expect(a.genre).toBe('文字起こし')
    expect(a.about['@id']).toBe(p['@id'])
  })

  it('a reconstruction is never an article called 文字起こし', () => {
    for (const deck of decks.filter(d => d.meta.talk.provenance === 'reconstruction')) {
      const [a] = byType(talkJsonLd(deck, site, { transcript: true }), 'Article')
      expect(a.genre).toBe('講演内容の再構成')
      expect(a.headline).not.toContain('文字起こし')
      expect(a.description).toContain(deck.meta.talk.provenanceNote)
    }
  })

  it('the index: the site and every talk in the index\'s order, with the right URLs', () => {
    const entries = indexEntries(decks, () => true)
    const html = renderIndexHtml(entries, site, {
      head: indexJsonLdScript(decks, entries, site),
    })
    const [data] = blocks(html)
    const [list] = byType(data, 'ItemList')
    expect(list.itemListElement.map((i: any) => i.url)).toEqual(entries.map(e => `https://talks.example.com/talks/${e.slug}/`))
    expect(byType(data, 'WebSite')[0].url).toBe('https://talks.example.com/talks/')
    expect(byType(data, 'Event')).toHaveLength(decks.length)
    expect(byType(data, 'Article')).toHaveLength(decks.length)
  })

  it('without a site URL the URLs are paths from the root; nothing can close the script early', () => {
    const [p] = byType(talkJsonLd(d2024, { ...site, url: '' }, {}), 'PresentationDigitalDocument')
    expect(p.url).toBe('/talks/2024-09-20-serverless-update-2024/')
    expect(p.encoding).toBeUndefined()
    const script = jsonLdScript({ name: '</script><script>alert(1)</script>' })
    expect(script.match(/<\/script>/g)).toHaveLength(1)
    expect(JSON.parse(script.slice(script.indexOf('>') + 1, script.lastIndexOf('<'))).name).toBe('</script><script>alert(1)</script>')
  })

  it('the deck page gets it once, however often the build runs over the same file', () => {
    const once = withReadingView('<html><head></head><body></body></html>', d2024, site, { pdf: false, transcript: true })
    expect(withReadingView(once, d2024, site, { pdf: false, transcript: true })).toBe(once)
    expect(blocks(once)).toHaveLength(1)
    expect(once).toContain('文字起こしで読む')
    expect(() => withReadingView('<html></html>', d2024, site, { pdf: false, transcript: false })).toThrow(/2024-09-20-serverless-update-2024\/index.html has no <\/head>/)
  })
})
