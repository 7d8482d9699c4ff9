import type { Rehearsal } from './rehearsal.ts'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { loadDeck } from '../decks.ts'
import { repoRoot } from '../paths.ts'
import { loadTalk, renderHtml, speakingTime } from '../transcript/index.ts'
import { loadPaceReport } from './index.ts'
import { DEFAULT_CHARS_PER_MINUTE, formatDuration, MIN_SLIDE_SECONDS, paceAt, planBudgets } from './plan.ts'
import { calibrate, parseRehearsal, rehearsalFileName, rehearsalRate, slideSeconds } from './rehearsal.ts'
import { formatPaceReport } from './report.ts'
import { pacePlugin } from './server.ts'
import { readRehearsals, writeRehearsal } from './store.ts'

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0)

describe('slide budgets', () => {
  it('are proportional to the notes and sum to the slot', () => {
    const plan = planBudgets({
      chars: [300, 600, 900],
      slot: 10,
    })
    expect(sum(plan.budgets)).toBeCloseTo(600)
    expect(plan.budgets[1]! / plan.budgets[0]!).toBeCloseTo(2)
    expect(plan.budgets[2]! / plan.budgets[0]!).toBeCloseTo(3)
    // 1,800 characters are 6 minutes at 300 a minute: the plan stretches them to the 10-minute slot.
    expect(plan.scale).toBeCloseTo(10 / 6)
  })

  it('keep the minutes for questions out of the talk', () => {
    const plan = planBudgets({
      chars: [300, 300],
      slot: 30,
      questions: 5,
    })
    expect(plan.total).toBe(25 * 60)
    expect(sum(plan.budgets)).toBeCloseTo(25 * 60)
  })

  it('give a slide without notes the minimum, and keep it there when the script is squeezed', () => {
    // 6,000 characters are 20 minutes at 300 a minute, squeezed into 10.
    const plan = planBudgets({
      chars: [0, 3000, 0, 3000],
      slot: 10,
    })
    expect(plan.budgets[0]).toBeCloseTo(MIN_SLIDE_SECONDS)
    expect(plan.budgets[2]).toBeCloseTo(MIN_SLIDE_SECONDS)
    expect(plan.budgets[1]).toBeCloseTo((600 - 2 * MIN_SLIDE_SECONDS) / 2)
    expect(sum(plan.budgets)).toBeCloseTo(600)
    expect(plan.scale).toBeLessThan(1)
  })

  it('pins every slide that would fall below the minimum, not only the empty ones', () => {
    const plan = planBudgets({
      chars: [10, 20, 6000],
      slot: 5,
    })
    expect(plan.budgets.slice(0, 2)).toEqual([MIN_SLIDE_SECONDS, MIN_SLIDE_SECONDS])
    expect(sum(plan.budgets)).toBeCloseTo(300)
  })

  it('share the slot equally when even the minimum does not fit', () => {
    const plan = planBudgets({
      chars: Array.from<number>({ length: 30 }).fill(100),
      slot: 5,
    })
    expect(plan.budgets.every(b => b === 10)).toBe(true)
  })

  it('follow the rate: a faster speaker has the same proportions and less natural time', () => {
    const slow = planBudgets({
      chars: [300, 600],
      slot: 10,
    })
    const fast = planBudgets({
      chars: [300, 600],
      slot: 10,
      charsPerMinute: 400,
    })
    expect(fast.natural[1]).toBeCloseTo(90)
    expect(slow.natural[1]).toBeCloseTo(120)
  })
})

describe('notes measured for the budget', () => {
  it('count the spoken characters only: no presenter-only line, no click marker, no whitespace', async () => {
    const dir = join(repoRoot, 'scripts/fixtures/_pace')
    const report = await loadPaceReport(loadDeck(dir, '_pace'))
    const source = readFileSync(join(dir, 'slides.md'), 'utf8')
    const notes = [
      ...source.matchAll(/<!--\n([\s\S]*?)-->/g),
    ].map(m => m[1]!)
    const spoken = (note: string) => [
      ...note.split('\n').filter(l => !l.startsWith('// ')).join('').replace(/\[click\]/g, '').replace(/\s/g, ''),
    ].length
    // Slides 1, 2, 3 and 5 have notes (slide 1 has a presenter-only line, slide 2 a click); slide 4 has none.
    expect(report.slides.map(s => s.chars)).toEqual([
      spoken(notes[0]!),
      spoken(notes[1]!),
      spoken(notes[2]!),
      0,
      spoken(notes[3]!),
    ])
    expect(notes[0]).toContain('// 会場の時計')
    expect(notes[1]).toContain('[click]')
    expect(report.slides[3]!.budget).toBeCloseTo(report.slides[2]!.budget)
  })
})

