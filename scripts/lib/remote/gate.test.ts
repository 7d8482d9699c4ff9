/**
 * The gate's decisions, against a stand-in for Slidev that records what reaches it. The second
 * machine is this machine's own non-loopback address (the gate sees it as the peer).
 */
import type { AddressInfo } from 'node:net'
import type { AudienceSite } from './gate.ts'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import { networkInterfaces, tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LoginLimiter } from './auth.ts'
import { createGate, followScript, isLoopback, safeNext, withFollowScript } from './gate.ts'
import { NavFeed } from './nav-feed.ts'

const lan = Object.values(networkInterfaces()).flat().find(i => i && i.family === 'IPv4' && !i.internal)?.address

describe('gate helpers', () => {
  it('knows loopback peers, IPv4-mapped included', () => {
    for (const a of [
      '127.0.0.1',
      '127.1.2.3',
      '::1',
      '::ffff:127.0.0.1',
    ])
      expect(isLoopback(a), a).toBe(true)
    for (const a of [
      '192.0.2.2',
      '::ffff:192.0.2.2',
      'fd00::2',
      '10.127.0.1',
      '',
      undefined,
    ])
      expect(isLoopback(a), String(a)).toBe(false)
  })

  it('sends the speaker back only to a path of this server', () => {
    expect(safeNext('/presenter/3')).toBe('/presenter/3')
    for (const bad of [
      '//evil.example/',
      'https://evil.example/',
      '/\\evil.example',
      '',
      null,
    ])
      expect(safeNext(bad)).toBe('/presenter/')
  })

  it('adds the follow script to the deck page, listening on the deck\'s own channel', () => {
    expect(withFollowScript('<html><head><title>t</title></head></html>')).toContain('<script src="/__remote/follow.js" defer></script>\n</head>')
    expect(followScript('スターター "x" - Slidev')).toContain('new BroadcastChannel("スターター \\"x\\" - Slidev - shared")')
  })
})

