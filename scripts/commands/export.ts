/**
 * `npm run export -- [deck...] [--force] [--per-click] [--base /p/] [--site-url URL]`: writes
 * dist/<slug>/<slug>.pdf for each deck (every public deck when none is named), through the
 * pipeline's build and render stages (shared with `npm run build`, so one publishes for the other).
 */
import type { Command } from '../cli.ts'
import { join, resolve } from 'node:path'
import { parseOptions } from '../lib/args.ts'
import { assertInsideRepository } from '../lib/check/outside.ts'
import { decksForCommand } from '../lib/decks.ts'
import { distDir } from '../lib/paths.ts'
import { exportDecksToPdf, formatBytes } from '../lib/pdf/index.ts'
import { resolveSiteOptions } from '../lib/site/options.ts'
import { createProgress } from '../lib/site/progress.ts'

const exportCommand: Command = {
  summary: 'Export decks to PDF for Docswell (searchable Japanese text, bookmarks, links).',
  usage: 'export [deck...] [--force] [--per-click] [--base /prefix/] [--site-url https://...] [--concurrency N] [--decks-dir dir] [--out dir] [--verbose]   (dist/<slug>/<slug>.pdf; unchanged decks are skipped)',
  async run(argv) {
    const { positionals, values } = parseOptions('export', exportCommand.usage, argv, {
      'force': { type: 'boolean' },
      'per-click': { type: 'boolean' },
      'verbose': { type: 'boolean', short: 'v' },
      'base': { type: 'string' },
      'site-url': { type: 'string' },
      'concurrency': { type: 'string', min: 1 },
      'decks-dir': { type: 'string' },
      'out': { type: 'string' },
    })
    // Where the printed site links point, as for `npm run build`.
    const site = resolveSiteOptions({ base: values.base, siteUrl: values['site-url'] })
    const decks = decksForCommand(positionals, 'export', {
      dir: values['decks-dir']
        ? resolve(values['decks-dir'])
        : undefined,
    })
    assertInsideRepository(decks)
    const outRoot = values.out
      ? resolve(values.out)
      : distDir
    const started = performance.now()
    const progress = createProgress()
    const results = await exportDecksToPdf(decks, {
      site,
      outFile: deck => join(outRoot, deck.slug, `${deck.slug}.pdf`),
      force: values.force,
      perClick: values['per-click'],
      concurrency: values.concurrency
        ? Number(values.concurrency)
        : undefined,
      verbose: values.verbose,
      progress,
    }).finally(() => progress.end())
    const total = results.reduce((n, r) => n + r.bytes, 0)
    const made = results.filter(r => !r.skipped).length
    console.log(`${made} written, ${results.length - made} unchanged, ${formatBytes(total)} in all, ${((performance.now() - started) / 1000).toFixed(1)} s`)
    return 0
  },
}
export default exportCommand
