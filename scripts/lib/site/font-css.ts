/**
 * Trims the built CSS of a deck: @fontsource declares one @font-face per unicode-range slice of the
 * Japanese fonts (about 280 rules, 130 KB gzip, loaded before slide 1 is drawn). A deck uses a few
 * hundred characters, so the rules whose range holds none of them are dropped, and so are the
 * `.woff` fallbacks every browser that runs Slidev skips for `.woff2`. A character missing from the
 * kept slices would fall back to the next font of the stack, never to a blank.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { listFiles } from './hash.ts'

/** Every code point of the texts, plus printable ASCII (URLs, code, numbers typed anywhere) unless `ascii` is false. */
export function usedCodepoints(texts: string[], options: { ascii?: boolean } = {}): Set<number> {
  const used = new Set<number>()
  for (let c = 0x20; c < 0x7F && options.ascii !== false; c++)
    used.add(c)
  for (const t of texts) {
    for (const ch of t)
      used.add(ch.codePointAt(0)!)
  }
  return used
}

export function parseUnicodeRange(value: string): [number, number][] {
  return value.split(',').map(s => s.trim().replace(/^U\+/i, '')).filter(Boolean).map((r) => {
    if (r.includes('?')) {
      return [
        Number.parseInt(r.replace(/\?/g, '0'), 16),
        Number.parseInt(r.replace(/\?/g, 'F'), 16),
      ] as [number, number]
    }
    const [a, b] = r.split('-')
    const from = Number.parseInt(a!, 16)
    return [
      from,
      b
        ? Number.parseInt(b, 16)
        : from,
    ] as [number, number]
  })
}

export function pruneFontFaces(css: string, used: Set<number>): { css: string, removed: number, kept: number } {
  let removed = 0
  let kept = 0
  const out = css.replace(/@font-face\s*\{[^}]*\}/g, (rule) => {
    const range = /unicode-range:\s*([^;}]+)/i.exec(rule)?.[1]
    if (range) {
      const ranges = parseUnicodeRange(range)
      const hit = [...used].some(c => ranges.some(([a, b]) => c >= a && c <= b))
      if (!hit) {
        removed++
        return ''
      }
    }
    kept++
    return rule.replace(/,\s*url\([^)]*\.woff\)\s*format\(["']?woff["']?\)/g, '')
  })
  return { css: out, removed, kept }
}

/** Text a deck can show: its own files (speaker notes left out, as the build drops them) and the shared components. */
export async function deckTexts(deckDir: string, sharedDirs: string[]): Promise<string[]> {
  const files = [deckDir, ...sharedDirs].flatMap(d => listFiles(d)).filter(f => /\.(?:md|vue|ts|css|ya?ml|json|svg|html)$/.test(f))
  return Promise.all(files.map(async (f) => {
    const text = await readFile(f, 'utf8')
    return f.endsWith('.md')
      ? text.replace(/<!--[\s\S]*?-->/g, '')
      : text
  }))
}

/** Every stylesheet under a built deck's folder (Vite nests some under assets/modules/). */
export async function cssFilesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => [])
  const nested = await Promise.all(entries.map(e => e.isDirectory()
    ? cssFilesUnder(join(dir, e.name))
    : Promise.resolve(e.name.endsWith('.css')
        ? [
            join(dir, e.name),
          ]
        : [])))
  return nested.flat()
}

/** Prunes every CSS file of a built deck; returns how many @font-face rules were dropped. */
export async function pruneBuiltFonts(builtDir: string, used: Set<number>): Promise<{ removed: number, kept: number }> {
  let removed = 0
  let kept = 0
  for (const file of await cssFilesUnder(join(builtDir, 'assets'))) {
    const css = await readFile(file, 'utf8')
    if (!css.includes('@font-face'))
      continue
    const r = pruneFontFaces(css, used)
    removed += r.removed
    kept += r.kept
    if (r.css !== css)
      await writeFile(file, r.css)
  }
  return { removed, kept }
}