describe.skipIf(!lan)('the gate, from this machine and from another address', () => {
  const seen: { method: string, url: string, peer: string }[] = []
  const upstream = createServer((req, res) => {
    seen.push({ method: req.method!, url: req.url!, peer: req.headers['x-test-peer'] as string ?? '' })
    res.writeHead(200, { 'content-type': 'text/plain' }).end(`slidev ${req.method} ${req.url}`)
  })
  upstream.on('upgrade', (req, socket) => {
    seen.push({ method: 'UPGRADE', url: req.url!, peer: '' })
    socket.end('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n')
  })
  const audience: AudienceSite = {}
  const feed = new NavFeed({
    read: async () => ({ page: 2, clicks: 1 }),
  })
  let gate: ReturnType<typeof createGate>
  let dir: string
  let local: string
  let remote: string

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gate-test-'))
    await mkdir(join(dir, 'assets'))
    await writeFile(join(dir, 'index.html'), '<!doctype html><html><head><title>Deck - Slidev</title></head><body></body></html>')
    await writeFile(join(dir, 'assets', 'app.js'), 'console.log("deck")')
    await writeFile(join(dir, '_redirects'), '/* /index.html 200')
    await new Promise<void>(r => upstream.listen(0, '127.0.0.1', r))
    gate = createGate({
      upstream: { host: '127.0.0.1', port: (upstream.address() as AddressInfo).port },
      password: 'pw',
      audience,
      feed,
      limiter: new LoginLimiter({ baseMs: 60_000 }),
    })
    await new Promise<void>(r => gate.listen(0, '0.0.0.0', r))
    const port = (gate.address() as AddressInfo).port
    local = `http://127.0.0.1:${port}`
    remote = `http://${lan}:${port}`
  })
  afterAll(async () => {
    feed.stop()
    gate.closeAllConnections()
    upstream.closeAllConnections()
    await new Promise(r => gate.close(r))
    await new Promise(r => upstream.close(r))
    await rm(dir, { recursive: true, force: true })
  })

  it('says the audience view is coming while it is built', async () => {
    const res = await fetch(`${remote}/`)
    expect(res.status).toBe(503)
    expect(res.headers.get('retry-after')).toBe('5')
    Object.assign(audience, {
      dir,
      indexHtml: withFollowScript('<!doctype html><html><head></head></html>'),
      title: 'Deck - Slidev',
    })
  })

  it('passes this machine through to Slidev, everything included', async () => {
    seen.length = 0
    expect(await (await fetch(`${local}/@vite/client`)).text()).toBe('slidev GET /@vite/client')
    expect((await fetch(`${local}/@server-reactive/nav`, { method: 'POST', body: '{}' })).status).toBe(200)
    expect(seen.map(s => `${s.method} ${s.url}`)).toEqual(['GET /@vite/client', 'POST /@server-reactive/nav'])
  })

  it('gives another machine the built deck and nothing of Slidev', async () => {
    seen.length = 0
    const index = await fetch(`${remote}/3?clicks=1`)
    expect(index.status).toBe(200)
    expect(await index.text()).toContain('/__remote/follow.js')
    expect(await (await fetch(`${remote}/assets/app.js`)).text()).toBe('console.log("deck")')
    for (const path of [
      '/@vite/client',
      '/@fs/etc/hostname',
      '/__slidev/slides/1.json',
      '/package.json',
    ])
      expect((await fetch(`${remote}${path}`)).status, path).toBe(404)
    // A path that looks like a route of the deck gets the deck's page, never a file from elsewhere.
    for (const path of ['/%2e%2e/%2e%2e/etc/hostname', '/..%2f..%2fetc%2fhostname', '/_redirects'])
      expect(await (await fetch(`${remote}${path}`)).text(), path).toBe(audience.indexHtml)
    for (const method of ['POST', 'PUT', 'DELETE'])
      expect((await fetch(`${remote}/@server-reactive/nav`, { method, body: '{}' })).status, method).toBe(403)
    const presenter = await fetch(`${remote}/presenter/3`, { redirect: 'manual' })
    expect(presenter.status).toBe(303)
    expect(presenter.headers.get('location')).toBe('/__remote/login?next=%2Fpresenter%2F3')
    expect((await fetch(`${remote}/__remote/follow.js`)).status).toBe(200)
    expect(seen).toEqual([])
  })

  it('refuses another machine\'s websocket and passes this machine\'s', async () => {
    const upgrade = (origin: string) => fetchRaw(origin, 'GET / HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n')
    expect(await upgrade(remote)).toMatch(/^HTTP\/1\.1 403/)
    expect(await upgrade(local)).toMatch(/^HTTP\/1\.1 101/)
  })

  it('refuses /__mcp to everyone', async () => {
    for (const origin of [local, remote]) {
      expect((await fetch(`${origin}/__mcp`)).status).toBe(403)
      expect((await fetch(`${origin}/__mcp/`, { method: 'POST', body: '{}' })).status).toBe(403)
    }
  })

  it('exchanges the password once for a session cookie that opens Slidev', async () => {
    const wrong = await fetch(`${remote}/__remote/login`, {
      method: 'POST',
      body: new URLSearchParams({ password: 'nope' }),
      redirect: 'manual',
    })
    expect(wrong.status).toBe(401)
    expect(wrong.headers.get('set-cookie')).toBeNull()
    const right = await fetch(`${remote}/__remote/login`, {
      method: 'POST',
      body: new URLSearchParams({ password: 'pw', next: '/presenter/2' }),
      redirect: 'manual',
    })
    expect(right.status).toBe(303)
    expect(right.headers.get('location')).toBe('/presenter/2')
    const cookie = right.headers.get('set-cookie')!
    expect(cookie).toMatch(/HttpOnly; SameSite=Strict/)
    const token = cookie.split(';')[0]!
    seen.length = 0
    expect(await (await fetch(`${remote}/presenter/2`, {
      headers: { cookie: token },
    })).text()).toBe('slidev GET /presenter/2')
    expect((await fetch(`${remote}/@server-reactive/nav`, {
      method: 'POST',
      body: '{}',
      headers: { cookie: token },
    })).status).toBe(200)
    expect((await fetch(`${remote}/presenter/2`, {
      headers: { cookie: 'talks_remote=forged' },
      redirect: 'manual',
    })).status).toBe(303)
    expect(seen.length).toBe(2)
  })

  it('locks an address out after wrong guesses, and not this machine', async () => {
    const guess = (origin: string, password: string) => fetch(`${origin}/__remote/login`, {
      method: 'POST',
      body: new URLSearchParams({ password }),
      redirect: 'manual',
    })
    const statuses = []
    for (let i = 0; i < 10; i++)
      statuses.push((await guess(remote, `x${i}`)).status)
    expect(statuses).toEqual([
      401,
      401,
      401,
      401,
      429,
      429,
      429,
      429,
      429,
      429,
    ])
    const right = await guess(remote, 'pw')
    expect(right.status).toBe(429)
    expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(50)
    expect((await guess(local, 'pw')).status).toBe(303)
  })
})

function fetchRaw(origin: string, request: string): Promise<string> {
  const { hostname, port } = new URL(origin)
  return import('node:net').then(({ connect }) => new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(request))
    let text = ''
    socket.on('data', (d) => {
      text += d.toString()
      if (text.includes('\r\n\r\n')) {
        socket.destroy()
        resolve(text)
      }
    })
    socket.on('error', reject)
  }))
}
