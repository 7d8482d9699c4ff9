/**
 * `npm run check -- [deck...]`: checks decks without a browser (metadata, notes on every slide,
 * sections followed by content, headings, textlint over the notes). Every deck in decks/ by
 * default, the unpublished `_gallery` and `_starter` included, so they cannot rot unnoticed.
 * A path to a deck folder (e.g. scripts/fixtures/x) checks that folder.
 */
import type { Command } from '../cli.ts'
import type { CheckTarget } from '../lib/check/index.ts'
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { splitArgs, takeFlag } from '../lib/args.ts'
import { checkDecks, formatFinding, targetFromDir } from '../lib/check/index.ts'
import { scanDecks, shortName } from '../lib/decks.ts'
import { UserError } from '../lib/errors.ts'
import { decksDir } from '../lib/paths.ts'

function resolveTargets(queries: string[]): CheckTarget[] {
  const scan = scanDecks({ hidden: true })
  const slugs = [
    ...scan.decks.map(d => d.slug),
    ...scan.invalid.keys(),
  ].sort()
  const all = slugs.map(slug => ({
    slug,
    dir: join(decksDir, slug),
  }))
  if (!queries.length)
    return all
  const picked = queries.map((q) => {
    if (q.includes('/') && existsSync(join(resolve(q), 'slides.md')))
      return targetFromDir(resolve(q))
    const exact = all.find(t => t.slug === q || shortName(t.slug) === q)
    if (exact)
      return exact
    const hits = all.filter(t => t.slug.startsWith(q) || shortName(t.slug).startsWith(q))
    if (hits.length === 1)
      return hits[0]!
    throw new UserError(`${hits.length
      ? `"${q}" matches ${hits.length} decks`
      : `no deck matches "${q}"`}:\n${(hits.length ? hits : all).map(t => `  ${t.slug}`).join('\n')}`)
  })
  return [
    ...new Map(picked.map(t => [t.dir, t])).values(),
  ]
}

const check: Command = {
  summary: 'Check decks: metadata, notes on every slide, sections, headings, textlint over the notes.',
  usage: 'check [deck... | path/to/deck-folder...] [--no-textlint] [--quiet]   (exit 1 on errors; --quiet hides warnings)',
  async run(argv) {
    const { positionals, rest } = splitArgs(argv)
    const textlint = !takeFlag(rest, '--no-textlint')
    const quiet = takeFlag(rest, '--quiet')
    if (rest.length)
      throw new UserError(`check: unknown option ${rest.join(' ')}\nUsage: npm run ${check.usage}`)
    const targets = resolveTargets(positionals)
    const started = performance.now()
    const result = await checkDecks(targets, { textlint })
    for (const f of result.findings) {
      if (!quiet || f.severity === 'error')
        console.log(formatFinding(f))
    }
    const slides = [
      ...result.slides.values(),
    ].reduce((a, b) => a + b, 0)
    console.log(`${targets.length} deck${targets.length === 1
      ? ''
      : 's'}, ${slides} slides: ${result.errors} error${result.errors === 1
      ? ''
      : 's'}, ${result.warnings} warning${result.warnings === 1
      ? ''
      : 's'}${textlint ? '' : ' (textlint skipped)'} in ${((performance.now() - started) / 1000).toFixed(1)} s`)
    return result.errors ? 1 : 0
  },
}
export default check
