import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startStaticServer } from './static-server.ts'

describe('startStaticServer', () => {
  const root = mkdtempSync(join(tmpdir(), 'pdf-static-'))
  let server: Awaited<ReturnType<typeof startStaticServer>>
  beforeAll(async () => {
    mkdirSync(join(root, 'assets'))
    writeFileSync(join(root, 'index.html'), '<!doctype html><p>spa</p>')
    writeFileSync(join(root, 'assets', 'a.js'), 'export {}')
    server = await startStaticServer([
      { root, base: '/deck/' },
    ], {
      ports: [3590, 3599],
    })
  })
  afterAll(() => server.close())

  it('serves files under the base with their type, in the assigned port range', async () => {
    expect(server.port).toBeGreaterThanOrEqual(3590)
    const res = await fetch(`${server.origin}/deck/assets/a.js`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/javascript/)
  })

  it('answers SPA routes with index.html but keeps missing assets 404', async () => {
    expect(await (await fetch(`${server.origin}/deck/export`)).text()).toContain('spa')
    expect((await fetch(`${server.origin}/deck/missing.png`)).status).toBe(404)
    expect((await fetch(`${server.origin}/other/`)).status).toBe(404)
  })

  it('never serves files outside the site', async () => {
    const res = await fetch(`${server.origin}/deck/%2e%2e/%2e%2e/etc/passwd`)
    expect(res.status).not.toBe(200)
  })

  it('mounts more sites while running', async () => {
    server.mount({ root, base: '/second/' })
    expect((await fetch(`${server.origin}/second/assets/a.js`)).status).toBe(200)
  })
})
