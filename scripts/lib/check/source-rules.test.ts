/**
 * The source rules over one failing fixture deck per fault (scripts/fixtures/_check-*): each fails
 * `npm run check` with a message naming its file and line; the BOM/CRLF deck passes.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest'
import buildCommand from '../../commands/build.ts'
import checkCommand from '../../commands/check.ts'
import transcriptCommand from '../../commands/transcript.ts'
import { repoRoot } from '../paths.ts'
import { slideSteps } from './clicks.ts'
import { checkDecks, findingsJson, formatAnnotation, formatFinding, targetFromDir } from './index.ts'
import { assertInsideRepository } from './outside.ts'
import { transcriptWording } from './slide-rules.ts'
import { literal, parseSlideTemplate, UNKNOWN } from './template.ts'

const fixture = (name: string) => join(repoRoot, 'scripts/fixtures', name)
/** 1-based line of the first line of a fixture's slides.md containing `text`. */
function lineOf(name: string, text: string): number {
  const lines = readFileSync(join(fixture(name), 'slides.md'), 'utf8').split('\n')
  const i = lines.findIndex(l => l.includes(text))
  if (i < 0)
    throw new Error(`"${text}" not in ${name}`)
  return i + 1
}

afterEach(() => vi.restoreAllMocks())

const cases: { deck: string, rule: string, at: string, says: RegExp }[] = [
  {
    deck: '_check-unknown-component',
    rule: 'components/unknown',
    at: '<NoSuchDiagram',
    says: /<NoSuchDiagram> is not a component.*check the spelling/,
  },
  {
    deck: '_check-prop-type',
    rule: 'components/props',
    at: '<ServerlessViewpoints',
    says: /type check failed for prop "step"\. Expected Boolean, got String with value "yes"/,
  },
  {
    deck: '_check-mermaid',
    rule: 'mermaid/syntax',
    at: '--> -->',
    says: /Mermaid diagram does not parse: Parse error on line 2/,
  },
  {
    deck: '_check-missing-image',
    rule: 'assets/missing',
    at: 'no-such-diagram.png',
    says: /no-such-diagram\.png does not exist.*add the file/,
  },
  {
    deck: '_check-outside-image',
    rule: 'outside/asset',
    at: 'etc/hostname',
    says: /outside the repository \(not read\)/,
  },
  {
    deck: '_check-outside-src',
    rule: 'outside/src',
    at: 'src:',
    says: /imports ".*etc\/hosts", which is outside the repository \(not read\): copy the slides/,
  },
  {
    deck: '_check-bad-date',
    rule: 'meta',
    at: 'date:',
    says: /talk\.date 2024-13-45 is not a calendar date/,
  },
  {
    deck: '_check-slide-link',
    rule: 'links/slide',
    at: '<Link to="3">本題</Link>',
    says: /links 「本題」 to slide 3, which is 「足したスライド」; 「本題」 is slide 4: use <Link to="4">/,
  },
  {
    deck: '_check-unknown-layout',
    rule: 'layouts/unknown',
    at: 'layout: no-such-layout',
    says: /unknown layout "no-such-layout": use one of .*section/,
  },
  {
    deck: '_check-outside-addon',
    rule: 'outside/addon',
    at: '../tmp',
    says: /addon ".*tmp" is outside the repository/,
  },
  {
    deck: '_check-click-markers',
    rule: 'clicks/markers',
    at: '使った分だけ払います。',
    says: /notes have 3 \[click\] steps but the slide has 0 click steps/,
  },
  // Issue 12's rules.
  {
    deck: '_check-heading-only',
    rule: 'clicks/heading-only',
    at: '# 運用者から見たサーバーレス',
    says: /shows only its heading until the first click/,
  },
  {
    deck: '_check-reconstruction',
    rule: 'provenance/transcript',
    at: 'description:',
    says: /talk\.description calls this talk a transcript \(「文字起こし」\)/,
  },
  {
    deck: '_check-reconstruction',
    rule: 'provenance/transcript',
    at: '当日の文字起こし',
    says: /the notes call this talk a transcript/,
  },
]