describe('pace against the plan', () => {
  const budgets = [60, 120, 60]
  it('is on time while a slide reached on plan stays within its budget', () => {
    const p = paceAt({
      budgets,
      slide: 2,
      enteredAt: 60,
      elapsed: 150,
    })
    expect(p).toMatchObject({
      onSlide: 90,
      budget: 120,
      over: 0,
      delta: 0,
      state: 'on-time',
      slidesLeft: 1,
      plannedEnd: 240,
      projectedEnd: 240,
    })
  })
  it('is behind by the overrun, second by second', () => {
    const p = paceAt({
      budgets,
      slide: 2,
      enteredAt: 60,
      elapsed: 200,
    })
    expect(p.over).toBe(20)
    expect(p.delta).toBe(20)
    expect(p.state).toBe('behind')
  })
  it('is ahead when a slide is reached early, and stays so while within its budget', () => {
    expect(paceAt({
      budgets,
      slide: 2,
      enteredAt: 30,
      elapsed: 40,
    }).delta).toBe(-30)
    expect(paceAt({
      budgets,
      slide: 2,
      enteredAt: 30,
      elapsed: 140,
    }).delta).toBe(-30)
    expect(paceAt({
      budgets,
      slide: 2,
      enteredAt: 30,
      elapsed: 170,
    }).delta).toBe(-10)
  })
  it('counts the slides still to present after going back', () => {
    const p = paceAt({
      budgets,
      slide: 1,
      enteredAt: 200,
      elapsed: 200,
    })
    expect(p.delta).toBe(200)
    expect(p.slidesLeft).toBe(2)
  })
  it('formats durations', () => {
    expect(formatDuration(75)).toBe('1:15')
    expect(formatDuration(-9)).toBe('-0:09')
    expect(formatDuration(3725)).toBe('1:02:05')
  })
})

function rehearsal(visits: [number, number, number][], duration: number, over: Partial<Rehearsal> = {}): Rehearsal {
  return {
    format: 1,
    deck: 'x',
    startedAt: '2026-12-01T05:00:00.000Z',
    endedAt: '2026-12-01T05:10:00.000Z',
    duration,
    paused: 0,
    slideCount: 5,
    visits: visits.map(([slide, at, chars]) => ({ slide, at, chars })),
    ...over,
  }
}

