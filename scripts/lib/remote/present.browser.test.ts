/**
 * Remote presenting as the room sees it: `npm run dev -- starter --remote <password>`, then a
 * second machine on the network. This machine plays that machine by connecting to its own
 * non-loopback address (the gate sees that address as the peer, not 127.0.0.1: asserted below).
 * Without the password it must not move anything, read any note or any repository file, or reach
 * /__mcp; with it, the presenter view works and drives every screen; guessing is slowed down.
 */
import type { Browser, BrowserContext, Page } from 'playwright-chromium'
import type { RunningServer } from '../testing/dev-server.ts'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { networkInterfaces } from 'node:os'
import { join } from 'node:path'
import { load } from '@slidev/parser/fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser } from '../browser.ts'
import { discoverDecks } from '../decks.ts'
import { repoRoot } from '../paths.ts'
import { startDevServer, waitForHttp } from '../testing/dev-server.ts'
import { parseNavModule } from './nav-feed.ts'

const PASSWORD = 'stage-secret-42'
const lan = Object.values(networkInterfaces()).flat().find(i => i && i.family === 'IPv4' && !i.internal)?.address
const decks = discoverDecks({ hidden: true })

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number }
      s.close(() => resolve(port))
    })
  })
}

/** Pieces of every speaker note of every deck (at least 8 characters each): none may reach the audience. */
async function noteSnippets(): Promise<string[]> {
  const snippets = new Set<string>()
  for (const d of decks) {
    const data = await load({ userRoot: d.dir } as Parameters<typeof load>[0], d.entry)
    for (const slide of data.slides) {
      for (const line of (slide.note ?? '').split('\n')) {
        const text = line.replace(/\[click(?::\d+)?\]/g, '').replace(/^\/\/\s*/, '').replace(/[*_`>#-]/g, '').trim()
        if ([...text].length >= 8)
          snippets.add([...text].slice(0, 24).join(''))
      }
    }
  }
  return [...snippets]
}

/** The opening of repository files that are not part of the public build. */
const repoFiles = [
  'package.json',
  'toolkit.config.ts',
  'tsconfig.json',
  ...decks.map(d => d.entry.slice(repoRoot.length + 1)),
].map(rel => ({
  rel,
  head: readFileSync(join(repoRoot, rel), 'utf8').slice(0, 120),
}))

describe.skipIf(!lan)(`npm run dev -- --remote, seen from another machine (${lan ?? 'no non-loopback IPv4 address on this machine: the test cannot act as a second machine'})`, () => {
  let browser: Browser
  let server: RunningServer
  let port: number
  let local: string
  let remote: string
  let notes: string[]
  let presenter: Page
  let screen: Page
  let audience: Page
  const audienceBodies: { url: string, body: string }[] = []
  const contexts: BrowserContext[] = []

  async function open(url: string): Promise<Page> {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 720 },
    })
    contexts.push(context)
    const page = await context.newPage()
    await page.goto(url, { waitUntil: 'load', timeout: 300_000 })
    return page
  }

  async function navState() {
    const res = await fetch(`${local}/@server-reactive/nav`)
    return parseNavModule(await res.text())
  }

  const slideOf = (page: Page) => Number(new URL(page.url()).pathname.match(/(\d+)\/?$/)?.[1] ?? 1)

  beforeAll(async () => {
    port = await freePort()
    local = `http://localhost:${port}`
    remote = `http://${lan}:${port}`
    ;[browser, server, notes] = await Promise.all([
      launchBrowser(),
      startDevServer('starter', port, ['--remote', PASSWORD]),
      noteSnippets(),
    ])
    // The audience's copy of the deck is built after the server starts.
    await waitForHttp(`${remote}/`, 400_000)
    // Slidev compiles the presenter view on its first request: minutes on a busy machine.
    presenter = await open(`${local}/presenter/1`)
    await presenter.locator('.slidev-note').first().waitFor({ timeout: 300_000 })
  })
  afterAll(async () => {
    for (const c of contexts)
      await c.close().catch(() => {})
    await browser?.close()
    await server?.stop()
  })

  it('listens on the network and prints the audience and remote-control URLs', async () => {
    await expect.poll(() => server.output(), { timeout: 60_000 }).toContain(`audience (anyone, read-only, no notes)   http://${lan}:${port}/`)
    expect(server.output()).toContain(`remote control (needs the password)      http://${lan}:${port}/presenter/`)
    expect(server.output()).not.toMatch(/pass --remote to enable/)
    // The gate tells the machines apart by the peer address: Vite's client is served on loopback only.
    expect((await fetch(`${local}/@vite/client`)).status).toBe(200)
    expect((await fetch(`${remote}/@vite/client`)).status).toBe(404)
    expect(notes.length).toBeGreaterThan(5)
  })

  it('the presenter on this machine sees the notes; another screen and the audience are on slide 1', async () => {
    // Slidev shows "No notes for this slide" until the note has arrived (seconds on a busy machine).
    await expect.poll(() => presenter.locator('.slidev-note').first().textContent(), { timeout: 60_000 }).toContain('動作確認用のデッキです')
    // A second screen of this machine (a projector). Slidev lets a viewer at localhost or 127.0.0.1 send
    // its position too, which races with the presenter's; 127.0.0.2 is loopback all the same, and only follows.
    screen = await open(`http://127.0.0.2:${port}/1`)
    audience = await browser.newContext({
      viewport: { width: 1280, height: 720 },
    }).then(async (c) => {
      contexts.push(c)
      const page = await c.newPage()
      page.on('response', async (r) => {
        // The event stream never ends; its content is checked separately.
        if (r.headers()['content-type']?.startsWith('text/event-stream'))
          return
        audienceBodies.push({
          url: r.url(),
          body: await r.text().catch(() => ''),
        })
      })
      await page.goto(`${remote}/`, { waitUntil: 'networkidle', timeout: 120_000 })
      return page
    })
    await audience.locator('.slidev-layout h1').first().waitFor({ timeout: 120_000 })
    await screen.locator('.slidev-layout h1').first().waitFor({ timeout: 120_000 })
    expect(await audience.locator('.slidev-layout h1').first().textContent()).toContain('スターターデッキ')
    await expect.poll(() => navState().then(s => s?.page), { timeout: 60_000 }).toBe(1)
  })

  it('without the password, navigation and state writes are refused and no screen moves', async () => {
    const writes: [string, unknown][] = [
      [
        '/@server-reactive/nav',
        {
          data: { page: 4, clicks: 0 },
        },
      ],
      [
        '/@server-reactive/nav',
        {
          patch: { page: 4 },
        },
      ],
      [
        '/@server-ref/nav',
        {
          data: { page: 4 },
        },
      ],
      [
        '/@server-reactive/drawings',
        {
          data: { 1: '<path d="M0 0L9 9"/>' },
        },
      ],
      [
        '/@server-reactive/nav',
        {
          patch: {
            timer: {
              status: 'running',
              startedAt: 1,
              pausedAt: 0,
              slides: {},
            },
          },
        },
      ],
    ]
    for (const [path, body] of writes) {
      const res = await fetch(`${remote}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
      expect(res.status, path).toBe(403)
    }
    for (const method of ['PUT', 'PATCH', 'DELETE'])
      expect((await fetch(`${remote}/@server-reactive/nav`, { method, body: '{}' })).status, method).toBe(403)
    // Vite's HMR websocket (which carries every state change to the screens) is closed to the audience.
    const ws = await new Promise<string>((resolve) => {
      const socket = new WebSocket(`ws://${lan}:${port}/`, 'vite-hmr')
      socket.onopen = () => {
        resolve('open')
        socket.close()
      }
      socket.onerror = () => resolve('refused')
    })
    expect(ws).toBe('refused')
    await new Promise(r => setTimeout(r, 1500))
    const state = await navState()
    expect(state?.page).toBe(1)
    const raw = await (await fetch(`${local}/@server-reactive/nav`)).text()
    expect(raw).toContain('"status":"stopped"')
    expect((await fetch(`${local}/@server-reactive/drawings`).then(r => r.text()))).not.toContain('M0 0L9 9')
    for (const page of [presenter, screen, audience])
      expect(slideOf(page)).toBe(1)
  })

  it('the audience follows the presenter through every slide, and nothing it is sent holds a note', async () => {
    const total = 5
    for (let n = 2; n <= total; n++) {
      // Slide 3 has two clicks: step until the slide changes, one step at a time, as a speaker would.
      while (slideOf(presenter) < n) {
        const before = JSON.stringify(await navState())
        await presenter.keyboard.press('ArrowRight')
        await expect.poll(async () => JSON.stringify(await navState()), { timeout: 20_000 }).not.toBe(before)
      }
      await expect.poll(() => slideOf(audience), { timeout: 20_000 }).toBe(n)
      await expect.poll(() => slideOf(screen), { timeout: 20_000 }).toBe(n)
    }
    await audience.waitForLoadState('networkidle')
    await audience.screenshot({
      path: join(repoRoot, '.tmp', 'remote-audience.png'),
    }).catch(() => {})
    expect(audienceBodies.length).toBeGreaterThan(5)
    for (const { url, body } of audienceBodies) {
      expect(new URL(url).host, url).toBe(`${lan}:${port}`)
      for (const note of notes)
        expect(body.includes(note), `${url} contains the note "${note}"`).toBe(false)
    }
    // The event stream carries slide and click numbers only.
    const controller = new AbortController()
    const res = await fetch(`${remote}/__remote/events`, { signal: controller.signal })
    const reader = res.body!.getReader()
    let stream = ''
    while (!stream.includes('data:'))
      stream += new TextDecoder().decode((await reader.read()).value)
    controller.abort()
    const events = stream.split('\n').filter(l => l.startsWith('data:')).map(l => JSON.parse(l.slice(5)))
    expect(events).toEqual([
      {
        page: total,
        clicks: expect.any(Number),
      },
    ])
  })

  it('no dev endpoint, note, source or repository file is reachable without the password', async () => {
    const paths = [
      '/__slidev/slides/1.json',
      '/__slidev/slides/3.json',
      '/__slidev/slides/1.md',
      '/@slidev/slides',
      '/@slidev/titles.md',
      '/@slidev/configs',
      '/@id/__x00__/@slidev/slides',
      '/@server-reactive/nav',
      '/@server-ref/nav',
      '/@server-reactive/drawings',
      '/@vite/client',
      '/@vite/env',
      '/__inspect/',
      '/__open-in-editor?file=package.json',
      '/presenter/1',
      '/presenter/3',
      '/notes/1',
      '/entry',
      '/overview',
      '/package.json',
      '/toolkit.config.ts',
      '/.git/config',
      '/%2e%2e/package.json',
      '/..%2fpackage.json',
      '/node_modules/@slidev/cli/package.json',
      `/@fs${repoRoot}/package.json`,
      `/@fs${repoRoot}/toolkit.config.ts`,
      `/@fs${repoRoot}/decks/`,
      ...decks.flatMap(d => [
        `/@fs${d.entry}`,
        `/${d.entry.slice(repoRoot.length + 1)}`,
        `/@fs${d.entry}?import&raw`,
      ]),
    ]
    for (const path of paths) {
      const res = await fetch(`${remote}${path}`)
      const body = await res.text()
      for (const note of notes)
        expect(body.includes(note), `${path} answered a note (${res.status})`).toBe(false)
      for (const file of repoFiles)
        expect(body.includes(file.head), `${path} answered ${file.rel} (${res.status})`).toBe(false)
      // Only the built deck (its HTML), the login page or a refusal comes back.
      expect(res.status === 404 || /^<!doctype html>/i.test(body.trimStart()), `${path}: ${res.status} ${body.slice(0, 80)}`).toBe(true)
    }
    // The controls send the audience to the login page.
    const control = await fetch(`${remote}/presenter/1`, { redirect: 'manual' })
    expect(control.status).toBe(303)
    expect(control.headers.get('location')).toMatch(/^\/__remote\/login\?next=/)
  })

  it('refuses /__mcp, from the network and from this machine', async () => {
    for (const origin of [remote, local]) {
      expect((await fetch(`${origin}/__mcp`)).status).toBe(403)
      const post = await fetch(`${origin}/__mcp`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'accept': 'application/json, text/event-stream' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
      })
      expect(post.status).toBe(403)
    }
  })

  it('with the password, from the network: the presenter view works and drives every screen', async () => {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 720 },
    })
    contexts.push(context)
    const phone = await context.newPage()
    await phone.goto(`${remote}/presenter/2`, { timeout: 120_000 })
    await expect.poll(() => phone.url()).toMatch(/\/__remote\/login\?next=%2Fpresenter%2F2$/)
    await phone.fill('input[name=password]', 'not-it')
    await phone.click('button[type=submit]')
    await expect.poll(() => phone.locator('[role=alert]').textContent()).toContain('Wrong password')
    await phone.fill('input[name=password]', PASSWORD)
    await phone.click('button[type=submit]')
    await expect.poll(() => phone.url(), { timeout: 60_000 }).toBe(`${remote}/presenter/2`)
    await expect.poll(() => phone.locator('.slidev-note').first().textContent(), { timeout: 60_000 }).toContain('見出しは文節で折り返します')
    const [cookie] = await context.cookies()
    expect(cookie).toMatchObject({ name: 'talks_remote', httpOnly: true, sameSite: 'Strict' })
    expect(cookie!.value).not.toContain(PASSWORD)
    // The presenter view opened on slide 2 and took the others with it; next, from the phone.
    await expect.poll(() => navState().then(s => s?.page), { timeout: 20_000 }).toBe(2)
    await phone.keyboard.press('ArrowRight')
    await expect.poll(() => navState().then(s => s?.page), { timeout: 20_000 }).toBe(3)
    await expect.poll(() => slideOf(screen), { timeout: 20_000 }).toBe(3)
    await expect.poll(() => slideOf(audience), { timeout: 20_000 }).toBe(3)
    // (Slidev's presenter views do not follow one another: the laptop's stays where it was left.)
  })

  it('ten wrong passwords in a row lock the address out, the right one included', async () => {
    const answers: { status: number, retryAfter: number }[] = []
    for (let i = 0; i < 10; i++) {
      const res = await fetch(`${remote}/__remote/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ password: `guess-${i}` }),
        redirect: 'manual',
      })
      answers.push({
        status: res.status,
        retryAfter: Number(res.headers.get('retry-after') ?? 0),
      })
    }
    // Three typos are free; from the fourth the address must wait, and a guess made while waiting is not even tried (429).
    expect(answers.slice(0, 3)).toEqual([401, 401, 401].map(status => ({ status, retryAfter: 0 })))
    for (const a of answers.slice(3)) {
      expect([401, 429]).toContain(a.status)
      expect(a.retryAfter).toBeGreaterThanOrEqual(1)
    }
    expect(answers.filter(a => a.status === 429).length).toBeGreaterThan(0)
    const right = await fetch(`${remote}/__remote/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ password: PASSWORD }),
      redirect: 'manual',
    })
    expect(right.status).toBe(429)
    expect(right.headers.get('set-cookie')).toBeNull()
    // This machine is never locked out of its own talk.
    expect((await fetch(`${local}/presenter/1`)).status).toBe(200)
  })
})
