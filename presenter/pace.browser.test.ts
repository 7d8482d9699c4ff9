/**
 * The pace guide in the presenter view, driven by Playwright's clock (no real waiting): on budget,
 * behind, paused, jumped back, reloaded mid-talk; a rehearsal through the dev server written to
 * rehearsals/ and read back by the pace report; bad rehearsal files never stop presenting; and no
 * pace guide in the audience view or the built site.
 */
import type { ChildProcess } from 'node:child_process'
import type { Browser, Locator, Page } from 'playwright-chromium'
import type { PaceReport } from '../scripts/lib/pace/index.ts'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join, relative } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser } from '../scripts/lib/browser.ts'
import { loadDeck } from '../scripts/lib/decks.ts'
import { loadPaceReport } from '../scripts/lib/pace/index.ts'
import { rehearsalSchema } from '../scripts/lib/pace/rehearsal.ts'
import { formatPaceReport } from '../scripts/lib/pace/report.ts'
import { REHEARSAL_ENV } from '../scripts/lib/pace/server.ts'
import { repoRoot } from '../scripts/lib/paths.ts'
import { slidevBuild } from '../scripts/lib/slidev-build.ts'
import { spawnSlidev } from '../scripts/lib/slidev.ts'
import { waitForHttp } from '../scripts/lib/testing/dev-server.ts'

const T0 = new Date('2026-12-01T13:50:00+09:00')
/** Pages load with the fake clock running (Slidev needs its timers to start); the test then stops it here. */
const T1 = new Date('2026-12-01T14:00:00+09:00')

let tmp: string
let deckDir: string
let origin: string
let server: ChildProcess
let log = ''
let browser: Browser
let plan: PaceReport

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number }
      s.close(() => resolve(port))
    })
    s.on('error', reject)
  })
}

beforeAll(async () => {
  // A copy of the fixture inside the repo (Slidev resolves the addon and packages from there), outside decks/.
  mkdirSync(join(repoRoot, '.tmp'), { recursive: true })
  tmp = mkdtempSync(join(repoRoot, '.tmp', 'pace-browser-'))
  deckDir = join(tmp, '_pace')
  cpSync(join(repoRoot, 'scripts/fixtures/_pace'), deckDir, { recursive: true })
  const entry = join(deckDir, 'slides.md')
  writeFileSync(entry, readFileSync(entry, 'utf8').replace('  - ../..', `  - ${repoRoot}`))
  const port = await freePort()
  origin = `http://localhost:${port}`
  server = spawnSlidev([
    relative(repoRoot, entry),
    '--port',
    String(port),
  ], {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
    env: { [REHEARSAL_ENV]: '1' },
  })
  server.stdout!.on('data', (d: Buffer) => log += d.toString())
  server.stderr!.on('data', (d: Buffer) => log += d.toString())
  browser = await launchBrowser()
  await waitForHttp(`${origin}/`, 180_000, server, () => log)
  plan = await (await fetch(`${origin}/__pace/plan`)).json() as PaceReport
})

afterAll(async () => {
  await browser?.close()
  if (server?.pid && server.exitCode === null) {
    const exited = new Promise(r => server.once('exit', r))
    process.kill(-server.pid, 'SIGTERM')
    await Promise.race([
      exited,
      new Promise(r => setTimeout(r, 5000)),
    ])
  }
  if (tmp)
    rmSync(tmp, { recursive: true, force: true })
})

async function openPresenter(): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 1440, height: 900 },
    timezoneId: 'Asia/Tokyo',
  })
  const page = await context.newPage()
  await page.clock.install({ time: T0 })
  await page.goto(`${origin}/presenter/1`, { waitUntil: 'load', timeout: 180_000 })
  await page.locator('.pace-guide .pace-big').first().waitFor({ timeout: 180_000 })
  await page.clock.pauseAt(T1)
  return page
}

