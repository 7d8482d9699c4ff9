/**
 * Full-text search over every talk (titles, descriptions and what was said), for the index page.
 * Pagefind builds a static, chunked index at build time (its extended binary segments Japanese),
 * and the browser fetches only pagefind.js and the chunks a query needs, from the site itself,
 * once the reader starts a search. One record per talk (title, event, description) and one per
 * slide with words, so a hit names the talk and the section and links to the transcript there
 * and to the slide.
 */
import type { Deck } from '../decks.ts'
import type { Talk } from '../transcript/model.ts'
import { readdir, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { blocksText } from '../transcript/prose.ts'
import { textLabels } from '../transcript/provenance.ts'
import { deckPaths } from './index-page.ts'

/** Folder of the search files in the site (relative to the site root). */
export const SEARCH_DIR = 'pagefind'

export interface SearchRecord {
  /**
   * The page's path from the site's root, without the base: Pagefind's script prefixes the hits'
   * URLs with the folder it is served from, so `/talks/` sites need nothing more.
   */
  url: string
  content: string
  language: string
  meta: Record<string, string>
}

/** What is indexed: a record per talk and one per slide that has words. */
export function searchRecords(talks: Talk[], options: { transcript: (slug: string) => boolean }): SearchRecord[] {
  const records: SearchRecord[] = []
  for (const talk of talks) {
    const { meta, slug } = talk.deck
    const t = meta.talk
    const p = deckPaths(slug)
    const description = t.description ?? (typeof meta.info === 'string'
      ? meta.info
      : '')
    const hasText = options.transcript(slug)
    const label = textLabels(t)
    records.push({
      url: p.slides,
      content: [
        meta.title,
        t.event.name,
        description,
        ...t.tags,
      ].filter(Boolean).join('\n'),
      language: t.lang,
      meta: {
        title: meta.title,
        talk: meta.title,
        event: t.event.name,
        slides: p.slides,
      },
    })
    if (!hasText)
      continue
    for (const section of talk.sections) {
      for (const slide of section.slides) {
        const words = blocksText(slide.prose).trim()
        if (!words)
          continue
        records.push({
          url: `${p.transcript}#slide-${slide.no}`,
          content: [slide.title, words].filter(Boolean).join('\n'),
          language: t.lang,
          meta: {
            title: meta.title,
            talk: meta.title,
            section: section.title ?? '冒頭',
            slide: String(slide.no),
            slideTitle: slide.title,
            slides: `${p.slides}${slide.no}`,
            text: label.link,
          },
        })
      }
    }
  }
  return records
}

/** Writes `<outRoot>/pagefind/`; returns the files written (relative to outRoot) and their bytes. */
export async function writeSearchIndex(records: SearchRecord[], outRoot: string): Promise<{ files: number, bytes: number }> {
  // Loaded on demand: the Pagefind binary starts only when a site is built.
  const pagefind = await import('pagefind')
  const { index, errors } = await pagefind.createIndex({ forceLanguage: 'ja' })
  try {
    if (!index)
      throw new Error(`search index: Pagefind did not start: ${errors.join('; ')}`)
    for (const r of records) {
      const added = await index.addCustomRecord(r)
      if (added.errors.length)
        throw new Error(`search index: ${r.url}: ${added.errors.join('; ')}`)
    }
    const out = join(outRoot, SEARCH_DIR)
    const written = await index.writeFiles({ outputPath: out })
    if (written.errors.length)
      throw new Error(`search index: ${written.errors.join('; ')}`)
    // Pagefind's ready-made UIs are not used (the index page has its own few lines): not shipped.
    let files = 0
    let bytes = 0
    for (const f of await readdir(out, { recursive: true, withFileTypes: true })) {
      if (!f.isFile())
        continue
      const file = join(f.parentPath, f.name)
      if (/-ui\.(?:js|css)$|highlight\.js$/.test(f.name)) {
        await rm(file)
        continue
      }
      files++
      bytes += (await stat(file)).size
    }
    return { files, bytes }
  }
  finally {
    await pagefind.close()
  }
}

/** The search stage of the site build: loads each talk's transcript model and writes `pagefind/`. */
export async function writeSiteSearch(root: string, decks: Deck[], exists: (path: string) => boolean): Promise<{ files: number, bytes: number }> {
  const { loadTalk } = await import('../transcript/model.ts')
  const talks: Talk[] = []
  for (const deck of decks)
    talks.push(await loadTalk(deck))
  return writeSearchIndex(searchRecords(talks, {
    transcript: slug => exists(deckPaths(slug).transcriptFile),
  }), root)
}