// The first check compiles the repo's components and loads Mermaid (cached in .cache/check/ afterwards).
describe('a failing fixture for each fault', { timeout: 180_000 }, () => {
  for (const c of cases) {
    it(`${c.deck}: ${c.rule} names file and line`, async () => {
      const result = await checkDecks([
        targetFromDir(fixture(c.deck)),
      ], { textlint: false })
      const line = lineOf(c.deck, c.at)
      const hit = result.findings.find(f => f.rule === c.rule && f.line === line)
      expect(hit, result.findings.map(f => formatFinding(f)).join('\n')).toBeDefined()
      expect(hit!.file).toBe(join(fixture(c.deck), 'slides.md'))
      expect(hit!.severity).toBe('error')
      expect(hit!.message).toMatch(c.says)
      // One fault per fixture: nothing else is wrong with it.
      expect(result.findings.filter(f => f.rule !== c.rule).map(f => formatFinding(f))).toEqual([])
    })
  }

  it('exits 1 on each, printing file:line', async () => {
    const lines: string[] = []
    vi.spyOn(console, 'log').mockImplementation((s: string) => void lines.push(s))
    for (const c of cases) {
      lines.length = 0
      expect(await checkCommand.run([
        fixture(c.deck),
        '--no-textlint',
      ]), c.deck).toBe(1)
      expect(lines.some(l => l.startsWith(`scripts/fixtures/${c.deck}/slides.md:${lineOf(c.deck, c.at)}: error ${c.rule}: `)), lines.join('\n')).toBe(true)
    }
  })

  it('_check-css-asset: a missing file in the deck\'s CSS names the CSS file and line', async () => {
    const result = await checkDecks([
      targetFromDir(fixture('_check-css-asset')),
    ], { textlint: false })
    expect(result.findings.map(f => [f.rule, f.file, f.line, f.message])).toEqual([
      [
        'assets/missing',
        join(fixture('_check-css-asset'), 'style.css'),
        3,
        './images/no-such-background.svg does not exist: fix the path or add the file to the deck folder',
      ],
    ])
  })

  it('never reads outside the repository: an outside import is reported and not loaded', async () => {
    const result = await checkDecks([
      targetFromDir(fixture('_check-outside-src')),
    ], { textlint: false })
    expect(result.slides.get('_check-outside-src')).toBeUndefined()
    expect(result.findings.every(f => f.file.startsWith(repoRoot))).toBe(true)
  })
})

describe('npm run build with a deck importing slides from outside the repository', () => {
  it('fails at once naming the deck, and writes nothing', async () => {
    const out = mkdtempSync(join(tmpdir(), 'check-build-'))
    try {
      await expect(buildCommand.run([
        '--decks-dir',
        join(repoRoot, 'scripts/fixtures'),
        '_check-outside-src',
        '--out',
        join(out, 'dist'),
      ])).rejects.toThrow(/^a deck reaches outside the repository; nothing was built:\n {2}_check-outside-src: scripts\/fixtures\/_check-outside-src\/slides\.md:\d+: slide 2 imports/)
      expect(existsSync(join(out, 'dist'))).toBe(false)
      expect(readdirSync(out)).toEqual([])
    }
    finally {
      rmSync(out, { recursive: true, force: true })
    }
  })
})

describe('npm run transcript with a deck importing slides from outside the repository', () => {
  it('fails at once naming the deck, reads nothing outside and writes nothing', async () => {
    const out = mkdtempSync(join(tmpdir(), 'check-transcript-'))
    try {
      await expect(transcriptCommand.run([
        '--decks-dir',
        join(repoRoot, 'scripts/fixtures'),
        '_check-outside-src',
        '--out',
        join(out, 'dist'),
      ])).rejects.toThrow(/^a deck reaches outside the repository; nothing was built:\n {2}_check-outside-src: scripts\/fixtures\/_check-outside-src\/slides\.md:\d+: slide 2 imports/)
      expect(readdirSync(out)).toEqual([])
    }
    finally {
      rmSync(out, { recursive: true, force: true })
    }
  })
})

