import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import process from 'node:process'
import { describe, expect, it } from 'vitest'
import { parseUnicodeRange } from './font-css.ts'
import { complementRanges, deckFontCoverage, fontCodepoints, formatUnicodeRange, htmlText, removeFamilyFaces, removeUnreferencedFonts, subsetDeckFonts, toRanges, withPageFont } from './font-subset.ts'

const cps = (s: string) => new Set([...s].map(c => c.codePointAt(0)!))

describe('unicode ranges', () => {
  it('merges runs of code points and formats them as CSS reads them', () => {
    const ranges = toRanges([0x43, 0x41, 0x42, 0x3042, 0x41])
    expect(ranges).toEqual([
      [0x41, 0x43],
      [0x3042, 0x3042],
    ])
    expect(formatUnicodeRange(ranges)).toBe('U+41-43,U+3042')
    expect(parseUnicodeRange(formatUnicodeRange(ranges))).toEqual(ranges)
  })

  it('complements ranges over all of Unicode, with no gap and no overlap', () => {
    const ranges = toRanges(cps('Aあ'))
    expect(complementRanges(ranges)).toEqual([
      [0, 0x40],
      [0x42, 0x3041],
      [0x3043, 0x10FFFF],
    ])
    expect(complementRanges([
      [0, 0x10FFFF],
    ])).toEqual([])
  })
})

const CSS = [
  '.x{color:red}',
  '@font-face{font-family:BIZ UDPGothic;font-weight:400;src:url(/t/d/assets/biz-1-400.woff2)format("woff2");unicode-range:U+3042}',
  '@font-face{font-family:BIZ UDPGothic;font-weight:700;src:url(/t/d/assets/biz-1-700.woff2)format("woff2");unicode-range:U+3042}',
  '@font-face{font-family:JetBrains Mono;font-weight:400;src:url(/t/d/assets/mono.woff2)format("woff2")}',
].join('')

describe('replacing the font slices of a built deck', () => {
  it('finds the family\'s rules, their weights and where their files are served from', () => {
    const r = removeFamilyFaces(CSS, 'BIZ UDPGothic')
    expect(r.weights).toEqual([400, 700])
    expect(r.urlPrefix).toBe('/t/d/assets/')
    expect(r.css).toBe('.x{color:red}@font-face{font-family:JetBrains Mono;font-weight:400;src:url(/t/d/assets/mono.woff2)format("woff2")}')
  })

  it('writes a small first subset and a rest subset per weight, with disjoint ranges', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'subset-'))
    mkdirSync(join(dir, 'assets'))
    writeFileSync(join(dir, 'assets', 'index.css'), CSS)
    writeFileSync(join(dir, 'assets', 'biz-1-400.woff2'), 'old')
    writeFileSync(join(dir, 'assets', 'mono.woff2'), 'mono')
    const first = cps('サーバーレス 2024\n')
    const all = cps('サーバーレス 2024 オーケストレーションとコレオグラフィ')
    const report = await subsetDeckFonts(dir, { first, all })
    expect(report.replacedFaces).toBe(2)
    expect(report.files.map(f => `${f.weight} ${f.part} ${f.chars}`)).toEqual([
      '400 first 9',
      '400 rest 12',
      '700 first 9',
      '700 rest 12',
    ])
    const firstFile = report.files.find(f => f.weight === 400 && f.part === 'first')!
    const restFile = report.files.find(f => f.weight === 400 && f.part === 'rest')!
    // A subset of ten glyphs is a few kilobytes; the full font is 4.5 MB.
    expect(firstFile.bytes).toBeLessThan(8_000)
    expect(restFile.bytes).toBeGreaterThan(firstFile.bytes)
    expect(readFileSync(join(dir, 'assets', firstFile.file)).subarray(0, 4).toString('latin1')).toBe('wOF2')

    const css = readFileSync(join(dir, 'assets', 'index.css'), 'utf8')
    expect(css).not.toContain('biz-1-400')
    expect(css).toContain('.x{color:red}')
    expect(css).toContain(`url(/t/d/assets/${firstFile.file}) format("woff2")`)
    const faces = [
      ...css.matchAll(/@font-face\{[^}]*BIZ UDPGothic[^}]*font-weight:400[^}]*unicode-range:([^}]+)\}/g),
    ].map(m => parseUnicodeRange(m[1]!))
    expect(faces).toHaveLength(2)
    const covers = (ranges: [number, number][], c: number) => ranges.some(([a, b]) => c >= a && c <= b)
    // Every drawn character of slide 1 is in the first face only; every other character only in the rest face.
    for (const c of all) {
      const inFirst = covers(faces[0]!, c)
      const inRest = covers(faces[1]!, c)
      expect(inFirst !== inRest, String.fromCodePoint(c)).toBe(true)
      expect(inFirst, String.fromCodePoint(c)).toBe(first.has(c))
    }

    // The files hold the glyphs: what the faces can draw is exactly the deck's characters (space included).
    expect(await fontCodepoints(readFileSync(join(dir, 'assets', firstFile.file)))).toEqual(cps('サーバーレス 2024'))
    const coverage = await deckFontCoverage(dir)
    expect([
      ...coverage.keys(),
    ]).toEqual([400, 700])
    expect(coverage.get(700)).toEqual(all)

    const cleaned = await removeUnreferencedFonts(dir)
    expect(cleaned.removed).toBe(1)
    expect(readdirSync(join(dir, 'assets')).sort()).toEqual([
      ...report.files.map(f => f.file),
      'index.css',
      'mono.woff2',
    ].sort())
  })

  it('cuts TrueType for a build only the render pass loads, and a later woff2 cut replaces it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'subset-'))
    mkdirSync(join(dir, 'assets'))
    writeFileSync(join(dir, 'assets', 'index.css'), CSS)
    const all = cps('サーバーレス 2024')
    const ttf = await subsetDeckFonts(dir, {
      first: new Set(),
      all,
    }, { format: 'truetype' })
    expect(ttf.files.map(f => `${f.weight} ${f.part} ${f.file.split('.').pop()}`)).toEqual(['400 rest ttf', '700 rest ttf'])
    const file = join(dir, 'assets', ttf.files[0]!.file)
    // An sfnt with TrueType outlines starts with version 1.0.
    expect(readFileSync(file).readUInt32BE(0)).toBe(0x00010000)
    expect(await fontCodepoints(readFileSync(file))).toEqual(all)
    let css = readFileSync(join(dir, 'assets', 'index.css'), 'utf8')
    expect(css).toContain(`url(/t/d/assets/${ttf.files[0]!.file}) format("truetype")`)

    // The fonts stage cuts the site's woff2 over the build's faces; the TrueType files go.
    const woff2 = await subsetDeckFonts(dir, {
      first: cps('サ'),
      all,
    })
    expect(woff2.replacedFaces).toBe(2)
    css = readFileSync(join(dir, 'assets', 'index.css'), 'utf8')
    expect(css).not.toContain('truetype')
    expect((await removeUnreferencedFonts(dir)).removed).toBe(2)
    expect(readdirSync(join(dir, 'assets')).filter(f => f.endsWith('.ttf'))).toEqual([])
  })

  it('leaves a deck without the family untouched', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'subset-'))
    mkdirSync(join(dir, 'assets'))
    writeFileSync(join(dir, 'assets', 'index.css'), '.x{color:red}')
    const report = await subsetDeckFonts(dir, {
      first: cps('あ'),
      all: cps('あい'),
    })
    expect(report).toEqual({ files: [], replacedFaces: 0 })
    expect(readFileSync(join(dir, 'assets', 'index.css'), 'utf8')).toBe('.x{color:red}')
  })
})

