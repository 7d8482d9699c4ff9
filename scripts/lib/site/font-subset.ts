/**
 * The Japanese sans font of a public deck, cut down to the characters the deck shows.
 *
 * @fontsource serves BIZ UDPGothic as ~120 unicode-range slices per weight, sized for any Japanese
 * text; a deck of a few hundred distinct characters still pulls a dozen of them (160 KB before
 * slide 1 is drawn, 900 KB over a walk). Here every weight becomes two files subset from the full
 * font (@expo-google-fonts ships the TTFs): one with the characters of slide 1, one with every
 * other character the deck can show. Their unicode-ranges are disjoint, so opening the talk
 * downloads only the small first file; the second arrives when the audience moves on.
 *
 * The second face's range is everything except slide 1's characters: a character that is in
 * neither file still asks that face first, finds no glyph and falls back to the next family, as
 * it would with the full font. Which characters a deck shows comes from its sources and from the
 * text of every slide as rendered by the build (see thumbs.ts), so text made by components counts.
 */
import { createHash } from 'node:crypto'
import { readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { basename, join } from 'node:path'
import { cssFilesUnder, parseUnicodeRange, usedCodepoints } from './font-css.ts'
import { StageCache } from './stage-cache.ts'

export const SUBSET_FAMILY = 'BIZ UDPGothic'

/** The fonts subsets are cut from: BIZ UDPGothic in full (the weights the theme uses), and the code font's Latin file. */
const FULL_FONTS = {
  400: '@expo-google-fonts/biz-udpgothic/400Regular/BIZUDPGothic_400Regular.ttf',
  700: '@expo-google-fonts/biz-udpgothic/700Bold/BIZUDPGothic_700Bold.ttf',
  mono: '@fontsource/jetbrains-mono/files/jetbrains-mono-latin-400-normal.woff2',
} as const
type FontSource = keyof typeof FULL_FONTS

const MAX_CODEPOINT = 0x10FFFF

export type Range = [number, number]

/** Sorted, merged ranges of the code points. */
export function toRanges(codepoints: Iterable<number>): Range[] {
  const sorted = [
    ...new Set(codepoints),
  ].sort((a, b) => a - b)
  const out: Range[] = []
  for (const c of sorted) {
    const last = out.at(-1)
    if (last && c === last[1] + 1)
      last[1] = c
    else
      out.push([c, c])
  }
  return out
}

/** Every code point not in `ranges` (which must be sorted and merged, as toRanges gives them). */
export function complementRanges(ranges: Range[]): Range[] {
  const out: Range[] = []
  let next = 0
  for (const [a, b] of ranges) {
    if (a > next)
      out.push([next, a - 1])
    next = b + 1
  }
  if (next <= MAX_CODEPOINT)
    out.push([next, MAX_CODEPOINT])
  return out
}

export function formatUnicodeRange(ranges: Range[]): string {
  const hex = (n: number) => n.toString(16).toUpperCase()
  return ranges.map(([a, b]) => a === b
    ? `U+${hex(a)}`
    : `U+${hex(a)}-${hex(b)}`).join(',')
}

const FACE = /@font-face\s*\{[^}]*\}/g