const guide = (page: Page) => page.locator('.pace-guide')
const text = async (l: Locator) => (await l.textContent())?.replace(/\s+/g, ' ').trim() ?? ''
const slideCell = (page: Page) => page.locator('.pace-guide .pace-slide .pace-big')
function secondsOf(text: string) {
  const [m, s] = text.split(':').map(Number)
  return m! * 60 + s!
}
async function onSlide(page: Page): Promise<number> {
  return secondsOf((await text(slideCell(page))).split('/')[0]!.trim())
}
async function state(page: Page): Promise<string> {
  const cls = await guide(page).getAttribute('class') ?? ''
  return /pace-(on-time|ahead|behind|paused|stopped)/.exec(cls)?.[1] ?? ''
}
/** The clock lives in the dev server and may still run from an earlier page: pause (P), then Reset. */
async function resetClock(page: Page): Promise<void> {
  const s = await state(page)
  if (s === 'stopped')
    return
  if (s !== 'paused')
    await page.keyboard.press('p')
  await page.getByRole('button', { name: 'Reset' }).click()
  await expect.poll(() => state(page)).toBe('stopped')
}
const slideNo = (page: Page) => text(page.locator('.pace-guide .pace-slide .pace-label'))

describe('the pace guide in the presenter view', () => {
  it('has a plan from the notes: budgets sum to the slot minus the questions', () => {
    expect(plan.slides.map(s => s.no)).toEqual([1, 2, 3, 4, 5])
    expect(plan.total).toBe(5 * 60)
    expect(plan.slides.reduce((n, s) => n + s.budget, 0)).toBeCloseTo(300)
    // The presenter-only line and the click marker are not counted; the slide without notes gets the minimum.
    expect(plan.slides[3]!.chars).toBe(0)
    expect(plan.rehearsal).toBe(true)
  })

  it('follows a talk: on budget, behind, paused, jumped back two slides, reloaded; then writes the rehearsal', async () => {
    const page = await openPresenter()
    const b = plan.slides.map(s => s.budget)
    await resetClock(page)
    await expect.poll(() => text(guide(page))).toContain('Clock not started')
    // The guide shows the clock; Slidev's own timer display would stop updating and is hidden.
    expect(await page.locator('.grid-section.bottom > .group:last-child').isVisible()).toBe(false)

    // On budget: half of slide 1's budget.
    const h = Math.round(b[0]! / 2)
    await page.keyboard.press('p')
    await page.clock.runFor(h * 1000)
    await expect.poll(() => state(page)).toBe('on-time')
    expect(await text(guide(page))).toContain('On time')
    expect(await onSlide(page)).toBe(h)
    expect(await text(page.locator('.pace-guide .pace-left'))).toMatch(/4\s+slides left/)
    // Planned end: 14:00 plus the 5-minute talk.
    expect(await text(page.locator('.pace-guide .pace-ends'))).toMatch(/planned\s+14:05/)

    // Behind: slide 2 (through its click) well past its budget.
    await page.clock.runFor(h * 1000)
    await page.keyboard.press('ArrowRight')
    await expect.poll(() => slideNo(page)).toMatch(/Slide 2/i)
    // Slide 2's click counted (Slidev's click slider says so) before the key that plays it: pressed
    // earlier, on a loaded machine, the key went on to slide 3.
    await expect.poll(() => page.locator('[title="Clicks in this slide: 2"]').count()).toBeGreaterThan(0)
    await page.keyboard.press('ArrowRight') // the click on slide 2: still slide 2
    await page.clock.runFor((Math.round(b[1]!) + 40) * 1000)
    await expect.poll(() => state(page)).toBe('behind')
    expect(await slideNo(page)).toMatch(/Slide 2/i)
    const behind = await text(guide(page))
    expect(behind).toMatch(/0:4\d behind/)
    expect(behind).toMatch(/\+0:4\d over/)
    expect(await guide(page).evaluate(el => getComputedStyle(el).backgroundColor)).toBe('rgb(185, 28, 28)')
    expect(await text(page.locator('.pace-guide .pace-ends'))).toMatch(/projected\s+14:06/)

    // Reset is refused while the clock runs: a stray click cannot throw the talk away.
    expect(await page.getByRole('button', { name: 'Reset' }).isDisabled()).toBe(true)
    expect(await text(page.locator('.pace-guide .pace-clock b'))).toBe(`${Math.floor((2 * h + Math.round(b[1]!) + 40) / 60)}:${String((2 * h + Math.round(b[1]!) + 40) % 60).padStart(2, '0')}`)

    // Paused: two minutes of questions do not count.
    await page.keyboard.press('p')
    await expect.poll(() => state(page)).toBe('paused')
    const before = await onSlide(page)
    await page.clock.runFor(120_000)
    expect(await onSlide(page)).toBe(before)
    expect(await text(guide(page))).toContain('Paused')
    // The plan is kept; its end moves by the pause.
    expect(await text(page.locator('.pace-guide .pace-ends'))).toMatch(/planned\s+14:07/)
    await page.keyboard.press('p')
    await expect.poll(() => state(page)).toBe('behind')

    // Slide 3, then back two slides to slide 1 with Slidev's own navigation.
    await page.keyboard.press('ArrowRight')
    await expect.poll(() => slideNo(page)).toMatch(/Slide 3/i)
    await page.clock.runFor(10_000)
    await page.keyboard.press('ArrowUp')
    await page.keyboard.press('ArrowUp')
    await expect.poll(() => slideNo(page)).toMatch(/Slide 1/i)
    await page.clock.runFor(5_000)
    expect(await onSlide(page)).toBe(5)
    expect(await text(page.locator('.pace-guide .pace-left'))).toMatch(/4\s+slides left/)
    expect(await state(page)).toBe('behind')

    // Reloaded mid-talk: same slide, same clock, same visits.
    await page.keyboard.press('ArrowDown')
    await expect.poll(() => slideNo(page)).toMatch(/Slide 2/i)
    await page.clock.runFor(20_000)
    const behindBefore = secondsOf(/(\d+:\d\d) behind/.exec(await text(guide(page)))![1]!)
    // Slidev needs its timers to start up: the clock runs during the reload, then stops 30 s on.
    const stoppedAt = Date.parse(await page.evaluate(() => new Date().toISOString()))
    await page.clock.resume()
    await page.reload({ waitUntil: 'load' })
    // Leaving the page saved the rehearsal so far (the same file is rewritten when it ends).
    await expect.poll(() => existsSync(join(deckDir, 'rehearsals', '20261201T050000Z.json'))).toBe(true)
    expect(rehearsalSchema.parse(JSON.parse(readFileSync(join(deckDir, 'rehearsals', '20261201T050000Z.json'), 'utf8'))).visits.map(v => v.slide)).toEqual([1, 2, 3, 2, 1, 2])
    await page.locator('.pace-guide .pace-big').first().waitFor({ timeout: 180_000 })
    await page.clock.pauseAt(new Date(Math.max(stoppedAt + 30_000, Date.parse(await page.evaluate(() => new Date().toISOString())) + 1000)))
    const reloadSeconds = (Date.parse(await page.evaluate(() => new Date().toISOString())) - stoppedAt) / 1000
    await expect.poll(() => slideNo(page)).toMatch(/Slide 2/i)
    expect(await onSlide(page)).toBe(20 + Math.round(reloadSeconds))
    expect(await state(page)).toBe('behind')
    // Still on slide 2 within its budget: as far behind as before (the plan of this run is kept, although the
    // page's closing saved the rehearsal so far and the server's plan is now calibrated from it).
    expect(secondsOf(/(\d+:\d\d) behind/.exec(await text(guide(page)))![1]!)).toBe(behindBefore)

    // The rehearsal ends: one entry for the first slide and one per slide change (1, 2, 3, 2, 1, 2).
    await page.getByRole('button', { name: 'End rehearsal' }).click()
    await expect.poll(() => text(page.locator('.pace-guide .pace-message'))).toMatch(/Rehearsal saved: .*rehearsals\/20261201T050000Z\.json/)
    const files = readdirSync(join(deckDir, 'rehearsals'))
    expect(files).toEqual(['20261201T050000Z.json'])
    const r = Math.round(reloadSeconds)
    const saved = rehearsalSchema.parse(JSON.parse(readFileSync(join(deckDir, 'rehearsals', files[0]!), 'utf8')))
    expect(saved.visits.map(v => v.slide)).toEqual([1, 2, 3, 2, 1, 2])
    expect(saved.visits.map(v => v.at)).toEqual([
      0,
      2 * h,
      2 * h + Math.round(b[1]!) + 40,
      2 * h + Math.round(b[1]!) + 50,
      2 * h + Math.round(b[1]!) + 50,
      2 * h + Math.round(b[1]!) + 55,
    ])
    expect(saved.duration).toBe(2 * h + Math.round(b[1]!) + 75 + r)
    expect(saved.paused).toBe(120)
    expect(saved.visits[0]!.chars).toBe(plan.slides[0]!.chars)
    // The clock is reset for the next run.
    await expect.poll(() => state(page)).toBe('stopped')

    // npm run pace reads it: slide 1 was spoken at its chars over its time.
    const report = await loadPaceReport(loadDeck(deckDir, '_pace'))
    expect(report.rate.source).toBe('rehearsals')
    expect(report.rehearsals).toHaveLength(1)
    expect(formatPaceReport(report)).toMatch(/rate: \d+ characters a minute, calibrated: the median of 1 rehearsal/)
    expect(report.rehearsed[1]!.last).toBeGreaterThan(b[1]!)
    expect(formatPaceReport(report)).toMatch(/\n\s+2 {2}二枚目.*⚠ over by/)
    await page.context().close()
  })

  it('names bad rehearsal files and keeps presenting', async () => {
    const dir = join(deckDir, 'rehearsals')
    mkdirSync(dir, { recursive: true })
    writeFileSync(join(dir, '20261130T000000Z.json'), '{"format":1,"deck":"_pace","visits":[{"sli')
    writeFileSync(join(dir, '20261129T000000Z.json'), JSON.stringify({
      format: 1,
      deck: '_pace',
      startedAt: '2026-11-29T00:00:00.000Z',
      endedAt: '2026-11-29T00:05:00.000Z',
      duration: 300,
      paused: 0,
      slideCount: 9,
      visits: [
        { slide: 1, at: 0, chars: 304 },
        { slide: 9, at: 100, chars: 10 },
      ],
    }))
    const page = await openPresenter()
    await resetClock(page)
    const message = page.locator('.pace-guide .pace-message')
    await expect.poll(() => text(message)).toMatch(/20261130T000000Z\.json: not valid JSON/)
    expect(await text(message)).toMatch(/20261129T000000Z\.json: slide 9 is not in the deck any more \(it has 5 slides\)/)
    await page.keyboard.press('p')
    await page.keyboard.press('ArrowRight')
    await expect.poll(() => slideNo(page)).toMatch(/Slide 2/i)
    await page.clock.runFor(5_000)
    expect(await onSlide(page)).toBe(5)
    rmSync(join(dir, '20261130T000000Z.json'))
    rmSync(join(dir, '20261129T000000Z.json'))
    // Stop the clock for whoever comes next (it lives in the dev server).
    await page.keyboard.press('p')
    await page.context().close()
  })

  it('is not in the audience view', async () => {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 720 },
    })
    const page = await context.newPage()
    await page.goto(`${origin}/2`, { waitUntil: 'load', timeout: 180_000 })
    await page.getByRole('heading', { name: '二枚目' }).waitFor({ timeout: 180_000 })
    expect(await page.locator('.pace-guide').count()).toBe(0)
    const loaded = await page.evaluate(() => performance.getEntriesByType('resource').map(e => e.name))
    expect(loaded.filter(u => /PaceGuide|pace-guide|__pace/.test(u))).toEqual([])
    await context.close()
  })
})

describe('the built site', () => {
  it('contains no pace guide', async () => {
    const outDir = join(tmp, 'dist')
    await slidevBuild(loadDeck(deckDir, '_pace'), { base: '/_pace/', outDir })
    const files: string[] = []
    const walk = (d: string) => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        e.isDirectory()
          ? walk(join(d, e.name))
          : files.push(join(d, e.name))
      }
    }
    walk(outDir)
    expect(files.some(f => f.endsWith('index.html'))).toBe(true)
    const hits = files.filter(f => /\.(?:js|html|css)$/.test(f) && /pace-guide|__pace|PaceGuide|talks-pace/.test(readFileSync(f, 'utf8')))
    expect(hits.map(f => relative(outDir, f))).toEqual([])
    expect(existsSync(join(outDir, 'presenter'))).toBe(false)
  })
})
