/**
 * A tiny static file server for a built Slidev SPA: files under `base`, and index.html for any
 * other path under it (the SPA's router handles /print, /3 ...). Binds to 127.0.0.1 only.
 */
import type { AddressInfo } from 'node:net'
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { createServer } from 'node:http'
import { extname, join, normalize, sep } from 'node:path'
import { MIME } from '../site/server.ts'

export interface StaticSite {
  /** A built SPA directory and the URL path it is served under (leading and trailing slash). */
  root: string
  base: string
}

export interface StaticServer {
  origin: string
  port: number
  /** Serves one more site (a deck built while others print). */
  mount: (site: StaticSite) => void
  close: () => Promise<void>
}

async function fileAt(path: string): Promise<string | undefined> {
  try {
    const s = await stat(path)
    if (s.isFile())
      return path
    if (s.isDirectory()) {
      const index = join(path, 'index.html')
      if ((await stat(index).catch(() => undefined))?.isFile())
        return index
    }
  }
  catch {}
  return undefined
}

/**
 * Serves several sites from one server (one per deck, each under its own base), so one browser
 * and one port serve every deck of an export run.
 */
export async function startStaticServer(sites: StaticSite[], options: { ports?: [number, number] } = {}): Promise<StaticServer> {
  const mounted: StaticSite[] = []
  const mount = (site: StaticSite) => {
    const i = mounted.findIndex(s => s.base === site.base)
    if (i >= 0)
      mounted.splice(i, 1)
    mounted.push(site)
    mounted.sort((a, b) => b.base.length - a.base.length)
  }
  sites.forEach(mount)
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost')
    let pathname: string
    try {
      pathname = decodeURIComponent(url.pathname)
    }
    catch {
      res.writeHead(400).end()
      return
    }
    const site = mounted.find(s => pathname.startsWith(s.base) || `${pathname}/` === s.base)
    if (!site) {
      res.writeHead(404).end()
      return
    }
    const rel = normalize(pathname.slice(site.base.length)).replace(/^(\.\.(?:[/\\]|$))+/, '')
    const full = join(site.root, rel)
    if (full !== site.root && !full.startsWith(site.root + sep)) {
      res.writeHead(403).end()
      return
    }
    let file = await fileAt(full)
    // Unknown asset paths must stay 404s (a missing image has to be noticed); only route-like
    // paths without an extension fall back to the SPA's index.html.
    if (!file && !extname(rel))
      file = join(site.root, 'index.html')
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found')
      return
    }
    res.writeHead(200, {
      'content-type': MIME[extname(file).toLowerCase()] ?? 'application/octet-stream',
      'cache-control': 'no-cache',
    })
    createReadStream(file).pipe(res)
  })
  const [from, to] = options.ports ?? [0, 0]
  let port = 0
  for (let p = from; p <= to; p++) {
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject)
        server.listen(p, '127.0.0.1', () => {
          server.off('error', reject)
          resolve()
        })
      })
      port = (server.address() as AddressInfo).port
      break
    }
    catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE' || p === to)
        throw e
    }
  }
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    mount,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections()
      server.close(() => resolve())
    }),
  }
}