describe('rehearsals', () => {
  it('give each slide its time, going back adding to it', () => {
    const r = rehearsal([
      [1, 0, 300],
      [2, 60, 600],
      [1, 180, 300],
      [3, 200, 0],
    ], 230)
    expect([
      ...slideSeconds(r),
    ]).toEqual([
      [1, 80],
      [2, 120],
      [3, 30],
    ])
  })

  it('calibrate the rate from the slides spoken: notes over time, slides without notes or flipped past left out', () => {
    // 900 characters in 3 minutes of speaking; the 2-second flip past slide 2 and the notes-less slide 3 do not count.
    const r = rehearsal([
      [1, 0, 300],
      [2, 60, 450],
      [4, 62, 600],
      [3, 182, 0],
    ], 230)
    expect(rehearsalRate(r)).toBeCloseTo(900 / 3)
    const fast = rehearsal([
      [1, 0, 400],
      [2, 60, 400],
    ], 120)
    expect(rehearsalRate(fast)).toBeCloseTo(400)
  })

  it('calibrate with the median of the rehearsals, or keep the default without a usable one', () => {
    expect(calibrate([])).toEqual({ charsPerMinute: DEFAULT_CHARS_PER_MINUTE, source: 'default', rehearsals: 0 })
    const at = (rate: number) => rehearsal([
      [1, 0, rate],
    ], 60)
    expect(calibrate([
      at(280),
      at(420),
      at(360),
    ])).toEqual({ charsPerMinute: 360, source: 'rehearsals', rehearsals: 3 })
    // Ten seconds of speaking tell nothing about the rate.
    expect(calibrate([
      rehearsal([
        [1, 0, 50],
      ], 10),
    ]).source).toBe('default')
  })

  it('report a truncated file by name instead of throwing', () => {
    const text = JSON.stringify(rehearsal([
      [1, 0, 100],
    ], 60)).slice(0, 40)
    const p = parseRehearsal(text, 'decks/x/rehearsals/20261201T050000Z.json')
    expect(p.rehearsal).toBeUndefined()
    expect(p.error).toMatch(/^decks\/x\/rehearsals\/20261201T050000Z\.json: not valid JSON/)
  })

  it('name the field of a record that is not one', () => {
    const p = parseRehearsal(JSON.stringify({
      ...rehearsal([
        [1, 5, 100],
        [2, 1, 0],
      ], 60),
    }), 'r.json')
    expect(p.error).toMatch(/^r\.json: not a rehearsal record: visits\.1\.at goes back in time/)
  })

  it('leave out, with a warning naming the file, slides the deck no longer has', () => {
    const r = rehearsal([
      [1, 0, 100],
      [7, 30, 100],
    ], 60)
    const p = parseRehearsal(JSON.stringify(r), 'r.json', 5)
    expect(p.rehearsal).toBeDefined()
    expect(p.warnings).toEqual(['r.json: slide 7 is not in the deck any more (it has 5 slides); its 30 s are left out.'])
    expect([
      ...slideSeconds(p.rehearsal!, 5).keys(),
    ]).toEqual([1])
  })

  it('are named after their start, ISO 8601 in basic format', () => {
    expect(rehearsalFileName('2026-12-01T05:20:34.120Z')).toBe('20261201T052034Z.json')
  })
})

describe('a deck with rehearsals', () => {
  let dir: string
  beforeEach(() => {
    // A copy of the transcript fixture inside the repo (its addon path stays valid), not under decks/.
    mkdirSync(join(repoRoot, '.tmp'), { recursive: true })
    dir = join(mkdtempSync(join(repoRoot, '.tmp', 'pace-')), '_transcript')
    cpSync(join(repoRoot, 'scripts/fixtures/_transcript'), dir, { recursive: true })
    writeFileSync(join(dir, 'slides.md'), readFileSync(join(dir, 'slides.md'), 'utf8').replace('  - ../..', `  - ${repoRoot}`))
  })
  afterEach(() => rmSync(join(dir, '..'), { recursive: true, force: true }))

  it('calibrates the transcript\'s speaking time and says which rate it used', async () => {
    const deck = loadDeck(dir, '_transcript')
    const before = await loadTalk(deck)
    expect(before.rate.source).toBe('default')
    expect(speakingTime(before).label).toMatch(/1 分 300 字で換算/)
    const chars = before.slides.map(s => s.prose)
    expect(chars.length).toBeGreaterThan(2)
    // The speaker read the whole script at 200 characters a minute.
    const total = before.chars
    await writeRehearsal(dir, rehearsal([
      [1, 0, total],
    ], total / 200 * 60, { deck: '_transcript', slideCount: before.slides.length }))
    const after = await loadTalk(deck)
    expect(after.rate).toEqual({ charsPerMinute: 200, source: 'rehearsals', rehearsals: 1 })
    expect(speakingTime(after).label).toBe(`約 ${Math.round(total / 200)} 分（${total.toLocaleString('en-US')} 字を、リハーサル 1 回から測った 1 分 200 字で換算）`)
    expect(renderHtml(after)).toContain('話す時間の目安は、発表者のリハーサル 1 回から測った 1 分 200 字で数えています。')
  })

  it('npm run pace reports the calibrated rate and per-slide times, and names a broken file without stopping', async () => {
    const deck = loadDeck(dir, '_transcript')
    const talk = await loadTalk(deck)
    const n = talk.slides.length
    await writeRehearsal(dir, rehearsal([
      [1, 0, 250],
      [2, 60, 0],
      [n + 3, 80, 0],
    ], 90, { deck: '_transcript', slideCount: n + 3 }))
    writeFileSync(join(dir, 'rehearsals', '20261202T000000Z.json'), '{"format":1,"deck":"_tr')
    const report = await loadPaceReport(deck)
    expect(report.rate).toMatchObject({ source: 'rehearsals', rehearsals: 1 })
    expect(report.rate.charsPerMinute).toBeCloseTo(250)
    expect(report.rehearsed[0]).toEqual({ last: 60, median: 60 })
    expect(report.rehearsed[1]).toEqual({ last: 20, median: 20 })
    expect(report.broken).toEqual([
      expect.stringMatching(/rehearsals\/20261202T000000Z\.json$/),
    ])
    expect(report.messages.join('\n')).toMatch(new RegExp(`20261201T050000Z\\.json: slide ${n + 3} is not in the deck any more`))
    expect(report.messages.join('\n')).toMatch(/20261202T000000Z\.json: not valid JSON/)
    const text = formatPaceReport(report)
    expect(text).toMatch(/rate: 250 characters a minute, calibrated: the median of 1 rehearsal/)
    expect(sum(report.slides.map(s => s.budget))).toBeCloseTo(deck.meta.talk.slot * 60)
  })
})

