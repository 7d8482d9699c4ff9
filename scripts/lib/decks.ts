/**
 * Deck discovery, shared by every command: a deck is `decks/<slug>/slides.md`, and the folder
 * name is its slug everywhere (URL path, PDF name, transcript name).
 */
import type { Headmatter, MetaIssue } from './meta.ts'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { parseSync } from '@slidev/parser'
import { validateHeadmatter } from './meta.ts'
import { decksDir as defaultDecksDir, repoRoot } from './paths.ts'

export interface Deck {
  slug: string
  dir: string
  entry: string
  /** Decks whose slug starts with `_` (gallery, fixtures) stay out of the public site. */
  hidden: boolean
  meta: Headmatter
}

export class DeckError extends Error {
  readonly userFacing = true
  readonly file?: string
  readonly issues: MetaIssue[]
  constructor(message: string, file?: string, issues: MetaIssue[] = []) {
    super(message)
    this.name = 'DeckError'
    this.file = file
    this.issues = issues
  }
}

const SLUG = /^_?[a-z0-9][a-z0-9-]*$/

/**
 * A deck file's text as every command reads it: without a byte-order mark and with LF line endings,
 * so a deck saved by a Windows editor (BOM, CRLF) reads the same as any other. Slidev's parser splits
 * CRLF itself but takes a leading BOM for text and loses the headmatter.
 */
export function normalizeDeckSource(text: string): string {
  return text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n')
}

export function readDeckSource(file: string): string {
  return normalizeDeckSource(readFileSync(file, 'utf8'))
}

/** The same for Slidev's `load` (its `sources` argument): every imported Markdown file is read this way. */
export async function loadDeckSource(file: string): Promise<string> {
  return normalizeDeckSource(await readFile(file, 'utf8'))
}

/** Line (1-based) of a dotted headmatter field, to point an error at the right place. */
export function lineOfField(source: string, field: string): number | undefined {
  const lines = source.split(/\r?\n/)
  const end = lines.indexOf('---', 1)
  const keys = field.split('.').filter(k => !/^\d+$/.test(k))
  let from = 1
  let found: number | undefined
  for (const key of keys) {
    const re = new RegExp(`^\\s*${key.replace(/[$()*+.?[\\\]^{|}]/g, '\\$&')}\\s*:`)
    const idx = lines.findIndex((l, i) => i >= from && (end < 0 || i < end) && re.test(l))
    if (idx < 0)
      break
    found = idx + 1
    from = idx + 1
  }
  return found
}

export function formatIssues(file: string, source: string, issues: MetaIssue[]): string {
  const rel = relative(repoRoot, file)
  return issues.map((i) => {
    const line = lineOfField(source, i.field)
    return `${rel}${line
      ? `:${line}`
      : ''}: ${i.field} ${i.message}`
  }).join('\n')
}

/** Reads one deck folder; throws DeckError naming the file and every invalid field. */
export function loadDeck(dir: string, slug: string): Deck {
  const entry = join(dir, 'slides.md')
  if (!SLUG.test(slug))
    throw new DeckError(`${relative(repoRoot, dir)}: folder name "${slug}" is not a valid slug (lowercase letters, digits and hyphens)`, dir)
  if (!existsSync(entry))
    throw new DeckError(`${relative(repoRoot, dir)}: no slides.md in this deck folder`, entry)
  const source = readDeckSource(entry)
  let headmatter: unknown
  try {
    headmatter = parseSync(source, entry).slides[0]?.frontmatter
  }
  catch (e) {
    throw new DeckError(`${relative(repoRoot, entry)}: cannot parse the headmatter: ${(e as Error).message}`, entry)
  }
  const result = validateHeadmatter(headmatter)
  if (!result.ok)
    throw new DeckError(`invalid deck metadata\n${formatIssues(entry, source, result.issues)}`, entry, result.issues)
  return {
    slug,
    dir,
    entry,
    hidden: slug.startsWith('_'),
    meta: result.value,
  }
}

export interface DiscoverOptions {
  dir?: string
  /** Include `_`-prefixed decks (gallery, fixtures). */
  hidden?: boolean
}

