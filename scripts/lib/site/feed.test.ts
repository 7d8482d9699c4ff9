import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { afterAll, describe, expect, it } from 'vitest'
import { discoverDecks } from '../decks.ts'
import { FEED_FILE, renderFeed, talkInstant, writeFeed } from './feed.ts'
import { indexEntries } from './index-page.ts'
import { renderRobots, renderSitemap, sitemapUrls, writeSitemap } from './sitemap.ts'

const site = { base: '/talks/', url: 'https://talks.example.com', title: 'nekoruri のトーク' }
const decks = discoverDecks()
const entries = indexEntries(decks, () => true)
const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@' })
const tmp = mkdtempSync(join(tmpdir(), 'feed-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

describe('feed.xml (Atom)', () => {
  const xml = renderFeed(entries, site)!
  const feed = parser.parse(xml).feed
  const list = [feed.entry].flat()

  it('is valid XML in the Atom namespace, with the site as its id and itself as rel=self', () => {
    expect(XMLValidator.validate(xml)).toBe(true)
    expect(feed['@xmlns']).toBe('http://www.w3.org/2005/Atom')
    expect(feed.id).toBe('https://talks.example.com/talks/')
    const links = [feed.link].flat()
    expect(links.find((l: any) => l['@rel'] === 'self')['@href']).toBe('https://talks.example.com/talks/feed.xml')
    expect(links.find((l: any) => l['@rel'] === 'alternate')['@href']).toBe('https://talks.example.com/talks/')
  })

  it('has one entry per talk, newest first, id and link the deck\'s URL, dates from the metadata', () => {
    expect(list).toHaveLength(decks.length)
    expect(list.map((e: any) => e.id)).toEqual(entries.map(e => `https://talks.example.com/talks/${e.slug}/`))
    const updated = list.map((e: any) => e.updated as string)
    expect([...updated].sort().reverse()).toEqual(updated)
    const t2024 = list.find((e: any) => e.id.includes('serverless-update-2024'))
    expect(t2024.updated).toBe('2024-09-19T15:00:00.000Z')
    expect(t2024.published).toBe('2024-09-19T15:00:00.000Z')
    expect(feed.updated).toBe(t2024.updated)
    expect(t2024.title['#text']).toBe(decks.find(d => d.slug.includes('serverless-update-2024'))!.meta.title)
    expect(t2024.summary['#text']).toContain('ServerlessDays Tokyo 2024 PreEvent')
  })

  it('links each talk\'s deck, PDF and text, labelled by what the text is', () => {
    for (const e of list) {
      const content: string = e.content['#text']
      const slug = e.id.split('/').at(-2)
      expect(content).toContain(`href="https://talks.example.com/talks/${slug}/"`)
      expect(content).toContain(`href="https://talks.example.com/talks/${slug}/${slug}.pdf"`)
      const deck = decks.find(d => d.slug === slug)!
      expect(content).toContain(deck.meta.talk.provenance === 'reconstruction'
        ? `href="https://talks.example.com/talks/${slug}/transcript/">講演内容の再構成</a>`
        : `href="https://talks.example.com/talks/${slug}/transcript/">文字起こし</a>`)
    }
  })

  it('is byte-identical for the same decks (no build time anywhere), and absent without a site URL', async () => {
    expect(renderFeed(indexEntries(discoverDecks(), () => true), site)).toBe(xml)
    expect(xml).not.toContain(String(new Date().getUTCFullYear() + 1))
    expect(renderFeed(entries, { ...site, url: '' })).toBeUndefined()
    const link = await writeFeed(tmp, entries, site)
    expect(readFileSync(join(tmp, FEED_FILE), 'utf8')).toBe(xml)
    expect(link).toBe('<link rel="alternate" type="application/atom+xml" title="nekoruri のトーク" href="https://talks.example.com/talks/feed.xml">')
    expect(await writeFeed(join(tmp, 'none'), entries, { ...site, url: '' })).toBe('')
  })

  it('dates a month-only talk at the month\'s first day in Japan', () => {
    expect(talkInstant('2023-09').toISOString()).toBe('2023-08-31T15:00:00.000Z')
  })
})

describe('sitemap.xml and robots.txt', () => {
  const xml = renderSitemap(entries, site)!

  it('lists the index, every deck and every transcript page with absolute URLs', () => {
    expect(XMLValidator.validate(xml)).toBe(true)
    const set = parser.parse(xml).urlset
    expect(set['@xmlns']).toBe('http://www.sitemaps.org/schemas/sitemap/0.9')
    const locs = [set.url].flat().map((u: any) => u.loc)
    expect(locs[0]).toBe('https://talks.example.com/talks/')
    for (const d of decks) {
      expect(locs).toContain(`https://talks.example.com/talks/${d.slug}/`)
      expect(locs).toContain(`https://talks.example.com/talks/${d.slug}/transcript/`)
    }
    expect(locs).toHaveLength(1 + decks.length * 2)
    for (const u of [set.url].flat())
      expect(u.lastmod).toMatch(/^\d{4}-\d{2}-\d{2}$/)
  })

  it('leaves out transcript pages that are not built, and is identical on a rebuild', async () => {
    const without = sitemapUrls(indexEntries(decks, p => !p.includes('transcript')), site)
    expect(without.some(u => u.loc.includes('transcript'))).toBe(false)
    expect(renderSitemap(indexEntries(discoverDecks(), () => true), site)).toBe(xml)
    expect(await writeSitemap(join(tmp, 'b'), entries, site).catch(() => 'missing dir')).toBe('missing dir')
    expect(await writeSitemap(tmp, entries, site)).toEqual(['sitemap.xml', 'robots.txt'])
    expect(readFileSync(join(tmp, 'sitemap.xml'), 'utf8')).toBe(xml)
  })

  it('robots.txt names the sitemap; neither exists without a site URL', () => {
    expect(renderRobots(site)).toBe('User-agent: *\nAllow: /\n\nSitemap: https://talks.example.com/talks/sitemap.xml\n')
    expect(renderSitemap(entries, { ...site, url: '' })).toBeUndefined()
    expect(renderRobots({ ...site, url: '' })).toBeUndefined()
  })
})
