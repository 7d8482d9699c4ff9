/**
 * Presenting live: `npm run dev -- <deck>` serves the deck offline, the presenter view shows the
 * notes, the bundled Japanese font is the one used, and nothing leaves localhost.
 */
import type { Browser } from 'playwright-chromium'
import type { RunningServer } from '../lib/testing/dev-server.ts'
import { spawnSync } from 'node:child_process'
import { networkInterfaces } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser } from '../lib/browser.ts'
import { repoRoot } from '../lib/paths.ts'
import { startDevServer } from '../lib/testing/dev-server.ts'
import { watchPage } from '../lib/testing/page-watch.ts'

const PORT = 3310
const ORIGIN = `http://localhost:${PORT}`

let browser: Browser
let server: RunningServer

beforeAll(async () => {
  ;[browser, server] = await Promise.all([
    launchBrowser(),
    startDevServer('starter', PORT),
  ])
})
afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

async function openPage(url: string, origin = ORIGIN) {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 720 },
  })
  const page = await context.newPage()
  const watch = watchPage(page, [origin])
  // The stage may have no network at all: anything not on this server is refused, as it would be offline.
  await page.route('**/*', route => route.request().url().startsWith(origin) || route.request().url().startsWith('data:')
    ? route.continue()
    : route.abort('internetdisconnected'))
  await page.goto(url, { waitUntil: 'networkidle' })
  return { page, watch, context }
}

describe('npm run dev', () => {
  it('serves slide 1 with the bundled Japanese font, no console error, nothing outside localhost', async () => {
    const { page, watch, context } = await openPage(`${ORIGIN}/1`)
    await page.locator('.slidev-layout h1').first().waitFor()
    await page.evaluate(() => document.fonts.ready)
    const font = await page.evaluate(() => ({
      family: getComputedStyle(document.querySelector('.slidev-layout h1')!).fontFamily,
      lang: document.documentElement.lang,
      loaded: [...document.fonts].filter(f => f.status === 'loaded').map(f => f.family.replace(/"/g, '')),
      // Would the text be drawn with BIZ UDPGothic without falling back? (true only once it is loaded)
      usable: document.fonts.check('700 40px "BIZ UDPGothic"', 'スターターデッキ'),
      favicon: document.querySelector<HTMLLinkElement>('link[rel=icon]')?.href ?? '',
    }))
    expect(font.family).toMatch(/^"?BIZ UDPGothic"?,/)
    expect(font.loaded).toContain('BIZ UDPGothic')
    expect(font.usable).toBe(true)
    expect(font.lang).toBe('ja')
    expect(font.favicon).toMatch(/^data:image\/svg\+xml/)
    // Walk every slide, as a rehearsal would.
    for (let i = 0; i < 8; i++)
      await page.keyboard.press('ArrowRight')
    await page.waitForLoadState('networkidle')
    expect(watch.external).toEqual([])
    expect(watch.failed).toEqual([])
    expect(watch.consoleErrors).toEqual([])
    await context.close()
  })

  it('draws Mermaid labels in the shared font, sized for it, breaking only between phrases', async () => {
    const { page, watch, context } = await openPage(`${ORIGIN}/4`)
    const labels = page.locator('.mermaid .nodeLabel')
    await expect.poll(() => labels.count()).toBeGreaterThanOrEqual(5)
    const measured = await labels.evaluateAll(els => els.map((el) => {
      const box = el.closest('foreignObject')!.getBoundingClientRect()
      const r = el.getBoundingClientRect()
      const lineHeight = Number.parseFloat(getComputedStyle(el).lineHeight) || 20
      return {
        text: el.textContent!.trim(),
        font: getComputedStyle(el).fontFamily,
        fits: r.width <= box.width + 1 && r.height <= box.height + 1,
        lines: Math.round(r.height / lineHeight),
      }
    }))
    for (const m of measured) {
      expect(m.font, m.text).toMatch(/BIZ UDPGothic/)
      expect(m.fits, `${m.text} is clipped`).toBe(true)
    }
    // A one-word label never wraps inside the word (the bug this guards: 「イベントドリブ/ン」).
    expect(measured.find(m => m.text === 'イベントドリブンアーキテクチャ')!.lines).toBe(1)
    expect(watch.consoleErrors).toEqual([])
    await context.close()
  })

  it('shows the speaker notes in the presenter view, in step with clicks', async () => {
    const { page, watch, context } = await openPage(`${ORIGIN}/presenter/3`)
    const notes = page.locator('.slidev-note')
    await expect.poll(() => notes.first().textContent()).toContain('見出しが長くても')
    await page.keyboard.press('ArrowRight')
    // Slidev marks the note paragraph of the current click as active.
    await expect.poll(() => page.locator('.slidev-note-click-mark.slidev-note-click-mark-active, .slidev-note .slidev-note-click-mark-active').count()).toBeGreaterThan(0)
    expect(watch.external).toEqual([])
    expect(watch.consoleErrors).toEqual([])
    await context.close()
  })
})

describe('npm run dev -- --remote', () => {
  it('without --remote, listens on this machine only', async () => {
    const lan = Object.values(networkInterfaces()).flat().find(i => i && i.family === 'IPv4' && !i.internal)?.address
    expect((await fetch(`${ORIGIN}/`)).ok).toBe(true)
    if (lan)
      await expect(fetch(`http://${lan}:${PORT}/`)).rejects.toThrow()
  })

  it('refuses to expose the server without a password', () => {
    const result = spawnSync(process.execPath, [
      join(repoRoot, 'scripts/cli.ts'),
      'dev',
      'starter',
      '--remote',
    ], {
      cwd: repoRoot,
      encoding: 'utf8',
      env: { ...process.env, SLIDEV_REMOTE_PASSWORD: '' },
      timeout: 30_000,
    })
    expect(result.status).toBe(1)
    expect(result.stderr).toMatch(/--remote <password>/)
  })
})
