import type { IndexEntry } from './index-page.ts'
/**
 * `feed.xml`: an Atom feed of the talks, newest first, so readers can follow new talks. Built with
 * the `feed` library. Entry IDs are the decks' URLs and every date comes from the metadata (the talk
 * date), never from the clock, so a rebuild of the same decks writes the same bytes. Atom needs
 * absolute URLs, so the feed exists only when the site's URL is known.
 */
import type { SiteOptions } from './options.ts'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Feed } from 'feed'
import config from '../../../toolkit.config.ts'
import { textLabels } from '../transcript/provenance.ts'
import { escapeHtml, plainText } from './html.ts'
import { dateLabel, deckPaths } from './index-page.ts'
import { siteHref } from './options.ts'

export const FEED_FILE = 'feed.xml'

/** Midnight in Japan on the talk's date (the first of the month when only the month is known). */
export function talkInstant(date: string): Date {
  const full = date.length === 7
    ? `${date}-01`
    : date
  return new Date(`${full}T00:00:00+09:00`)
}

/** The Atom document, or undefined without a site URL. Entries in the order given (the index's, newest first). */
export function renderFeed(entries: IndexEntry[], site: SiteOptions): string | undefined {
  if (!site.url)
    return undefined
  const home = siteHref(site, '')
  const newest = entries.reduce<Date | undefined>((max, e) => {
    const t = talkInstant(e.date)
    return !max || t > max
      ? t
      : max
  }, undefined)
  const speakers = Object.values(config.speakers)
  const feed = new Feed({
    id: home,
    title: site.title,
    description: `${site.title}: 新しいトークのスライド、PDF、文字起こし`,
    link: home,
    feedLinks: {
      atom: siteHref(site, FEED_FILE),
    },
    language: 'ja',
    // An empty site still needs a fixed date: the Unix epoch, not "now".
    updated: newest ?? new Date(0),
    generator: false,
    author: speakers.length === 1
      ? { name: speakers[0]!.name }
      : undefined,
  })
  for (const e of entries) {
    const p = deckPaths(e.slug)
    const label = textLabels(e)
    const links = [
      `<li><a href="${escapeHtml(siteHref(site, p.slides))}">スライド</a></li>`,
      e.pdf
        ? `<li><a href="${escapeHtml(siteHref(site, e.pdf))}">PDF</a></li>`
        : '',
      e.transcript
        ? `<li><a href="${escapeHtml(siteHref(site, e.transcript))}">${escapeHtml(label.link)}</a></li>`
        : '',
    ].filter(Boolean)
    const when = `${dateLabel(e)} ・ ${e.event.name}`
    const content = [
      `<p>${escapeHtml(when)}</p>`,
      e.description
        ? `<p>${escapeHtml(plainText(e.description, 400))}</p>`
        : '',
      label.kind === 'reconstruction'
        ? `<p><strong>${escapeHtml(label.notice)}</strong> ${escapeHtml(label.source)}</p>`
        : '',
      `<ul>${links.join('')}</ul>`,
    ].filter(Boolean).join('')
    feed.addItem({
      title: e.title,
      id: siteHref(site, p.slides),
      link: siteHref(site, p.slides),
      date: talkInstant(e.date),
      published: talkInstant(e.date),
      description: `${when}${e.description
        ? `: ${plainText(e.description, 200)}`
        : ''}`,
      content,
    })
  }
  return `${feed.atom1()}\n`
}

/** Writes `<root>/feed.xml` when the site URL is known; returns the <link rel="alternate"> for the index, or ''. */
export async function writeFeed(root: string, entries: IndexEntry[], site: SiteOptions): Promise<string> {
  const xml = renderFeed(entries, site)
  if (!xml)
    return ''
  await writeFile(join(root, FEED_FILE), xml)
  return `<link rel="alternate" type="application/atom+xml" title="${escapeHtml(site.title)}" href="${escapeHtml(siteHref(site, FEED_FILE))}">`
}
