/**
 * schema.org structured data (JSON-LD) for search engines and link previews: each talk as the
 * presentation of an Event (speaker, date, event, slides, PDF and transcript URLs), on the index,
 * on each deck and on each transcript page. URLs are absolute when the site's URL is known, else
 * paths from the site's root (JSON-LD resolves them against the page).
 */
import type { Deck } from '../decks.ts'
import type { SiteOptions } from './options.ts'
import config from '../../../toolkit.config.ts'
import { textLabels } from '../transcript/provenance.ts'
import { plainText } from './html.ts'
import { deckPaths } from './index-page.ts'
import { siteHref } from './options.ts'

type Node = Record<string, unknown>

export interface TalkFiles {
  pdf?: boolean
  transcript?: boolean
}

export function person(handle: string): Node {
  const s = config.speakers[handle]
  return {
    '@type': 'Person',
    'name': s?.name ?? handle,
    ...(s
      ? { alternateName: `@${s.handle}` }
      : {}),
    ...(s?.links.length
      ? {
          sameAs: s.links.map(l => l.url),
        }
      : {}),
  }
}

export function talkUrls(slug: string, site: SiteOptions) {
  const p = deckPaths(slug)
  return {
    slides: siteHref(site, p.slides),
    pdf: siteHref(site, p.pdf),
    transcript: siteHref(site, p.transcript),
  }
}

/** The talk's nodes: the presentation (slides, PDF), the event it was given at, its text. */
export function talkNodes(deck: Deck, site: SiteOptions, files: TalkFiles): Node[] {
  const t = deck.meta.talk
  const urls = talkUrls(deck.slug, site)
  const speaker = person(t.speaker)
  const description = t.description ?? (typeof deck.meta.info === 'string'
    ? deck.meta.info
    : undefined)
  const label = textLabels(t)
  const presentation: Node = {
    '@type': 'PresentationDigitalDocument',
    '@id': `${urls.slides}#presentation`,
    'name': deck.meta.title,
    'url': urls.slides,
    'inLanguage': t.lang,
    'author': speaker,
    'dateCreated': t.date,
    ...(description
      ? {
          description: plainText(description, 400),
        }
      : {}),
    ...(t.tags.length
      ? {
          keywords: t.tags.join(', '),
        }
      : {}),
    ...(files.pdf
      ? {
          encoding: { '@type': 'MediaObject', 'contentUrl': urls.pdf, 'encodingFormat': 'application/pdf' },
        }
      : {}),
    ...(t.links.docswell || t.links.video
      ? {
          sameAs: [t.links.docswell, t.links.video].filter(Boolean),
        }
      : {}),
  }
  const event: Node = {
    '@type': 'Event',
    '@id': `${urls.slides}#event`,
    'name': t.event.name,
    'startDate': t.date,
    ...(t.event.url
      ? { url: t.event.url }
      : {}),
    'performer': speaker,
    'workPerformed': { '@id': `${urls.slides}#presentation` },
  }
  const nodes = [presentation, event]
  if (files.transcript) {
    nodes.push({
      '@type': 'Article',
      '@id': `${urls.transcript}#text`,
      'headline': `${deck.meta.title}${label.titleSuffix}`,
      'url': urls.transcript,
      'inLanguage': t.lang,
      'author': speaker,
      'genre': label.noun,
      ...(label.kind === 'reconstruction'
        ? { description: `${label.notice}${label.source}` }
        : {}),
      'about': { '@id': `${urls.slides}#presentation` },
    })
  }
  return nodes
}

/** A deck's page or its transcript page: the talk's nodes, with the page's own node first. */
export function talkJsonLd(deck: Deck, site: SiteOptions, files: TalkFiles): Node {
  return {
    '@context': 'https://schema.org',
    '@graph': talkNodes(deck, site, files),
  }
}

/** The index: the site, and every talk as an item of a list, newest first. */
export function indexJsonLd(decks: { deck: Deck, files: TalkFiles }[], site: SiteOptions): Node {
  const home = siteHref(site, '')
  return {
    '@context': 'https://schema.org',
    '@graph': [
      {
        '@type': 'WebSite',
        '@id': `${home}#site`,
        'name': site.title,
        'url': home,
        'inLanguage': 'ja',
      },
      {
        '@type': 'ItemList',
        'name': site.title,
        'itemListOrder': 'https://schema.org/ItemListOrderDescending',
        'itemListElement': decks.map((d, i) => ({
          '@type': 'ListItem',
          'position': i + 1,
          'url': talkUrls(d.deck.slug, site).slides,
          'item': { '@id': `${talkUrls(d.deck.slug, site).slides}#presentation` },
        })),
      },
      ...decks.flatMap(d => talkNodes(d.deck, site, d.files)),
    ],
  }
}

/** `<script type="application/ld+json">`, safe inside HTML (no `</script>` can close it early). */
export function jsonLdScript(data: Node): string {
  const json = JSON.stringify(data).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026')
  return `<script type="application/ld+json">${json}</script>`
}

/** The index page's JSON-LD, its talks in the index's order (entries: newest first). */
export function indexJsonLdScript(decks: Deck[], entries: { slug: string, pdf?: string, transcript?: string }[], site: SiteOptions): string {
  const bySlug = new Map(decks.map(d => [d.slug, d]))
  return jsonLdScript(indexJsonLd(entries.flatMap((e) => {
    const deck = bySlug.get(e.slug)
    return deck
      ? [
          {
            deck,
            files: {
              pdf: Boolean(e.pdf),
              transcript: Boolean(e.transcript),
            },
          },
        ]
      : []
  }), site))
}
