/**
 * `npm run check -- [deck...]`: the speaker's last look before a talk and the gate in CI. Without a
 * browser: metadata, notes, sections, headings, components and their props, click markers, layouts,
 * assets, Mermaid, nothing outside the repository, textlint over the notes. With `--render`, the built
 * decks opened slide by slide in Chromium as well. Every deck in decks/ by default, the unpublished
 * `_gallery` and `_starter` included, so they cannot rot unnoticed. A path to a deck folder (e.g.
 * scripts/fixtures/x) checks that folder. `--json` for tools; annotations when run in GitHub Actions.
 */
import type { Command } from '../cli.ts'
import type { CheckTarget } from '../lib/check/index.ts'
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import process from 'node:process'
import { splitArgs, takeFlag } from '../lib/args.ts'
import { checkDecks, findingsJson, formatAnnotation, formatFinding, targetFromDir } from '../lib/check/index.ts'
import { scanDecks, shortName } from '../lib/decks.ts'
import { countOf, UserError } from '../lib/errors.ts'
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
  summary: 'Check decks before a talk: metadata, notes, components, clicks, assets, Mermaid, nothing outside the repo, textlint; --render opens every slide in Chromium.',
  usage: 'check [deck... | path/to/deck-folder...] [--no-textlint] [--render] [--json] [--quiet]   (exit 1 on errors; --quiet hides warnings)',
  async run(argv) {
    const { positionals, rest } = splitArgs(argv)
    const textlint = !takeFlag(rest, '--no-textlint')
    const quiet = takeFlag(rest, '--quiet')
    const json = takeFlag(rest, '--json')
    const render = takeFlag(rest, '--render')
    if (rest.length)
      throw new UserError(`check: unknown option ${rest.join(' ')}\nUsage: npm run ${check.usage}`)
    const targets = resolveTargets(positionals)
    const started = performance.now()
    const result = await checkDecks(targets, { textlint })
    if (render) {
      const { renderCheck } = await import('../lib/check/render.ts')
      const rendered = await renderCheck(targets, {
        log: json
          ? () => {}
          : s => console.error(s),
      })
      result.findings.push(...rendered)
      result.errors += rendered.filter(f => f.severity === 'error').length
      result.warnings += rendered.filter(f => f.severity === 'warning').length
    }
    const seconds = (performance.now() - started) / 1000
    const slides = [
      ...result.slides.values(),
    ].reduce((a, b) => a + b, 0)
    const shown = result.findings.filter(f => !quiet || f.severity === 'error')
    if (json) {
      console.log(findingsJson(shown, {
        decks: targets.length,
        slides,
        errors: result.errors,
        warnings: result.warnings,
        textlint,
        render,
        seconds: Number(seconds.toFixed(2)),
      }))
      return result.errors ? 1 : 0
    }
    const actions = process.env.GITHUB_ACTIONS === 'true'
    for (const f of shown) {
      console.log(actions
        ? formatAnnotation(f)
        : formatFinding(f))
    }
    console.log(`${countOf(targets.length, 'deck')}, ${countOf(slides, 'slide')}: ${countOf(result.errors, 'error')}, ${countOf(result.warnings, 'warning')}${textlint ? '' : ' (textlint skipped)'}${render ? ' (rendered)' : ''} in ${seconds.toFixed(1)} s`)
    return result.errors ? 1 : 0
  },
}
export default check
