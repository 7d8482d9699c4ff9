/**
 * "Nothing outside the repository": a deck that imports slides (`src:`), loads an addon or theme,
 * or links a file from outside the repository works on the author's machine only, and a check that
 * followed it would read (and report) someone else's files. These rules look at paths without
 * reading what they point to; the build runs them first (`assertInsideRepository`) so such a deck
 * fails at once with its name instead of deep inside Slidev.
 */
import type { Finding } from './types.ts'
import { existsSync, lstatSync, readdirSync, realpathSync } from 'node:fs'
import { dirname, isAbsolute, join, relative, resolve } from 'node:path'
import { parseSync } from '@slidev/parser'
import { readDeckSource } from '../decks.ts'
import { UserError } from '../errors.ts'
import { repoRoot } from '../paths.ts'
import { isPathName, resolvePathName } from './components.ts'

type Emit = (f: Omit<Finding, 'deck'>) => void

/** Inside the repository, by the path as written and, when it exists, by where it really is (symlinks). */
export function insideRepo(path: string): boolean {
  const lexical = relative(repoRoot, resolve(path))
  if (lexical.startsWith('..') || isAbsolute(lexical))
    return false
  if (!existsSync(path))
    return true
  const real = relative(realpathSync(repoRoot), realpathSync(path))
  return !(real.startsWith('..') || isAbsolute(real))
}

/** A deck file's text, refusing files outside the repository (for Slidev's `load`). */
export async function readInside(file: string): Promise<string> {
  if (!insideRepo(file))
    throw new Error(`${file} is outside the repository; not read`)
  return readDeckSource(file)
}

/** 1-based line of the first line in `lines` (from `from`, 0-based) matching `re`. */
function lineMatching(lines: string[], re: RegExp, from = 0, to = lines.length): number | undefined {
  for (let i = from; i < Math.min(to, lines.length); i++) {
    if (re.test(lines[i]!))
      return i + 1
  }
  return undefined
}

function shown(path: string): string {
  return relative(repoRoot, path)
}

/**
 * `src:` imports (followed only while they stay inside), path addons and themes, and symlinks in the
 * deck folder that lead out. Returns true when the deck is clean (safe for Slidev to load).
 */
export function checkOutside(deckDir: string, emit: Emit): boolean {
  let clean = true
  const entry = join(deckDir, 'slides.md')
  const visited = new Set<string>()
  const visit = (file: string) => {
    if (visited.has(file) || !existsSync(file))
      return
    visited.add(file)
    const source = readDeckSource(file)
    const lines = source.split('\n')
    const parsed = parseSync(source, file)
    for (const [i, slide] of parsed.slides.entries()) {
      const fm = slide.frontmatter as Record<string, unknown>
      if (i === 0 && file === entry) {
        const addons = Array.isArray(fm.addons)
          ? fm.addons
          : []
        for (const addon of addons) {
          if (typeof addon !== 'string' || !isPathName(addon))
            continue
          const path = resolvePathName(deckDir, addon)
          if (!insideRepo(path)) {
            clean = false
            emit({
              file,
              line: lineMatching(lines, new RegExp(`^\\s*-\\s*['"]?${addon.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}['"]?\\s*$`), slide.start, slide.end),
              severity: 'error',
              rule: 'outside/addon',
              message: `addon "${addon}" is outside the repository (${path}): keep shared components in the repository (the repo root is the addon "..") or install the addon with npm`,
            })
          }
        }
        if (typeof fm.theme === 'string' && isPathName(fm.theme) && !insideRepo(resolvePathName(deckDir, fm.theme))) {
          clean = false
          emit({
            file,
            line: lineMatching(lines, /^\s*theme\s*:/, slide.start, slide.end),
            severity: 'error',
            rule: 'outside/theme',
            message: `theme "${fm.theme}" is outside the repository: install the theme with npm or keep it in the repository`,
          })
        }
      }
      if (typeof fm.src !== 'string' || fm.disabled || fm.hide)
        continue
      const raw = fm.src.split('#')[0]!
      const path = raw.startsWith('/')
        ? resolve(deckDir, raw.slice(1))
        : resolve(dirname(file), raw)
      if (!insideRepo(path)) {
        clean = false
        emit({
          file,
          line: lineMatching(lines, /^\s*src\s*:/, slide.start, slide.end) ?? slide.start + 1,
          severity: 'error',
          rule: 'outside/src',
          message: `slide ${i + 1} imports "${fm.src}", which is outside the repository${existsSync(path)
            ? ' (not read)'
            : ''}: copy the slides into the deck folder and import them from there`,
        })
        continue
      }
      visit(path)
    }
  }
  visit(entry)
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name)
      if (e.name === 'node_modules' || e.name === '.slidev' || e.name === 'dist')
        continue
      if (lstatSync(p).isSymbolicLink()) {
        if (!insideRepo(p)) {
          clean = false
          let target = ''
          try {
            target = realpathSync(p)
          }
          catch {
            target = '(missing)'
          }
          emit({
            file: p,
            severity: 'error',
            rule: 'outside/symlink',
            message: `symlink ${shown(p)} leads outside the repository (${target}): copy the file into the deck folder`,
          })
        }
      }
      else if (e.isDirectory()) {
        walk(p)
      }
    }
  }
  if (lstatSync(deckDir).isSymbolicLink() && !insideRepo(deckDir)) {
    clean = false
    emit({
      file: deckDir,
      severity: 'error',
      rule: 'outside/symlink',
      message: `deck folder ${shown(deckDir)} is a symlink to outside the repository: move the deck into the repository`,
    })
  }
  else {
    walk(deckDir)
  }
  return clean
}

/**
 * For `npm run build` and export: throws a UserError naming every deck that reaches outside the
 * repository, before Slidev is started.
 */
export function assertInsideRepository(decks: { slug: string, dir: string }[]): void {
  const problems: string[] = []
  for (const deck of decks) {
    checkOutside(deck.dir, f => problems.push(`${deck.slug}: ${shown(f.file)}${f.line
      ? `:${f.line}`
      : ''}: ${f.message}`))
  }
  if (problems.length)
    throw new UserError(`a deck reaches outside the repository; nothing was built:\n${problems.map(p => `  ${p}`).join('\n')}`)
}
