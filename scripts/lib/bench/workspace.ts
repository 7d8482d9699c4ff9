/**
 * Decks for the publishing benchmarks, in a folder of their own so a benchmark can edit them: the
 * public decks copied (or copied N times over with distinct slugs, for `scale`) to
 * `.cache/bench/<name>-XXXX/`, with their addon path pointed back at the repository root.
 */
import type { Deck } from '../decks.ts'
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { join, relative, sep } from 'node:path'
import { repoRoot } from '../paths.ts'

/**
 * The headmatter's `addons: - ..`, the repo root as seen from decks/ (Slidev resolves a relative
 * addon from the folder holding the deck), rewritten for decks held in `folder`.
 */
export function addonsFrom(markdown: string, folder: string): string {
  return markdown.replace(/^(addons:[ \t]*\n[ \t]+-[ \t]+)\.\.[ \t]*$/m, `$1${relative(folder, repoRoot).split(sep).join('/')}`)
}

/**
 * Copies `decks` into a new folder under .cache/bench/, `copies` times each (the k-th copy of
 * `2024-09-20-x` is `2024-09-20-x-c2`; the first keeps its slug). Returns the folder.
 */
export function copyDecks(name: string, decks: Deck[], copies = 1): string {
  mkdirSync(join(repoRoot, '.cache', 'bench'), { recursive: true })
  const dir = mkdtempSync(join(repoRoot, '.cache', 'bench', `${name}-`))
  for (let k = 1; k <= copies; k++) {
    for (const deck of decks) {
      const dest = join(dir, k === 1
        ? deck.slug
        : `${deck.slug}-c${k}`)
      cpSync(deck.dir, dest, {
        recursive: true,
        filter: src => !/[/\\](?:node_modules|\.slidev|dist)$/.test(src),
      })
      const entry = join(dest, 'slides.md')
      writeFileSync(entry, addonsFrom(readFileSync(entry, 'utf8'), dir))
    }
  }
  return dir
}

/** Changes the first heading after the headmatter (an everyday edit: one slide's text). */
export function editHeading(deckDir: string, round: number): void {
  const entry = join(deckDir, 'slides.md')
  const source = readFileSync(entry, 'utf8')
  const bodyStart = source.indexOf('\n---', 3) + 4
  const edited = source.slice(0, bodyStart) + source.slice(bodyStart).replace(/^(#{1,3} [^\n(]+?)(?: \(edit \d+\))?$/m, `$1 (edit ${round})`)
  if (edited === source)
    throw new Error(`${entry}: no "## " heading to edit`)
  writeFileSync(entry, edited)
}

/** Changes one speaker note of a deck (the last comment of the first slide that has one). */
export function editNote(deckDir: string, round: number): void {
  const entry = join(deckDir, 'slides.md')
  const source = readFileSync(entry, 'utf8')
  const edited = source.replace(/<!--\n(?:（推敲 \d+）\n)?/, `<!--\n（推敲 ${round}）\n`)
  if (edited === source)
    throw new Error(`${entry}: no speaker note to edit`)
  writeFileSync(entry, edited)
}
