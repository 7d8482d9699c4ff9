/**
 * The one place the rendered check touches the site build: built decks (reused from the site build's
 * cache, so an unchanged deck costs a copy), served the way a static host serves them, and the wait
 * for a slide to finish drawing. When the site build changes shape, re-point these three here.
 */
import type { Page } from 'playwright-chromium'
import type { Deck } from '../decks.ts'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildSite } from '../site/build-site.ts'
import { resolveSiteOptions } from '../site/options.ts'
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
  const tmp = await mkdtemp(join(tmpdir(), 'check-render-'))
  const outDir = join(tmp, 'dist')
  const site = resolveSiteOptions({})
  const lines: string[] = []
  try {
    await buildSite({
      decks,
      site,
      outDir,
      pdf: false,
      transcript: false,
      slidevOutput: 'ignore',
      log: (line) => {
        lines.push(line)
        log(line)
      },
    })
    const server = await startSiteServer({ root: outDir, base: site.base, port: 0 })
    return {
      url: server.url,
      log: lines,
      close: async () => {
        await server.close()
        await rm(tmp, { recursive: true, force: true })
      },
    }
  }
  catch (e) {
    await rm(tmp, { recursive: true, force: true })
    throw e
  }
}

export function slideDrawn(page: Page, n: number, timeout?: number): Promise<void> {
  return waitForSlide(page, n, timeout)
}
