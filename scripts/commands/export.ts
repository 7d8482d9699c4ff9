/**
 * `npm run export -- [deck...] [--force] [--per-click] [--base /p/] [--site-url URL]`: writes dist/<slug>/<slug>.pdf for each
 * deck (every public deck when none is named), printed from a build of the deck.
 */
import type { Command } from '../cli.ts'
import { join } from 'node:path'
import { splitArgs, takeFlag, takeOption } from '../lib/args.ts'
import { assertInsideRepository } from '../lib/check/outside.ts'
import { decksForCommand } from '../lib/decks.ts'
import { UserError } from '../lib/errors.ts'
import { distDir } from '../lib/paths.ts'
import { exportDecksToPdf, formatBytes } from '../lib/pdf/index.ts'
import { currentSiteBuilds } from '../lib/pdf/site-builds.ts'
import { resolveSiteOptions } from '../lib/site/options.ts'

const exportCommand: Command = {
  summary: 'Export decks to PDF for Docswell (searchable Japanese text, bookmarks, links).',
  usage: 'export [deck...] [--force] [--per-click] [--base /prefix/] [--site-url https://...]   (dist/<slug>/<slug>.pdf; unchanged decks are skipped)',
  async run(argv) {
    const { positionals, rest } = splitArgs(argv, ['--base', '--site-url'])
    const force = takeFlag(rest, '--force')
    const perClick = takeFlag(rest, '--per-click')
    // Where the printed site links point, as for `npm run build`.
    const site = resolveSiteOptions({ base: takeOption(rest, '--base').value, siteUrl: takeOption(rest, '--site-url').value })
    if (rest.length) {
      throw new UserError(`unknown option${rest.length > 1
        ? 's'
        : ''} ${rest.join(' ')}\nUsage: npm run ${this.usage}`)
    }
    const decks = decksForCommand(positionals, 'export')
    assertInsideRepository(decks)
    const started = performance.now()
    const built = await currentSiteBuilds(decks, site)
    const results = await exportDecksToPdf(decks, {
      builtSite: deck => built.get(deck.slug),
      site,
      outFile: deck => join(distDir, deck.slug, `${deck.slug}.pdf`),
      force,
      perClick,
    })
    const total = results.reduce((n, r) => n + r.bytes, 0)
    const made = results.filter(r => !r.skipped).length
    console.log(`${made} exported, ${results.length - made} unchanged, ${formatBytes(total)} in all, ${((performance.now() - started) / 1000).toFixed(1)} s`)
    return 0
  },
}
export default exportCommand
