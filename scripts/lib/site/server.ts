/**
 * The toolkit's one static server, always on a port the OS assigns unless one is asked for.
 * For `npm run preview` it serves a built site the way a static host does, so what works here
 * works deployed: files as they are, `dir` → `dir/` → `dir/index.html`, the `_redirects` rules
 * (Netlify semantics: a rule applies only where no file exists), then the root `404.html` with
 * status 404 (GitHub Pages), and gzip for text, as hosts compress on the fly.
 * For the build's render pass it also serves single-page apps mounted at their own base paths
 * (each deck's cached build): route-like paths fall back to the app's index.html, missing assets
 * stay 404s so a broken slide is noticed.
 */
import type { AddressInfo } from 'node:net'
import type { RedirectRule } from './redirects.ts'
import { readFile, stat } from 'node:fs/promises'
import { createServer } from 'node:http'
import { extname, join, normalize, sep } from 'node:path'
import { gzipSync } from 'node:zlib'
import { matchRedirect, parseRedirects } from './redirects.ts'

export const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.pdf': 'application/pdf',
  '.mp4': 'video/mp4',
  '.webm': 'video/webm',
}

/** Types a static host compresses (already-compressed images, fonts and PDFs are sent as they are). */
export function isCompressible(type: string): boolean {
  return /^text\/|javascript|json|xml|svg|wasm|font\/ttf/.test(type)
}

/** A built single-page app and the URL path it is served under (leading and trailing slash). */
export interface MountedApp {
  root: string
  base: string
}

export interface SiteServerOptions {
  /** The built site (dist/); optional when the server only serves mounted apps. */
  root?: string
  /** URL path the site is published under, e.g. / or /talks/. */
  base?: string
  port?: number
  /** Try the following ports when `port` is taken (0: fail). */
  portAttempts?: number
  host?: string
  /** Obey `_redirects` (Netlify/Cloudflare); false behaves like GitHub Pages (404.html only). */
  redirects?: boolean
  gzip?: boolean
}

export interface SiteServer {
  /** Origin without a trailing slash, e.g. http://127.0.0.1:3500 */
  origin: string
  /** The site's own URL (origin + base). */
  url: string
  port: number
  /** Serves one more app (or replaces the one at the same base). */
  mount: (app: MountedApp) => void
  close: () => Promise<void>
}

interface Resolved {
  status: number
  file?: string
  location?: string
}

async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isFile() ?? false
}

async function isDir(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() ?? false
}

/** Where a request path ends up on a static host: pure routing, exported for tests. */
export async function resolveRequest(root: string, base: string, pathname: string, rules: RedirectRule[] | undefined): Promise<Resolved> {
  const notFound = async (): Promise<Resolved> => {
    const page = join(root, '404.html')
    return (await isFile(page))
      ? { status: 404, file: page }
      : { status: 404 }
  }
  if (`${pathname}/` === base)
    return { status: 301, location: base }
  if (!pathname.startsWith(base))
    return notFound()
  const rel = normalize(pathname.slice(base.length)).replace(/^(?:\.\.(?:[/\\]|$))+/, '')
  const full = join(root, rel)
  if (full !== root && !full.startsWith(root + sep))
    return { status: 403 }
  // Hosts never serve their own configuration files.
  if (rel === '_redirects' || rel === '_headers')
    return notFound()
  if (await isFile(full))
    return { status: 200, file: full }
  if (await isDir(full)) {
    if (!pathname.endsWith('/'))
      return { status: 301, location: `${pathname}/` }
    const index = join(full, 'index.html')
    if (await isFile(index))
      return { status: 200, file: index }
  }
  const hit = rules && matchRedirect(rules, pathname)
  if (hit) {
    if (hit.rule.status === 200) {
      const target = join(root, normalize(hit.to.slice(base.length)))
      if (target.startsWith(root + sep) && await isFile(target))
        return { status: 200, file: target }
    }
    else if (hit.rule.status >= 300 && hit.rule.status < 400) {
      return { status: hit.rule.status, location: hit.to }
    }
  }
  return notFound()
}

