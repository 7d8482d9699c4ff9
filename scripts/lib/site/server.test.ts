import type { SiteServer } from './server.ts'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { redirectsFile } from './fallbacks.ts'
import { startSiteServer } from './server.ts'

let root: string
let server: SiteServer
let pages: SiteServer

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'site-server-'))
  mkdirSync(join(root, 'deck/assets'), { recursive: true })
  writeFileSync(join(root, 'index.html'), '<h1>index</h1>')
  writeFileSync(join(root, '404.html'), '<h1>missing</h1>')
  writeFileSync(join(root, 'deck/index.html'), '<h1>deck</h1>')
  writeFileSync(join(root, 'deck/assets/app.js'), 'console.log("x");'.repeat(200))
  writeFileSync(join(root, '_redirects'), redirectsFile({ base: '/talks/', url: '', title: '' }, [
    { slug: 'deck', slides: 5 },
  ]))
  server = await startSiteServer({
    root,
    base: '/talks/',
  })
  pages = await startSiteServer({
    root,
    base: '/talks/',
    redirects: false,
  })
})
afterAll(async () => {
  await server.close()
  await pages.close()
  rmSync(root, { recursive: true, force: true })
})

const get = (s: SiteServer, path: string, init?: RequestInit) => fetch(`${s.origin}${path}`, { redirect: 'manual', ...init })

describe('preview server', () => {
  it('serves files and directory indexes under the base', async () => {
    expect(await (await get(server, '/talks/')).text()).toBe('<h1>index</h1>')
    expect(await (await get(server, '/talks/deck/')).text()).toBe('<h1>deck</h1>')
    const r = await get(server, '/talks/deck')
    expect(r.status).toBe(301)
    expect(r.headers.get('location')).toBe('/talks/deck/')
  })

  it('rewrites deck deep links from _redirects', async () => {
    const r = await get(server, '/talks/deck/3')
    expect(r.status).toBe(200)
    expect(await r.text()).toBe('<h1>deck</h1>')
  })

  it('answers missing files, slides beyond the deck and paths outside the base with 404.html', async () => {
    for (const path of [
      '/talks/deck/assets/missing.js',
      '/talks/deck/6',
      '/elsewhere',
      '/talks/_redirects',
      '/talks/../etc/passwd',
    ]) {
      const r = await get(server, path)
      expect(r.status, path).toBe(404)
      expect(await r.text(), path).toBe('<h1>missing</h1>')
    }
  })

  it('behaves like GitHub Pages without _redirects', async () => {
    const r = await get(pages, '/talks/deck/3')
    expect(r.status).toBe(404)
    expect(await r.text()).toBe('<h1>missing</h1>')
  })

  it('compresses text as a static host does', async () => {
    const r = await fetch(`${server.origin}/talks/deck/assets/app.js`, {
      headers: { 'accept-encoding': 'gzip' },
    })
    expect(r.headers.get('content-type')).toMatch(/javascript/)
    const raw = await fetch(`${server.origin}/talks/deck/assets/app.js`, {
      headers: { 'accept-encoding': 'identity' },
      decompress: false,
    } as RequestInit)
    expect(raw.headers.get('content-encoding')).toBeNull()
    expect(Number(raw.headers.get('content-length'))).toBe(3400)
    const http = await import('node:http')
    const body = await new Promise<Buffer>((resolve, reject) => {
      http.get(`${server.origin}/talks/deck/assets/app.js`, {
        headers: { 'accept-encoding': 'gzip' },
      }, (res) => {
        const chunks: Buffer[] = []
        res.on('data', c => chunks.push(c))
        res.on('end', () => resolve(Buffer.concat(chunks)))
      }).on('error', reject)
    })
    expect(body.length).toBeLessThan(200)
    expect(gunzipSync(body).toString()).toContain('console.log')
  })
})

describe('mounted apps (the render pass)', () => {
  it('serves apps from their own folders on an OS-assigned port: files, SPA routes, 404 for missing assets', async () => {
    const app = mkdtempSync(join(tmpdir(), 'site-app-'))
    mkdirSync(join(app, 'assets'))
    writeFileSync(join(app, 'index.html'), '<p>spa</p>')
    writeFileSync(join(app, 'assets', 'a.js'), 'export {}')
    const s = await startSiteServer({ gzip: false })
    try {
      expect(s.port).toBeGreaterThan(0)
      s.mount({ root: app, base: '/deck/' })
      const js = await get(s, '/deck/assets/a.js')
      expect(js.status).toBe(200)
      expect(js.headers.get('content-type')).toMatch(/javascript/)
      expect(await (await get(s, '/deck/export')).text()).toContain('spa')
      expect((await get(s, '/deck/missing.png')).status).toBe(404)
      expect((await get(s, '/other/')).status).toBe(404)
      expect((await get(s, '/deck/%2e%2e/%2e%2e/etc/passwd')).status).not.toBe(200)
      s.mount({ root: app, base: '/second/' })
      expect((await get(s, '/second/assets/a.js')).status).toBe(200)
    }
    finally {
      await s.close()
      rmSync(app, { recursive: true, force: true })
    }
  })
})
