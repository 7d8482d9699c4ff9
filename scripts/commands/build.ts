/**
 * `npm run build -- [deck...]`: the hosted site in dist/ (index, every public deck at its own
 * path, thumbnails, social cards, deep-link fallbacks, PDFs and transcripts). Each deck goes
 * through the publishing pipeline, re-running only the stages whose inputs changed; the site is
 * swapped in atomically. Prints a line per deck and stage, Slidev's output only on failure.
 */
import type { Command } from '../cli.ts'
import { resolve } from 'node:path'
import process from 'node:process'
import { parseOptions } from '../lib/args.ts'
import { assertInsideRepository } from '../lib/check/outside.ts'
import { matchScanned, scanDecks } from '../lib/decks.ts'
import { countOf, UserError } from '../lib/errors.ts'
import { distDir } from '../lib/paths.ts'
import { formatBytes } from '../lib/pdf/limits.ts'
import { buildSite } from '../lib/site/build-site.ts'
import { resolveSiteOptions } from '../lib/site/options.ts'
import { createProgress, seconds } from '../lib/site/progress.ts'
import { writeFileAtomically } from '../lib/site/publish.ts'

const build: Command = {
  summary: 'Build the hosted site into dist/: index, every deck at /<slug>/, thumbnails, PDFs, transcripts.',
  usage: 'build [deck...] [--force] [--base /prefix/] [--site-url https://...] [--out dir] [--include-hidden] [--no-pdf] [--no-transcript] [--concurrency N] [--quiet] [--verbose] [--report file.json] [--cache-dir dir] [--decks-dir dir]',
  async run(argv) {
    const { positionals, values } = parseOptions('build', build.usage, argv, {
      'force': { type: 'boolean' },
      'include-hidden': { type: 'boolean' },
      'no-pdf': { type: 'boolean' },
      'no-transcript': { type: 'boolean' },
      'quiet': { type: 'boolean', short: 'q' },
      'verbose': { type: 'boolean', short: 'v' },
      'base': { type: 'string' },
      'site-url': { type: 'string' },
      'out': { type: 'string' },
      'decks-dir': { type: 'string' },
      'cache-dir': { type: 'string' },
      'report': { type: 'string' },
      'concurrency': { type: 'string', min: 1 },
    })

    const scan = scanDecks({
      dir: values['decks-dir']
        ? resolve(values['decks-dir'])
        : undefined,
      hidden: true,
    })
    const decks = positionals.length
      ? [
          ...new Map(positionals.map(q => matchScanned(scan, q)).map(d => [d.slug, d])).values(),
        ]
      : scan.decks.filter(d => values['include-hidden'] || !d.hidden)
    if (!positionals.length && scan.invalid.size) {
      throw new UserError(`cannot build the site: some decks are invalid\n${[
        ...scan.invalid.values(),
      ].map(e => e.message).join('\n')}`)
    }
    if (!decks.length)
      console.log('No public deck to build (decks starting with _ are left out; --include-hidden builds them).')

    assertInsideRepository(decks)
    const site = resolveSiteOptions({ base: values.base, siteUrl: values['site-url'] })
    const outDir = values.out
      ? resolve(values.out)
      : distDir
    // Everything cached moves with the stages: font cuts, and the build worker's compile cache.
    if (values['cache-dir'])
      process.env.TALKS_CACHE_DIR = resolve(values['cache-dir'])
    const progress = createProgress({ quiet: values.quiet })
    if (!values.quiet)
      console.log(`Building ${countOf(decks.length, 'deck')} for ${site.url || ''}${site.base}`)
    const report = await buildSite({
      decks,
      site,
      outDir,
      cacheDir: values['cache-dir'] && resolve(values['cache-dir']),
      force: values.force,
      pdf: !values['no-pdf'],
      transcript: !values['no-transcript'],
      concurrency: values.concurrency
        ? Number(values.concurrency)
        : undefined,
      verbose: values.verbose,
      progress,
    }).finally(() => progress.end())
    if (values.report)
      await writeFileAtomically(resolve(values.report), `${JSON.stringify(report, null, 2)}\n`)

    const ran = report.decks.reduce((n, d) => n + d.stages.filter(s => s.status === 'ran').length, 0)
    const stages = report.decks.reduce((n, d) => n + d.stages.length, 0)
    const pdfBytes = Array.isArray(report.pdf)
      ? report.pdf.reduce((n, p) => n + p.bytes, 0)
      : 0
    console.log(`Site: ${outDir} (base ${site.base}${site.url
      ? `, ${site.url}`
      : ''}): ${countOf(report.decks.length, 'deck')}, ${report.built.length} rebuilt, ${report.reused.length} unchanged; ${ran} of ${countOf(stages, 'stage')} ran${pdfBytes
      ? `; PDFs ${formatBytes(pdfBytes)}`
      : ''}${report.unchanged
      ? '; the folder already holds this site, nothing written'
      : ''}; ${seconds(report.totalMs)}`)
    if (!values.quiet)
      console.log('Preview: npm run preview')
    return 0
  },
}
export default build
