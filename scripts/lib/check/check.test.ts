import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import checkCommand from '../../commands/check.ts'
import { repoRoot } from '../paths.ts'
import { checkDecks, formatFinding, targetFromDir } from './index.ts'
import { displayWidth } from './rules.ts'

const broken = join(repoRoot, 'scripts/fixtures/_check-broken')
const ok = join(repoRoot, 'scripts/fixtures/_check-ok')
const source = readFileSync(join(broken, 'slides.md'), 'utf8').split('\n')
/** 1-based line of the first line of the fixture containing `text`. */
const lineOf = (text: string) => source.findIndex(l => l.includes(text)) + 1

afterEach(() => vi.restoreAllMocks())

describe('checkDecks on a broken deck', async () => {
  const result = await checkDecks([
    targetFromDir(broken),
  ])
  const find = (rule: string, line: number) => result.findings.find(f => f.rule === rule && f.line === line)

  it('names file and line of invalid metadata', () => {
    expect(find('meta', lineOf('slot: thirty'))?.message).toMatch(/talk\.slot/)
    expect(find('meta', lineOf('speaker: nobody'))?.message).toMatch(/unknown speaker "nobody"/)
  })

  it('finds a slide without notes and notes with nothing for the transcript', () => {
    expect(find('notes/missing', lineOf('# ノートのないスライド'))?.message).toMatch(/slide 2 .*no speaker notes/)
    expect(find('notes/empty', lineOf('// 水を飲む'))?.message).toMatch(/slide 3/)
    expect(find('notes/unfinished', lineOf('途中で終わる文は'))?.severity).toBe('warning')
  })

  it('finds a section followed by a section and a section at the end', () => {
    expect(find('sections/empty', lineOf('# 最初のセクション'))?.message).toMatch(/followed by another section slide \(5\)/)
    expect(find('sections/empty', lineOf('# 最後のセクション'))?.message).toMatch(/at the end of the deck/)
    expect(find('sections/empty', lineOf('# 次のセクション'))).toBeUndefined()
  })

  it('finds an unbalanced bracket in a heading', () => {
    expect(find('headings/brackets', lineOf('# 「閉じていない括弧'))).toBeDefined()
  })

  it('runs textlint over the notes with lines and columns of slides.md', () => {
    const ra = find('textlint/no-dropping-the-ra', lineOf('見れる'))
    expect(ra?.severity).toBe('error')
    // The rule points at the れる of 見れる.
    expect(ra?.column).toBe(source[ra!.line! - 1]!.indexOf('れる') + 1)
    // Column mapped back past the removed `[click] ` marker.
    const period = find('textlint/ja-no-mixed-period', lineOf('途中で終わる文は'))
    expect(period?.column).toBe(source[period!.line! - 1]!.indexOf('、') + 1)
    // Presenter-only lines and code are never linted; none of the deck's other lines are.
    expect(result.findings.filter(f => f.rule.startsWith('textlint/')).map(f => f.line).sort()).toEqual([
      lineOf('見れる'),
      lineOf('途中で終わる文は'),
    ].sort())
  })

  it('formats findings as file:line:column: severity rule: message', () => {
    const ra = find('textlint/no-dropping-the-ra', lineOf('見れる'))!
    expect(formatFinding(ra)).toMatch(/^scripts\/fixtures\/_check-broken\/slides\.md:\d+:\d+: error textlint\/no-dropping-the-ra: /)
  })
})

describe('checkDecks on a clean deck', () => {
  it('finds nothing: a sentence split by a click is not an unfinished paragraph', async () => {
    const result = await checkDecks([
      targetFromDir(ok),
    ])
    expect(result.findings.map(f => formatFinding(f))).toEqual([])
  })
})

describe('npm run check', () => {
  it('exits 1 with findings naming file:line, and 0 for a clean deck', async () => {
    const lines: string[] = []
    vi.spyOn(console, 'log').mockImplementation((s: string) => void lines.push(s))
    expect(await checkCommand.run([broken, '--no-textlint'])).toBe(1)
    expect(lines).toContain(`scripts/fixtures/_check-broken/slides.md:${lineOf('# 最後のセクション')}: error sections/empty: slide 7 「最後のセクション」 is a section slide at the end of the deck: a section needs content after it`)
    expect(lines.at(-1)).toMatch(/1 deck, 7 slides: \d+ errors, 1 warning \(textlint skipped\)/)
    expect(await checkCommand.run([ok])).toBe(0)
  })
})

describe('displayWidth', () => {
  it('counts half-width characters as half', () => {
    expect(displayWidth('AWS の話')).toBe(4)
  })
})