function familyOf(rule: string): string | undefined {
  return /font-family:\s*["']?([^;"'}]+)/i.exec(rule)?.[1]?.trim()
}

/**
 * Removes the @font-face rules of `family`; returns the CSS without them, their weights, and the
 * folder their files were served from (the URL prefix up to the file name).
 */
export function removeFamilyFaces(css: string, family: string): { css: string, weights: number[], urlPrefix?: string } {
  const weights = new Set<number>()
  let urlPrefix: string | undefined
  const out = css.replace(FACE, (rule) => {
    if (familyOf(rule) !== family)
      return rule
    weights.add(Number.parseInt(/font-weight:\s*(\d+)/i.exec(rule)?.[1] ?? '400', 10))
    const url = /url\(["']?([^)"'\s]+)/i.exec(rule)?.[1]
    if (url && urlPrefix === undefined)
      urlPrefix = url.slice(0, url.lastIndexOf('/') + 1)
    return ''
  })
  return {
    css: out,
    weights: [...weights].sort((a, b) => a - b),
    urlPrefix,
  }
}

/**
 * The container a subset is written in: woff2 for what the site serves (brotli-compressed, about
 * 40% smaller), TrueType for what only the local render pass loads (a cut takes milliseconds
 * instead of the ~0.4 s woff2's compression costs, and Chromium re-subsets every font it embeds
 * in a PDF anyway).
 */
export type FontFormat = 'woff2' | 'truetype'

const FORMAT_EXT: Record<FontFormat, string> = { woff2: 'woff2', truetype: 'ttf' }

export function fontFaceRule(face: { family: string, weight: number, url: string, ranges: Range[], format?: FontFormat }): string {
  return `@font-face{font-family:${face.family};font-style:normal;font-display:swap;font-weight:${face.weight};`
    + `src:url(${face.url}) format("${face.format ?? 'woff2'}");unicode-range:${formatUnicodeRange(face.ranges)}}`
}

export interface SubsetFile {
  file: string
  weight: number
  part: 'first' | 'rest'
  chars: number
  bytes: number
}

export interface SubsetReport {
  files: SubsetFile[]
  /** @font-face rules of the family replaced. */
  replacedFaces: number
}

export interface SubsetChars {
  /** Characters of slide 1 as drawn. */
  first: Set<number>
  /** Every character the deck can show (slide 1's included). */
  all: Set<number>
}

export interface SubsetOptions {
  /** woff2 (default) for the site; truetype for a build only the render pass loads. */
  format?: FontFormat
}

const require = createRequire(import.meta.url)
const fullFontCache = new Map<FontSource, Promise<Buffer>>()

function fullFont(source: FontSource): Promise<Buffer> {
  let font = fullFontCache.get(source)
  if (!font) {
    font = readFile(require.resolve(FULL_FONTS[source]))
    fullFontCache.set(source, font)
  }
  return font
}

function sourceOf(weight: number): FontSource {
  if (weight !== 400 && weight !== 700)
    throw new Error(`no full ${SUBSET_FAMILY} font for weight ${weight} (known: 400, 700)`)
  return weight
}

/** Control characters (line breaks of the collected text among them) are never drawn. */
function drawable(chars: Set<number>): Set<number> {
  return new Set([...chars].filter(c => c >= 0x20 && !(c >= 0x7F && c <= 0x9F)))
}

/**
 * Replaces the built deck's BIZ UDPGothic faces with two subsets per weight, written next to the
 * other assets. The CSS is rewritten only after every font file is written, so a failure leaves
 * the deck as Slidev built it.
 */
export async function subsetDeckFonts(builtDir: string, chars: SubsetChars, options: SubsetOptions = {}): Promise<SubsetReport> {
  const format = options.format ?? 'woff2'
  const assets = join(builtDir, 'assets')
  const first = drawable(chars.first)
  const rest = new Set([
    ...drawable(chars.all),
  ].filter(c => !first.has(c)))
  const firstRanges = toRanges(first)
  const report: SubsetReport = { files: [], replacedFaces: 0 }
  const rewrites: { file: string, css: string }[] = []
  const written = new Map<string, string>()
  for (const file of await cssFilesUnder(assets)) {
    const css = await readFile(file, 'utf8')
    const removed = removeFamilyFaces(css, SUBSET_FAMILY)
    if (!removed.weights.length)
      continue
    report.replacedFaces += (css.match(FACE) ?? []).length - (removed.css.match(FACE) ?? []).length
    const rules: string[] = []
    for (const weight of removed.weights) {
      for (const [part, set, ranges] of [
        ['first', first, firstRanges],
        [
          'rest',
          rest,
          complementRanges(firstRanges),
        ],
      ] as const) {
        if (!set.size)
          continue
        const key = `${weight}-${part}`
        let name = written.get(key)
        if (!name) {
          const cut = await cutFont(sourceOf(weight), set, `biz-udpgothic-${weight}-${part}-`, format)
          name = cut.name
          const data = cut.data
          await writeFile(join(assets, name), data)
          written.set(key, name)
          report.files.push({
            file: name,
            weight,
            part,
            chars: set.size,
            bytes: data.length,
          })
        }
        rules.push(fontFaceRule({
          family: SUBSET_FAMILY,
          weight,
          url: `${removed.urlPrefix ?? ''}${name}`,
          ranges,
          format,
        }))
      }
    }
    rewrites.push({ file, css: rules.join('') + removed.css })
  }
  for (const { file, css } of rewrites)
    await writeFile(file, css)
  return report
}

/**
 * Cuts kept per kind of cut (font, weight, part): each deck's and page's current cuts and the ones
 * before them. A cut depends only on the font, the characters and the format, so an edit that adds
 * no new character (most note and heading edits) reuses it instead of paying woff2's compression.
 */
const CUTS_KEPT = 48

/** Cuts a font to `chars` (woff2 unless asked otherwise), named by its content: `<prefix><hash>.woff2`. */
async function cutFont(source: FontSource, chars: Set<number>, prefix: string, format: FontFormat = 'woff2'): Promise<{ name: string, data: Buffer }> {
  const text = String.fromCodePoint(...[...chars].sort((a, b) => a - b))
  const cache = new StageCache()
  const key = createHash('sha256').update(`${FULL_FONTS[source]}\n${format}\n${text}`).digest('hex').slice(0, 32)
  const hit = await cache.get('font', prefix, key)
  const dir = hit ?? await cache.put('font', prefix, key, async (out) => {
    // Loaded on first use: HarfBuzz instantiates its WebAssembly on import, which a build with
    // nothing to cut (every stage reused) would pay for nothing.
    const { default: subsetFont } = await import('subset-font')
    const data = await subsetFont(await fullFont(source), text, {
      targetFormat: format,
      // Hinting is for low-resolution Windows rendering; it is a fifth of the bytes.
      noHinting: true,
      // The closure adds every glyph a layout feature could substitute (vertical forms,
      // ligatures, alternates): two thirds of the bytes, for text these pages never set.
      noLayoutClosure: true,
    })
    const hash = createHash('sha256').update(data).digest('base64url').slice(0, 8)
    await writeFile(join(out, `${prefix}${hash}.${FORMAT_EXT[format]}`), data)
  }, { keep: CUTS_KEPT })
  const [name] = await readdir(dir)
  return { name: name!, data: await readFile(join(dir, name!)) }
}

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: '\'',
  nbsp: '\u00A0',
}

/** The text of an HTML page as it is drawn: elements, scripts, styles and comments left out, entities decoded. */
export function htmlText(html: string): string {
  return html
    .replace(/<(script|style|title)\b[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(#x[\da-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
      if (e[0] === '#') {
        return String.fromCodePoint(e[1] === 'x' || e[1] === 'X'
          ? Number.parseInt(e.slice(2), 16)
          : Number.parseInt(e.slice(1), 10))
      }
      return ENTITIES[e.toLowerCase()] ?? m
    })
}

/**
 * Gives a static page of the site (the index, a transcript) the deck's typeface, cut to the
 * page's own characters: a woff2 per weight written into `dir` (the page's folder, so the page
 * finds it by a relative URL under any base path), and their @font-face rules added to its head.
 * A reader who has BIZ UDPGothic installed downloads nothing (`local()` comes first); anyone else
 * sees the page as the slides look, and never a missing-glyph box on a machine without Japanese fonts.
 */
export async function withPageFont(html: string, dir: string): Promise<string> {
  const textOf = (tags: string) => [
    ...html.matchAll(new RegExp(`<(${tags})\\b[^>]*>([\\s\\S]*?)<\\/\\1>`, 'gi')),
  ].map(m => htmlText(m[2]!))
  const faces = [
    {
      family: SUBSET_FAMILY,
      weight: 400,
      source: 400,
      local: [SUBSET_FAMILY, 'BIZUDPGothic-Regular'],
      text: [
        htmlText(html),
      ],
    },
    // Bold is drawn by headings, table heads, <dt>, <strong>/<b> and form labels (the index's search box) only: the bold file holds their text.
    {
      family: SUBSET_FAMILY,
      weight: 700,
      source: 700,
      local: [`${SUBSET_FAMILY} Bold`, 'BIZUDPGothic-Bold'],
      text: textOf('h[1-6]|th|dt|strong|b|label'),
    },
    // Code keeps its monospace face (Japanese in it falls through to BIZ UDPGothic, which the page's stack names next).
    {
      family: 'JetBrains Mono',
      weight: 400,
      source: 'mono',
      local: ['JetBrains Mono', 'JetBrainsMono-Regular'],
      text: textOf('code|pre|kbd|samp'),
    },
  ] as const
  const rules: string[] = []
  const names: string[] = []
  for (const face of faces) {
    if (!face.text.join('').trim())
      continue
    const prefix = `${face.family.toLowerCase().replace(/\s+/g, '-')}-${face.weight}-`
    const { name, data } = await cutFont(face.source, drawable(usedCodepoints([...face.text], { ascii: face.source !== 'mono' })), prefix)
    await writeFile(join(dir, name), data)
    names.push(name)
    rules.push(`@font-face{font-family:${face.family};font-style:normal;font-display:swap;font-weight:${face.weight};`
      + `src:local("${face.local[0]}"),local(${face.local[1]}),url(${name}) format("woff2")}`)
  }
  // Fonts of an earlier version of the page would only pile up.
  for (const old of await readdir(dir)) {
    if (/^(?:biz-udpgothic|jetbrains-mono)-\d+-[\w-]{8}\.woff2$/.test(old) && !names.includes(old))
      await rm(join(dir, old))
  }
  return html.replace(/<\/head>/i, `<style>${rules.join('')}</style>\n</head>`)
}

/** The characters a font file (TTF, WOFF or WOFF2) has glyphs for, read from its cmap by HarfBuzz. */
export async function fontCodepoints(data: Buffer): Promise<Set<number>> {
  const [{ convert }, hb] = await Promise.all([import('fontverter'), import('harfbuzzjs')])
  const sfnt = await convert(data, 'sfnt')
  return new Set(new hb.Face(new hb.Blob(sfnt)).collectUnicodes())
}

/**
 * What the subset faces of a built deck can draw, by weight: the characters that are both in a
 * face's unicode-range and in its file. A character outside this is drawn with another font.
 */
export async function deckFontCoverage(builtDir: string): Promise<Map<number, Set<number>>> {
  const coverage = new Map<number, Set<number>>()
  for (const file of await cssFilesUnder(join(builtDir, 'assets'))) {
    for (const rule of (await readFile(file, 'utf8')).match(FACE) ?? []) {
      if (familyOf(rule) !== SUBSET_FAMILY)
        continue
      const weight = Number.parseInt(/font-weight:\s*(\d+)/i.exec(rule)?.[1] ?? '400', 10)
      const url = /url\(["']?([^)"'\s]+)/i.exec(rule)?.[1] ?? ''
      const ranges = parseUnicodeRange(/unicode-range:\s*([^;}]+)/i.exec(rule)?.[1] ?? 'U+0-10FFFF')
      const inFile = await fontCodepoints(await readFile(join(builtDir, 'assets', basename(url))))
      const set = coverage.get(weight) ?? new Set<number>()
      for (const c of inFile) {
        if (ranges.some(([a, b]) => c >= a && c <= b))
          set.add(c)
      }
      coverage.set(weight, set)
    }
  }
  return coverage
}

const FONT_FILE = /\.(?:woff2?|ttf|otf|eot)$/i

/**
 * Deletes font files of the built deck that no CSS, script or page names any more (the slices
 * pruned or replaced above): they would only weigh on the deploy and the cache.
 */
export async function removeUnreferencedFonts(builtDir: string): Promise<{ removed: number, bytes: number }> {
  const files: string[] = []
  const walk = async (dir: string) => {
    for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
      const full = join(dir, e.name)
      if (e.isDirectory())
        await walk(full)
      else
        files.push(full)
    }
  }
  await walk(builtDir)
  const texts = await Promise.all(files.filter(f => /\.(?:css|m?js|html|json|webmanifest)$/.test(f)).map(f => readFile(f, 'utf8')))
  let removed = 0
  let bytes = 0
  for (const f of files.filter(f => FONT_FILE.test(f))) {
    const name = basename(f)
    if (texts.some(t => t.includes(name)))
      continue
    bytes += (await readFile(f)).length
    await rm(f)
    removed++
  }
  return { removed, bytes }
}