export interface Scan {
  decks: Deck[]
  /** Deck folders that failed to load, by slug. */
  invalid: Map<string, DeckError>
}

/** Every deck folder: the valid decks newest first, and the errors of the invalid ones. */
export function scanDecks(options: DiscoverOptions = {}): Scan {
  const dir = options.dir ?? defaultDecksDir
  const scan: Scan = {
    decks: [],
    invalid: new Map(),
  }
  if (!existsSync(dir))
    return scan
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith('.'))
      continue
    if (entry.name.startsWith('_') && !options.hidden)
      continue
    try {
      scan.decks.push(loadDeck(join(dir, entry.name), entry.name))
    }
    catch (e) {
      scan.invalid.set(entry.name, e instanceof DeckError
        ? e
        : new DeckError(String(e)))
    }
  }
  scan.decks.sort((a, b) => b.meta.talk.date.localeCompare(a.meta.talk.date) || a.slug.localeCompare(b.slug))
  return scan
}

/** Every deck, newest first. Throws one DeckError listing every invalid deck. */
export function discoverDecks(options: DiscoverOptions = {}): Deck[] {
  const { decks, invalid } = scanDecks(options)
  if (invalid.size) {
    throw new DeckError([
      ...invalid.values(),
    ].map(e => e.message).join('\n'))
  }
  return decks
}

/** Like matchDeck, but a query naming an invalid deck reports that deck's own errors. */
export function matchScanned(scan: Scan, query: string): Deck {
  const broken = [
    ...scan.invalid.keys(),
  ].filter(s => s === query || s.startsWith(query) || shortName(s).startsWith(query))
  if (broken.length === 1 && !scan.decks.some(d => d.slug.startsWith(query) || shortName(d.slug).startsWith(query))) {
    const err = scan.invalid.get(broken[0]!)!
    throw new DeckError(err.message, err.file, err.issues)
  }
  return matchDeck(scan.decks, query)
}

/** The slug without its leading date, e.g. serverless-update-2024. */
export function shortName(slug: string): string {
  return slug.replace(/^_/, '').replace(/^\d{4}-\d{2}(-\d{2})?-/, '')
}

/**
 * Finds decks by a query: an exact slug, or a unique prefix of the slug or of its dateless name.
 * Throws with the candidates when the query is ambiguous or matches nothing.
 */
export function matchDeck(decks: Deck[], query: string): Deck {
  const exact = decks.find(d => d.slug === query || shortName(d.slug) === query)
  if (exact)
    return exact
  const hits = decks.filter(d => d.slug.startsWith(query) || shortName(d.slug).startsWith(query))
  if (hits.length === 1)
    return hits[0]!
  const list = (hits.length ? hits : decks).map(d => `  ${d.slug}`).join('\n')
  if (hits.length === 0)
    throw new DeckError(`no deck matches "${query}". Decks:\n${list || '  (none: create one with npm run new -- <slug>)'}`)
  throw new DeckError(`"${query}" matches ${hits.length} decks; type more of the slug:\n${list}`)
}

/** Resolves several queries (none: every public deck). */
export function selectDecks(decks: Deck[], queries: string[]): Deck[] {
  if (!queries.length)
    return decks.filter(d => !d.hidden)
  const picked = queries.map(q => matchDeck(decks, q))
  return [
    ...new Map(picked.map(d => [d.slug, d])).values(),
  ]
}

/**
 * The decks a command works on: the named ones (hidden decks may be named), or every public deck.
 * `purpose` completes the sentence "no public deck to …" when there is none.
 */
export function decksForCommand(queries: string[], purpose: string, options: DiscoverOptions = {}): Deck[] {
  const scan = scanDecks({ ...options, hidden: queries.length > 0 || options.hidden })
  const decks = queries.length
    ? [
        ...new Map(queries.map(q => matchScanned(scan, q)).map(d => [d.slug, d])).values(),
      ]
    : scan.decks.filter(d => !d.hidden)
  if (!decks.length)
    throw new DeckError(`no public deck to ${purpose}: create one with npm run new -- <slug>, or name a deck`)
  return decks
}
