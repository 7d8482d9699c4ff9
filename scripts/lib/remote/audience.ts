/**
 * The audience's copy of the deck in remote mode: the same public build the hosted site has
 * (`slidev build --without-notes`: no notes, no presenter view, no sources), at base `/`, in a
 * temporary folder served by the gate. Kept in the pipeline's stage cache (the build stage, under the
 * build's own key for base `/`), so presenting an unchanged deck again starts at once.
 */
import type { Deck } from '../decks.ts'
import type { AudienceSite } from './gate.ts'
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { StageCache } from '../site/stage-cache.ts'
import { stageKeys } from '../site/stage-keys.ts'
import { slidevBuild } from '../slidev-build.ts'
import { withFollowScript } from './gate.ts'

export interface PreparedAudience extends Required<Pick<AudienceSite, 'dir' | 'indexHtml' | 'title'>> {
  reused: boolean
  ms: number
  /** Removes the temporary copy. */
  cleanup: () => Promise<void>
}

function decodeEntities(s: string): string {
  return s
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&#x([\da-f]+);/gi, (_, n: string) => String.fromCodePoint(Number.parseInt(n, 16)))
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, '\'')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
}

/** Slidev writes its slides title (the shared-state channel's name) as the built page's <title>. */
export function builtTitle(html: string): string | undefined {
  const m = html.match(/<title>([^<]*)<\/title>/i)
  return m
    ? decodeEntities(m[1]!.trim())
    : undefined
}

export async function prepareAudience(deck: Deck, options: { cacheDir?: string } = {}): Promise<PreparedAudience> {
  const started = Date.now()
  const tmp = await mkdtemp(join(tmpdir(), `talks-remote-${deck.slug}-`))
  const cleanup = () => rm(tmp, { recursive: true, force: true })
  try {
    const dir = join(tmp, 'out')
    const cache = new StageCache(options.cacheDir)
    // The site's build key for this deck at base `/`, marked: the site's own build sits at /<slug>/.
    const key = `remote-${stageKeys(deck, { base: '/', siteUrl: '' }).build}`
    const cached = await cache.get('build', deck.slug, key)
    const built = cached ?? await cache.put('build', deck.slug, key, outDir => slidevBuild(deck, {
      base: '/',
      outDir,
      // The audience sees what the hosted site shows: never the speaker's notes.
      withoutNotes: true,
    }).then(() => {}))
    await cp(built, dir, { recursive: true })
    const html = await readFile(join(dir, 'index.html'), 'utf8')
    const title = builtTitle(html)
    if (title === undefined)
      throw new Error(`the build of ${deck.slug} has no <title> in index.html`)
    return {
      dir,
      indexHtml: withFollowScript(html),
      title,
      reused: Boolean(cached),
      ms: Date.now() - started,
      cleanup,
    }
  }
  catch (e) {
    await cleanup()
    throw e
  }
}