describe('the typeface of the static pages', () => {
  it('reads a page\'s text as drawn: no tags, scripts or styles, entities decoded', () => {
    expect(htmlText('<head><title>題</title><style>a{}</style></head><p>A&amp;B &#x3042;&#12356;</p><script>x()</script>').replace(/\s+/g, ' ').trim())
      .toBe('A&B あい')
  })

  it('writes a regular file with the page\'s characters and a bold one with its headings\' only', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'page-font-'))
    writeFileSync(join(dir, 'biz-udpgothic-400-OLDOLD00.woff2'), 'stale')
    const html = '<html><head><title>x</title></head><body><h1>発表一覧</h1><p>サーバーレスの話</p></body></html>'
    const out = await withPageFont(html, dir)
    const files = readdirSync(dir).sort()
    expect(files).toHaveLength(2)
    expect(files.every(f => /^biz-udpgothic-(?:400|700)-[\w-]{8}\.woff2$/.test(f))).toBe(true)
    const regular = files.find(f => f.includes('-400-'))!
    const bold = files.find(f => f.includes('-700-'))!
    const has = async (f: string) => fontCodepoints(readFileSync(join(dir, f)))
    const regularChars = await has(regular)
    expect([
      ...cps('発表一覧サーバーレスの話'),
    ].filter(c => !regularChars.has(c))).toEqual([])
    const boldChars = await has(bold)
    expect(boldChars.has('発'.codePointAt(0)!)).toBe(true)
    expect(boldChars.has('話'.codePointAt(0)!)).toBe(false)
    expect(out).toContain(`local("BIZ UDPGothic Bold"),local(BIZUDPGothic-Bold),url(${bold}) format("woff2")`)
    expect(out.indexOf('@font-face')).toBeLessThan(out.indexOf('</head>'))
    // The same page gives the same files (the transcript's output is byte-identical run to run).
    expect(await withPageFont(html, dir)).toBe(out)
    expect(readdirSync(dir).sort()).toEqual(files)
  })

  it('cuts a set of characters once: the same set again comes from the cache, a new set is cut', async () => {
    const saved = process.env.TALKS_CACHE_DIR
    const cacheRoot = mkdtempSync(join(tmpdir(), 'font-cache-'))
    process.env.TALKS_CACHE_DIR = cacheRoot
    try {
      const cuts = () => readdirSync(join(cacheRoot, 'font', 'biz-udpgothic-400-'))
      const first = mkdtempSync(join(tmpdir(), 'page-font-'))
      await withPageFont('<html><head></head><body><p>再利用の確認</p></body></html>', first)
      expect(cuts()).toHaveLength(1)
      // Mark the cached cut: a page that gets the mark was served from the cache, not cut again.
      const entry = join(cacheRoot, 'font', 'biz-udpgothic-400-', cuts()[0]!)
      const [file] = readdirSync(entry)
      writeFileSync(join(entry, file!), 'from the cache')
      const second = mkdtempSync(join(tmpdir(), 'page-font-'))
      // The same characters in another order.
      await withPageFont('<html><head></head><body><p>確認の再利用</p></body></html>', second)
      expect(cuts()).toHaveLength(1)
      expect(readFileSync(join(second, file!), 'utf8')).toBe('from the cache')
      await withPageFont('<html><head></head><body><p>新しい文字</p></body></html>', second)
      expect(cuts()).toHaveLength(2)
    }
    finally {
      if (saved === undefined)
        delete process.env.TALKS_CACHE_DIR
      else
        process.env.TALKS_CACHE_DIR = saved
    }
  })
})
