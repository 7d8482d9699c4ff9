/**
 * The baseline a deck is compared with: the same slides built by plain `slidev build` with
 * Slidev's defaults. The deck is copied without `addons:` (so none of the shared theme's
 * defaults, fonts, styles or setup hooks apply); the shared components are linked in as the
 * deck's own `components/`, so the slides still have their diagrams.
 */
import type { Deck } from '../decks.ts'
import { cp, mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { UserError } from '../errors.ts'
import { repoRoot } from '../paths.ts'
import { runSlidev } from '../slidev.ts'

/** Removes the `addons:` entry from a deck's headmatter (both block and inline list forms). */
export function stripAddons(markdown: string): string {
  const m = /^---\r?\n([\s\S]*?)\r?\n---/.exec(markdown)
  if (!m)
    return markdown
  const head = m[1]!
    .replace(/^addons:[ \t]*\[[^\]]*\][ \t]*(?:#.*)?\r?\n?/m, '')
    .replace(/^addons:[ \t]*(?:#.*)?\r?\n(?:[ \t]+-.*(?:\r?\n|$))+/m, '')
  return `---\n${head.replace(/\n$/, '')}\n---${markdown.slice(m[0].length)}`
}

/** Copies the deck to `.cache/bench/plain/<slug>/` (inside the repo, so node_modules resolve). */
export async function preparePlainDeck(deck: Deck): Promise<string> {
  const dir = join(repoRoot, '.cache', 'bench', 'plain', deck.slug)
  await rm(dir, { recursive: true, force: true })
  await mkdir(dir, { recursive: true })
  await cp(deck.dir, dir, {
    recursive: true,
    filter: src => !/[/\\](?:node_modules|\.slidev|dist)$/.test(src),
  })
  const entry = join(dir, 'slides.md')
  await writeFile(entry, stripAddons(await readFile(entry, 'utf8')))
  await symlink(join(repoRoot, 'components'), join(dir, 'components'), 'dir').catch(() => undefined)
  return entry
}

export async function plainSlidevBuild(deck: Deck, entry: string, outDir: string, base: string): Promise<void> {
  const { code } = await runSlidev([
    'build',
    entry,
    '--base',
    base,
    '--out',
    outDir,
  ], { stdio: 'ignore' })
  if (code !== 0)
    throw new UserError(`plain slidev build failed for ${deck.slug} (exit ${code})`)
}