describe('a deck saved with a byte-order mark and CRLF', () => {
  it('passes, textlint included, with one warning that Slidev itself drops the headmatter after a BOM', async () => {
    const source = readFileSync(join(fixture('_check-bom-crlf'), 'slides.md'))
    expect([
      ...source.subarray(0, 3),
    ]).toEqual([0xEF, 0xBB, 0xBF])
    expect(source.includes('\r\n')).toBe(true)
    const result = await checkDecks([
      targetFromDir(fixture('_check-bom-crlf')),
    ])
    expect(result.errors).toBe(0)
    expect(result.findings.map(f => `${f.severity} ${f.rule} ${f.line}`)).toEqual(['warning encoding/bom 1'])
    expect(result.slides.get('_check-bom-crlf')).toBe(3)
  }, 120_000)
})

describe('symlinks', () => {
  const tmp = mkdtempSync(join(repoRoot, '.cache', 'check-symlink-'))
  afterAll(() => rmSync(tmp, { recursive: true, force: true }))

  it('a symlink in the deck folder leading outside is an error, and the build refuses the deck', async () => {
    const deck = join(tmp, '_check-symlink')
    mkdirSync(deck, { recursive: true })
    writeFileSync(join(deck, 'slides.md'), readFileSync(join(fixture('_check-ok'), 'slides.md'), 'utf8'))
    symlinkSync('/etc', join(deck, 'images'))
    const result = await checkDecks([
      targetFromDir(deck),
    ], { textlint: false })
    expect(result.findings.map(f => `${f.rule} ${f.file}`)).toEqual([`outside/symlink ${join(deck, 'images')}`])
    expect(() => assertInsideRepository([
      { slug: '_check-symlink', dir: deck },
    ])).toThrow(/_check-symlink: .*images leads outside the repository/)
    expect(() => assertInsideRepository([
      {
        slug: '_check-outside-src',
        dir: fixture('_check-outside-src'),
      },
    ])).toThrow(/^a deck reaches outside the repository; nothing was built:\n {2}_check-outside-src: scripts\/fixtures\/_check-outside-src\/slides\.md:\d+: slide 2 imports/)
  })
})

describe('a reconstruction\'s generated outputs', () => {
  it('are searched for 文字起こし outside markup, styles and scripts', () => {
    expect(transcriptWording({
      zenn: '「A」の文字起こしです。',
      html: '<style>.x{content:"文字起こし"}</style><h1>A<br><small>再構成</small></h1>',
      hatena: '<p>スライドと<b>書き起こし</b></p>',
    })).toEqual([
      { output: 'zenn', context: '「A」の文字起こしです。' },
      { output: 'hatena', context: 'スライドと 書き起こし' },
    ])
  })
})

