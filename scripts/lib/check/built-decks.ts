/**
 * The one place the rendered check touches the site build: built decks (the pipeline's build
 * stage, reused from its cache, so an unchanged deck costs nothing), served the way a static host
 * serves them, and the wait for a slide to finish drawing. When the site build changes shape,
 * re-point these three here.
 */
import type { Page } from 'playwright-chromium'
import type { Deck } from '../decks.ts'
import { resolveSiteOptions } from '../site/options.ts'
import { buildDeck } from '../site/pipeline.ts'
import { silentProgress } from '../site/progress.ts'
import { startSiteServer } from '../site/server.ts'
import { waitForSlide } from '../site/thumbs.ts'

export interface BuiltDecks {
  /** Where deck `slug` is served: `${url}${slug}/`. */
  url: string
  /** What the build printed (which decks it built and which it reused). */
  log: string[]
  close: () => Promise<void>
}

/** Builds (or reuses) the decks with the site's own options, without PDFs and transcripts, and serves them. */
export async function buildAndServe(decks: Deck[], log: (line: string) => void = () => {}): Promise<BuiltDecks> {
  const site = resolveSiteOptions({})
  const lines: string[] = []
  const say = (line: string) => {
    lines.push(line)
    log(line)
  }
  const server = await startSiteServer({ base: site.base, port: 0 })
  try {
    for (const deck of decks) {
      const started = Date.now()
      const dir = await buildDeck(deck, { site, progress: silentProgress })
      server.mount({ root: dir, base: `${site.base}${deck.slug}/` })
      say(`${deck.slug}: build ready (${((Date.now() - started) / 1000).toFixed(1)} s)`)
    }
  }
  catch (e) {
    await server.close()
    throw e
  }
  return {
    url: server.url,
    log: lines,
    close: () => server.close(),
  }
}

export function slideDrawn(page: Page, n: number, timeout?: number): Promise<void> {
  return waitForSlide(page, n, timeout)
}