describe('the dev server\'s pace endpoints', () => {
  let dir: string
  beforeEach(() => {
    mkdirSync(join(repoRoot, '.tmp'), { recursive: true })
    dir = join(mkdtempSync(join(repoRoot, '.tmp', 'pace-')), '_pace')
    cpSync(join(repoRoot, 'scripts/fixtures/_pace'), dir, { recursive: true })
  })
  afterEach(() => rmSync(join(dir, '..'), { recursive: true, force: true }))

  type Middleware = (req: unknown, res: unknown, next: () => void) => Promise<void>
  async function call(rehearsal: boolean, method: string, url: string, body?: string) {
    let mw: Middleware | undefined
    const plugin = pacePlugin({
      entry: join(dir, 'slides.md'),
      rehearsal,
    })
    const logged: string[] = []
    const fakeServer = {
      middlewares: {
        use: (fn: Middleware) => mw = fn,
      },
      config: {
        logger: {
          warn: (m: string) => logged.push(m),
          info: (m: string) => logged.push(m),
        },
      },
    }
    ;(plugin.configureServer as (s: unknown) => void)(fakeServer)
    const req = Object.assign(Readable.from(body === undefined
      ? []
      : [
          Buffer.from(body),
        ]), { method, url })
    const res = {
      statusCode: 0,
      body: '',
      setHeader: () => {},
      end(b: string) { this.body = b },
    }
    let nextCalled = false
    await mw!(req, res, () => nextCalled = true)
    return {
      status: res.statusCode,
      json: res.body
        ? JSON.parse(res.body)
        : undefined,
      nextCalled,
      logged,
    }
  }
  const record = (deck = '_pace') => JSON.stringify(rehearsal([
    [1, 0, 304],
    [2, 120, 211],
  ], 200, { deck, startedAt: '2026-12-01T05:00:00.000Z' }))

  it('serve the plan', async () => {
    const r = await call(false, 'GET', '/__pace/plan')
    expect(r.status).toBe(200)
    expect(r.json.slides).toHaveLength(5)
    expect(r.json.rehearsal).toBe(false)
  })

  it('record nothing in ordinary presenting', async () => {
    const r = await call(false, 'POST', '/__pace/rehearsal', record())
    expect(r.status).toBe(403)
    expect(existsSync(join(dir, 'rehearsals'))).toBe(false)
  })

  it('write a rehearsal in rehearsal mode, and refuse what is not one', async () => {
    const ok = await call(true, 'POST', '/__pace/rehearsal', record())
    expect(ok.status).toBe(200)
    expect(ok.json.file).toMatch(/_pace\/rehearsals\/20261201T050000Z\.json$/)
    expect(readRehearsals(dir)[0]!.rehearsal!.visits).toHaveLength(2)
    expect((await call(true, 'POST', '/__pace/rehearsal', '{"format":1')).status).toBe(400)
    expect((await call(true, 'POST', '/__pace/rehearsal', record('other-deck'))).json.error).toMatch(/of deck other-deck/)
  })

  it('leave other requests to Slidev', async () => {
    expect((await call(true, 'GET', '/1')).nextCalled).toBe(true)
  })
})

describe('npm run rehearse', () => {
  it('takes exactly one deck', async () => {
    const { default: rehearse } = await import('../../commands/rehearse.ts')
    await expect(rehearse.run([])).rejects.toThrow(/rehearse takes one deck/)
    await expect(rehearse.run(['2024', '2023'])).rejects.toThrow(/rehearse takes one deck/)
  })
})