/** Where a request path ends up in a mounted single-page app; undefined when no app is under it. */
export async function resolveAppRequest(apps: MountedApp[], pathname: string): Promise<Resolved | undefined> {
  const app = apps.find(a => pathname.startsWith(a.base) || `${pathname}/` === a.base)
  if (!app)
    return undefined
  const root = normalize(app.root).replace(/[/\\]$/, '')
  const rel = normalize(pathname.slice(app.base.length)).replace(/^(?:\.\.(?:[/\\]|$))+/, '')
  const full = join(root, rel)
  if (full !== root && !full.startsWith(root + sep))
    return { status: 403 }
  if (await isFile(full))
    return { status: 200, file: full }
  if (await isFile(join(full, 'index.html'))) {
    return {
      status: 200,
      file: join(full, 'index.html'),
    }
  }
  // Only route-like paths (no extension) are the app's: a missing asset has to be noticed.
  if (!extname(rel)) {
    return {
      status: 200,
      file: join(root, 'index.html'),
    }
  }
  return { status: 404 }
}

export async function startSiteServer(options: SiteServerOptions = {}): Promise<SiteServer> {
  const base = options.base ?? '/'
  const root = options.root && normalize(options.root).replace(/[/\\]$/, '')
  const gzipCache = new Map<string, { mtime: number, body: Buffer }>()
  const apps: MountedApp[] = []
  const mount = (app: MountedApp) => {
    const i = apps.findIndex(a => a.base === app.base)
    if (i >= 0)
      apps.splice(i, 1)
    apps.push(app)
    apps.sort((a, b) => b.base.length - a.base.length)
  }
  let rules: RedirectRule[] | undefined
  if (root && options.redirects !== false) {
    const text = await readFile(join(root, '_redirects'), 'utf8').catch(() => '')
    rules = parseRedirects(text)
  }

  const server = createServer(async (req, res) => {
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405).end()
        return
      }
      const url = new URL(req.url ?? '/', 'http://localhost')
      let pathname: string
      try {
        pathname = decodeURIComponent(url.pathname)
      }
      catch {
        res.writeHead(400).end()
        return
      }
      const r = await resolveAppRequest(apps, pathname)
        ?? (root
          ? await resolveRequest(root, base, pathname, rules)
          : { status: 404 })
      if (r.location) {
        res.writeHead(r.status, { location: r.location + url.search }).end()
        return
      }
      if (!r.file) {
        res.writeHead(r.status, { 'content-type': 'text/plain; charset=utf-8' }).end('not found')
        return
      }
      const type = MIME[extname(r.file).toLowerCase()] ?? 'application/octet-stream'
      const headers: Record<string, string> = {
        'content-type': type,
        'cache-control': 'no-cache',
        'vary': 'accept-encoding',
      }
      const s = await stat(r.file)
      let body: Buffer
      if (options.gzip !== false && isCompressible(type) && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
        const cached = gzipCache.get(r.file)
        if (cached && cached.mtime === s.mtimeMs) {
          body = cached.body
        }
        else {
          body = gzipSync(await readFile(r.file))
          gzipCache.set(r.file, { mtime: s.mtimeMs, body })
        }
        headers['content-encoding'] = 'gzip'
      }
      else {
        body = await readFile(r.file)
      }
      headers['content-length'] = String(body.length)
      res.writeHead(r.status, headers)
      res.end(req.method === 'HEAD'
        ? undefined
        : body)
    }
    catch (e) {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(String(e))
    }
  })

  const host = options.host ?? '127.0.0.1'
  const first = options.port ?? 0
  const attempts = first === 0
    ? 1
    : Math.max(1, options.portAttempts ?? 1)
  let port = 0
  for (let i = 0; i < attempts; i++) {
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject)
        server.listen(first + i, host, () => {
          server.off('error', reject)
          resolve()
        })
      })
      port = (server.address() as AddressInfo).port
      break
    }
    catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE' || i === attempts - 1)
        throw e
    }
  }
  const shownHost = host === '0.0.0.0' || host === '::'
    ? 'localhost'
    : host
  const origin = `http://${shownHost}:${port}`
  return {
    origin,
    url: origin + base,
    port,
    mount,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections()
      server.close(() => resolve())
    }),
  }
}
