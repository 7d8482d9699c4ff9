/**
 * Builds one deck as a static SPA with Slidev, at its own base path: the first stage of the
 * publishing pipeline (site/pipeline.ts), shared by `build` and `export`, so both see the same pages.
 */
import type { Deck } from './decks.ts'
import { join, relative } from 'node:path'
import { UserError } from './errors.ts'
import { withLock } from './lock.ts'
import { repoRoot } from './paths.ts'
import { runSlidev } from './slidev.ts'

export interface SlidevBuildOptions {
  /** URL path the deck is served under, with leading and trailing slash, e.g. /talks/2024-09-20-x/ */
  base: string
  /** Absolute output directory. */
  outDir: string
  /** Extra Slidev CLI args. */
  args?: string[]
  /** 'capture': quiet, but a failure carries Slidev's output (SlidevBuildError.output). */
  stdio?: 'inherit' | 'ignore' | 'capture'
  /**
   * The hosted site's absolute origin and base path, passed to the client as VITE_TALKS_SITE_URL /
   * VITE_TALKS_SITE_BASE (the browser cannot read toolkit.config.ts's environment): closing slides
   * then show the public URL and its QR code.
   */
  site?: { url?: string, base?: string }
}

/** A failed `slidev build`; `output` holds what Slidev printed when the build ran with stdio 'capture'. */
export class SlidevBuildError extends UserError {
  readonly output: string
  constructor(message: string, output: string) {
    super(message)
    this.output = output
  }
}

export async function slidevBuild(deck: Deck, options: SlidevBuildOptions): Promise<void> {
  if (!options.base.startsWith('/') || !options.base.endsWith('/'))
    throw new Error(`base must start and end with "/": ${options.base}`)
  const capture = options.stdio === 'capture'
  // Slidev writes generated modules into the deck's node_modules/.slidev (truncating and rewriting
  // them): two builds of one deck at once could read each other's half-written file.
  const lock = join(deck.dir, 'node_modules', '.slidev', '.toolkit-build.lock')
  const { code, output } = await withLock(lock, () => runSlidev([
    'build',
    relative(repoRoot, deck.entry),
    '--base',
    options.base,
    '--out',
    options.outDir,
    ...(options.args ?? []),
  ], {
    stdio: capture
      ? ['ignore', 'pipe', 'pipe']
      : options.stdio === 'ignore'
        ? 'ignore'
        : 'inherit',
    env: {
      ...(options.site?.url
        ? { VITE_TALKS_SITE_URL: options.site.url }
        : {}),
      ...(options.site?.base
        ? { VITE_TALKS_SITE_BASE: options.site.base }
        : {}),
    },
  }), { waitMs: 15 * 60_000, what: `building deck ${deck.slug}` })
  if (code !== 0)
    throw new SlidevBuildError(`slidev build failed for deck ${deck.slug} (${relative(repoRoot, deck.entry)}), exit code ${code}`, output)
}

/**
 * Slidev compiles slide N to `slides.md__slidev_N.md`: a build error naming that module names
 * the slide. A missing image written as a static path (`<img src="/x.png">`, `![](./x.png)`)
 * fails here, as an unresolved import, before anything is rendered.
 */
export function explainBuildFailure(deck: Deck, output: string): string {
  // eslint-disable-next-line no-control-regex
  const text = output.replace(/\u001B\[[\d;]*m/g, '')
  const slides = [
    ...new Set([
      ...text.matchAll(/slides\.md__slidev_(\d+)\.md/g),
    ].map(m => Number(m[1]))),
  ]
  const lines = text.split('\n')
  const coded = text.match(/\[[A-Z_]+\]\s*(.+)/)?.[1]
  const cause = coded ?? lines.map(l => l.trim()).find(l => /error/i.test(l))
  const where = slides.length
    ? `slide ${slides.join(', ')}`
    : 'slide unknown'
  const stack = lines.findIndex(l => /^\s+at /.test(l))
  const tail = lines.slice(0, stack < 0
    ? undefined
    : stack).slice(-20).join('\n').trim()
  return `deck ${deck.slug}: slidev build failed, nothing written\n  ${where}: ${cause ?? 'see the build output below'}\n${tail}`
}
