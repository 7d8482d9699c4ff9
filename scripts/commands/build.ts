/**
 * `npm run build -- [deck...]`: the hosted site in dist/ (index, every public deck at its own
 * path, thumbnails, social cards, deep-link fallbacks, PDFs and transcripts), rebuilt only where
 * inputs changed and swapped in atomically.
 */
import type { Command } from '../cli.ts'
import { writeFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { splitArgs, takeFlag, takeOption } from '../lib/args.ts'
import { assertInsideRepository } from '../lib/check/outside.ts'
import { matchScanned, scanDecks } from '../lib/decks.ts'
import { UserError } from '../lib/errors.ts'
import { distDir } from '../lib/paths.ts'
import { buildSite } from '../lib/site/build-site.ts'
import { resolveSiteOptions } from '../lib/site/options.ts'

const VALUED = [
  '--base',
  '--site-url',
  '--out',
  '--decks-dir',
  '--cache-dir',
  '--report',
]

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`
}

const build: Command = {
  summary: 'Build the hosted site into dist/: index, every deck at /<slug>/, thumbnails, PDFs, transcripts.',
  usage: 'build [deck...] [--force] [--base /prefix/] [--site-url https://...] [--out dir] [--include-hidden] [--no-pdf] [--no-transcript] [--quiet] [--report file.json]',
  async run(argv) {
    const { positionals, rest } = splitArgs(argv, VALUED)
    const force = takeFlag(rest, '--force')
    const includeHidden = takeFlag(rest, '--include-hidden')
    const noPdf = takeFlag(rest, '--no-pdf')
    const noTranscript = takeFlag(rest, '--no-transcript')
    const quiet = takeFlag(rest, '--quiet')
    const base = takeOption(rest, '--base').value
    const siteUrl = takeOption(rest, '--site-url').value
    const out = takeOption(rest, '--out').value
    const decksDir = takeOption(rest, '--decks-dir').value
    const cacheDir = takeOption(rest, '--cache-dir').value
    const reportFile = takeOption(rest, '--report').value
    if (rest.length)
      throw new UserError(`build: unknown option ${rest.join(' ')}\nUsage: npm run build -- ${build.usage.replace(/^build /, '')}`)

    const scan = scanDecks({
      dir: decksDir
        ? resolve(decksDir)
        : undefined,
      hidden: true,
    })
    const decks = positionals.length
      ? [
          ...new Map(positionals.map(q => matchScanned(scan, q)).map(d => [d.slug, d])).values(),
        ]
      : scan.decks.filter(d => includeHidden || !d.hidden)
    if (!positionals.length && scan.invalid.size) {
      throw new UserError(`cannot build the site: some decks are invalid\n${[
        ...scan.invalid.values(),
      ].map(e => e.message).join('\n')}`)
    }
    if (!decks.length) {
      console.log('No public deck to build (decks starting with _ are left out; --include-hidden builds them).')
    }

    assertInsideRepository(decks)
    const site = resolveSiteOptions({ base, siteUrl })
    const outDir = out
      ? resolve(out)
      : distDir
    const report = await buildSite({
      decks,
      site,
      outDir,
      cacheDir: cacheDir && resolve(cacheDir),
      force,
      pdf: !noPdf,
      transcript: !noTranscript,
      slidevOutput: quiet
        ? 'ignore'
        : 'inherit',
      log: line => console.log(`[build] ${line}`),
    })
    if (reportFile)
      await writeFile(resolve(reportFile), `${JSON.stringify(report, null, 2)}\n`)

    console.log('')
    for (const d of report.decks) {
      console.log(`  ${d.status === 'built'
        ? 'built '
        : 'reused'}  ${d.slug}  ${d.slides} slides  ${seconds(d.ms)}`)
    }
    if (Array.isArray(report.pdf)) {
      for (const p of report.pdf)
        console.log(`  pdf     ${p.file}  ${(p.bytes / 1024 / 1024).toFixed(1)} MB${p.skipped ? ' (unchanged)' : ''}`)
    }
    if (Array.isArray(report.transcripts))
      console.log(`  transcripts: ${report.transcripts.map(t => t.slug).join(', ') || 'none'}`)
    console.log(`Site: ${outDir} (base ${site.base}${site.url
      ? `, ${site.url}`
      : ''}), ${report.built.length} built, ${report.reused.length} reused, ${seconds(report.totalMs)}`)
    console.log('Preview: npm run preview')
    return 0
  },
}
export default build