describe('output for tools', () => {
  const f = {
    deck: 'x',
    file: join(repoRoot, 'decks/x/slides.md'),
    line: 12,
    slide: 3,
    severity: 'error' as const,
    rule: 'clicks/markers',
    message: 'a, b: 100%\nnext',
  }

  it('gitHub Actions annotations escape the message and name file, line, rule and slide', () => {
    expect(formatAnnotation(f)).toBe('::error file=decks/x/slides.md,line=12,title=clicks/markers (x slide 3)::a, b: 100%25%0Anext')
  })

  it('--json lists findings with paths relative to the repository', async () => {
    expect(JSON.parse(findingsJson([f], { errors: 1 })).findings[0]).toMatchObject({ file: 'decks/x/slides.md', line: 12, slide: 3 })
    const out: string[] = []
    vi.spyOn(console, 'log').mockImplementation((s: string) => void out.push(s))
    expect(await checkCommand.run([
      fixture('_check-click-markers'),
      '--no-textlint',
      '--json',
    ])).toBe(1)
    const json = JSON.parse(out.join('\n'))
    expect(json).toMatchObject({
      decks: 1,
      errors: 1,
      findings: [
        { rule: 'clicks/markers', file: 'scripts/fixtures/_check-click-markers/slides.md', slide: 2 },
      ],
    })
  })

  it('prints annotations when GITHUB_ACTIONS is true', async () => {
    vi.stubEnv('GITHUB_ACTIONS', 'true')
    const out: string[] = []
    vi.spyOn(console, 'log').mockImplementation((s: string) => void out.push(s))
    await checkCommand.run([
      fixture('_check-bad-date'),
      '--no-textlint',
    ])
    vi.unstubAllEnvs()
    expect(out[0]).toBe(`::error file=scripts/fixtures/_check-bad-date/slides.md,line=${lineOf('_check-bad-date', 'date:')},title=meta (_check-bad-date)::talk.date 2024-13-45 is not a calendar date`)
  })
})

describe('click steps counted as Slidev counts them', () => {
  const steps = (md: string, fm: Record<string, unknown> = {}) => slideSteps(parseSlideTemplate(md), fm, () => undefined)

  it('v-click, v-after, v-clicks with its items, absolute and relative values, clicks:', () => {
    expect(steps('# T\n\n<div v-click>a</div>\n<div v-after>b</div>\n<div v-click>c</div>').total).toBe(2)
    expect(steps('# T\n\n<v-clicks>\n\n- a\n- b\n- c\n\n</v-clicks>').total).toBe(3)
    expect(steps('# T\n\n<v-clicks depth="2">\n\n- a\n  - a1\n  - a2\n- b\n\n</v-clicks>').total).toBe(4)
    expect(steps('# T\n\n<v-clicks every="2">\n\n- a\n- b\n- c\n- d\n\n</v-clicks>').total).toBe(2)
    expect(steps('# T\n\n<div v-click="3">a</div>').total).toBe(3)
    expect(steps('# T\n\n<div v-click="\'+2\'">a</div><div v-click>b</div>').total).toBe(3)
    expect(steps('# T\n\n<div v-click="false">a</div>').total).toBe(0)
    expect(steps('# T\n\n<div v-click>a</div>', { clicks: 5 }).total).toBe(5)
    expect(steps('# T\n\n```ts {1|2|3}\nconst a = 1\n```').total).toBe(2)
    expect(steps('# T\n\n<v-click>\n\n- a\n- b\n\n</v-click>').total).toBe(1)
  })

  it('knows what shows before the first click', () => {
    expect(steps('# T\n\n<v-clicks>\n\n- a\n- b\n\n</v-clicks>')).toMatchObject({ headingAtStart: true, contentAtStart: false })
    expect(steps('# T\n\nlead\n\n<v-clicks>\n\n- a\n\n</v-clicks>')).toMatchObject({ contentAtStart: true })
    expect(steps('# T\n\n<div v-after>shown with the start</div>\n<div v-click>b</div>')).toMatchObject({ contentAtStart: true })
  })

  it('takes a component\'s steps from rendering it', () => {
    const s = slideSteps(parseSlideTemplate('# T\n\n<Diagram step />'), {}, use => (use.name === 'Diagram'
      ? {
          clicks: ['+1', '+1'],
          visibleAtStart: true,
        }
      : undefined))
    expect(s).toMatchObject({ total: 2, contentAtStart: true })
  })

  it('reads literal bindings and nothing else', () => {
    expect(literal('24')).toBe(24)
    expect(literal('\'x\'')).toBe('x')
    expect(literal('{ a: \'x\', b: [1, 2] }')).toEqual({
      a: 'x',
      b: [1, 2],
    })
    expect(literal('someVariable')).toBe(UNKNOWN)
  })
})
