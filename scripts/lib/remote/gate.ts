/**
 * The gate in front of Slidev in remote mode (`npm run dev -- <deck> --remote <password>`).
 * Slidev's dev server stays on loopback; this server alone listens on the network, and it decides
 * by who is asking, not by what the page claims:
 *
 * - the presenter's own machine (a loopback peer) and holders of a session cookie (got once for
 *   the password at /__remote/login) reach Slidev: presenter view, navigation, drawings, timer, HMR;
 * - everyone else gets the audience view: the deck's public build (the hosted site's files, no
 *   notes, no presenter chunk) plus a read-only event stream of the presenter's slide. Nothing
 *   they send reaches Slidev: other methods are refused, websocket upgrades are refused, and paths
 *   outside the build are 404.
 *
 * Slidev's MCP endpoint (/__mcp, which can rewrite the deck's files) is refused for everyone.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import type { Duplex } from 'node:stream'
import type { NavFeed } from './nav-feed.ts'
import { readFile } from 'node:fs/promises'
import { createServer, request } from 'node:http'
import { connect } from 'node:net'
import { extname, normalize } from 'node:path'
import { gzipSync } from 'node:zlib'
import { isCompressible, MIME, resolveRequest } from '../site/server.ts'
import { LoginLimiter, passwordMatches, SessionStore, sessionToken } from './auth.ts'

export const REMOTE_PREFIX = '/__remote/'
export const LOGIN_PATH = '/__remote/login'
export const EVENTS_PATH = '/__remote/events'
export const FOLLOW_PATH = '/__remote/follow.js'

/** The audience's copy of the deck; filled in once its public build is ready. */
export interface AudienceSite {
  /** The deck's public build (Slidev build without notes). */
  dir?: string
  /** Its index.html with the follow script added. */
  indexHtml?: string
  /** Slidev's slides title: the name of the deck's shared-state BroadcastChannel. */
  title?: string
  /** Why there is no audience view (the build failed). */
  error?: string
}

export interface GateOptions {
  /** Slidev's dev server, on loopback. */
  upstream: { host: string, port: number }
  password: string
  audience: AudienceSite
  feed: NavFeed
  limiter?: LoginLimiter
  sessions?: SessionStore
}

/** Is this peer address the machine itself? (IPv4 127/8, IPv6 ::1, and IPv4-mapped loopback.) */
export function isLoopback(address: string | undefined): boolean {
  if (!address)
    return false
  const a = address.replace(/^::ffff:/i, '')
  return a === '::1' || /^127\.\d+\.\d+\.\d+$/.test(a)
}

/** Routes that control the talk: an audience member asking for them is sent to the login page. */
const CONTROL_ROUTE = /^\/(?:presenter|notes|entry)(?:\/|$)/

/** A path the login page may send the speaker back to: same origin only. */
export function safeNext(next: string | null | undefined): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.includes('\\')
    ? next
    : '/presenter/'
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`)
}

export function followScript(title: string): string {
  // Slidev's built deck syncs its shared state between tabs over a BroadcastChannel named
  // `${slidesTitle} - shared`; a message there that claims to come from a presenter moves the
  // viewer (client/setup/root.ts, onPatch). The stream carries only slide and click numbers.
  return `(() => {
  const channel = new BroadcastChannel(${JSON.stringify(`${title} - shared`)})
  let target, tries = 0, timer
  const here = () => {
    const m = location.pathname.match(/^\\/(\\d+)\\/?$/)
    return m ? Number(m[1]) : location.pathname === '/' ? 1 : undefined
  }
  const send = () => channel.postMessage({
    page: target.page,
    clicks: target.clicks,
    lastUpdate: { id: 'remote-presenter', type: 'presenter', time: Date.now() },
  })
  // The deck's app may not listen yet (first load): resend until it has followed.
  const settle = () => {
    clearTimeout(timer)
    if (target && here() !== target.page && tries++ < 100) {
      send()
      timer = setTimeout(settle, 200)
    }
  }
  new EventSource(${JSON.stringify(EVENTS_PATH)}).onmessage = (e) => {
    target = JSON.parse(e.data)
    tries = 0
    send()
    timer = setTimeout(settle, 200)
  }
})()
`
}

/** The deck's index.html with the follow script. */
export function withFollowScript(html: string): string {
  const tag = `<script src="${FOLLOW_PATH}" defer></script>`
  return html.includes('</head>')
    ? html.replace('</head>', `${tag}\n</head>`)
    : `${tag}\n${html}`
}

function loginPage(message = '', next = '/presenter/'): string {
  return `<!doctype html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Remote control</title>
<style>
  body { font-family: system-ui, sans-serif; max-width: 24rem; margin: 4rem auto; padding: 0 1rem; line-height: 1.6; }
  input, button { font: inherit; padding: .5rem; width: 100%; box-sizing: border-box; margin-top: .5rem; }
  .error { color: #b00020; }
</style>
</head>
<body>
<h1>Remote control</h1>
<p>発表者用: the password given to <code>npm run dev -- &lt;deck&gt; --remote</code>.</p>
${message
  ? `<p class="error" role="alert">${escapeHtml(message)}</p>`
  : ''}
<form method="post" action="${LOGIN_PATH}">
  <input type="hidden" name="next" value="${escapeHtml(next)}">
  <label>Password <input type="password" name="password" autocomplete="current-password" autofocus required></label>
  <button type="submit">Open the presenter view</button>
</form>
</body>
</html>
`
}

function readBody(req: IncomingMessage, limit: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    let body = ''
    req.setEncoding('utf8')
    req.on('data', (chunk: string) => {
      body += chunk
      if (body.length > limit) {
        resolve(undefined)
        req.destroy()
      }
    })
    req.on('end', () => resolve(body))
    req.on('error', () => resolve(undefined))
  })
}

function text(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'cache-control': 'no-store',
    ...headers,
  }).end(body)
}

function html(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    ...headers,
  }).end(body)
}

export function createGate(options: GateOptions): Server {
  const limiter = options.limiter ?? new LoginLimiter()
  const sessions = options.sessions ?? new SessionStore()
  const { upstream, audience, feed } = options
  const gzipCache = new Map<string, Buffer>()

  const trusted = (req: IncomingMessage) =>
    isLoopback(req.socket.remoteAddress) || sessions.valid(sessionToken(req.headers.cookie))

  async function login(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (req.method === 'GET' || req.method === 'HEAD') {
      html(res, 200, loginPage('', safeNext(url.searchParams.get('next'))))
      return
    }
    if (req.method !== 'POST') {
      text(res, 405, 'method not allowed', { allow: 'GET, POST' })
      return
    }
    const address = req.socket.remoteAddress ?? ''
    const body = await readBody(req, 4096)
    const form = new URLSearchParams(body ?? '')
    const next = safeNext(form.get('next'))
    const verdict = limiter.check(address)
    if (!verdict.allowed) {
      const seconds = Math.ceil(verdict.retryAfterMs / 1000)
      html(res, 429, loginPage(`Too many wrong passwords: try again in ${seconds} s.`, next), {
        'retry-after': String(seconds),
      })
      return
    }
    if (body === undefined || !passwordMatches(form.get('password') ?? '', options.password)) {
      const lockMs = limiter.failure(address)
      const headers: Record<string, string> = lockMs > 0
        ? {
            'retry-after': String(Math.ceil(lockMs / 1000)),
          }
        : {}
      html(res, 401, loginPage(lockMs > 0
        ? `Wrong password. Next try in ${Math.ceil(lockMs / 1000)} s.`
        : 'Wrong password.', next), headers)
      return
    }
    limiter.success(address)
    res.writeHead(303, {
      'set-cookie': sessions.cookie(sessions.create()),
      'location': next,
      'cache-control': 'no-store',
    }).end()
  }

  function proxy(req: IncomingMessage, res: ServerResponse): void {
    const up = request({
      host: upstream.host,
      port: upstream.port,
      method: req.method,
      path: req.url,
      headers: req.headers,
    }, (upRes) => {
      res.writeHead(upRes.statusCode ?? 502, upRes.statusMessage, upRes.headers)
      upRes.pipe(res)
    })
    up.on('error', () => {
      if (!res.headersSent)
        text(res, 502, 'Slidev is not answering yet (starting or restarting); reload in a moment.', { 'retry-after': '2' })
      else
        res.destroy()
    })
    req.pipe(up)
  }

  async function serveAudience(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      text(res, 403, 'The audience view is read-only.')
      return
    }
    let pathname: string
    try {
      pathname = decodeURIComponent(url.pathname)
    }
    catch {
      text(res, 400, 'bad request')
      return
    }
    if (CONTROL_ROUTE.test(pathname)) {
      res.writeHead(303, { 'location': `${LOGIN_PATH}?next=${encodeURIComponent(url.pathname)}`, 'cache-control': 'no-store' }).end()
      return
    }
    if (!audience.dir || !audience.indexHtml) {
      text(res, 503, audience.error
        ? `The audience view is not available: ${audience.error}`
        : 'The audience view is being built; reload in a moment.', { 'retry-after': '5' })
      return
    }
    const r = await resolveRequest(audience.dir, '/', pathname, undefined)
    const isIndex = r.file !== undefined && normalize(r.file) === normalize(`${audience.dir}/index.html`)
    // A route of the deck (no file extension) is the single-page app; Vite's and Slidev's own paths are not.
    const isRoute = !extname(pathname) && !/^\/(?:@|__|node_modules\/)/.test(pathname)
    if (r.status === 200 && r.file && !isIndex) {
      const type = MIME[extname(r.file).toLowerCase()] ?? 'application/octet-stream'
      const gzip = isCompressible(type) && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))
      let body: Buffer
      if (gzip) {
        body = gzipCache.get(r.file) ?? gzipSync(await readFile(r.file))
        gzipCache.set(r.file, body)
      }
      else {
        body = await readFile(r.file)
      }
      res.writeHead(200, {
        'content-type': type,
        'content-length': String(body.length),
        'cache-control': 'no-cache',
        'vary': 'accept-encoding, cookie',
        ...(gzip
          ? { 'content-encoding': 'gzip' }
          : {}),
      })
      res.end(req.method === 'HEAD'
        ? undefined
        : body)
      return
    }
    if (r.status === 301 && r.location) {
      res.writeHead(301, { location: r.location + url.search }).end()
      return
    }
    if (isIndex || (r.status === 404 && isRoute)) {
      html(res, 200, req.method === 'HEAD'
        ? ''
        : audience.indexHtml, { vary: 'cookie' })
      return
    }
    text(res, 404, 'not found')
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://gate')
    const path = url.pathname.replace(/\/+$/, '')
    if (path === '/__mcp' || path.startsWith('/__mcp/')) {
      text(res, 403, 'Slidev\'s MCP server is off: it can rewrite the deck\'s files.')
      return
    }
    if (url.pathname.startsWith(REMOTE_PREFIX)) {
      if (url.pathname === LOGIN_PATH) {
        void login(req, res, url)
      }
      else if (url.pathname === EVENTS_PATH && req.method === 'GET') {
        feed.subscribe(res)
      }
      else if (url.pathname === FOLLOW_PATH && req.method === 'GET' && audience.title !== undefined) {
        res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-cache' })
          .end(followScript(audience.title))
      }
      else {
        text(res, 404, 'not found')
      }
      return
    }
    if (trusted(req)) {
      proxy(req, res)
      return
    }
    serveAudience(req, res, url).catch(() => {
      if (!res.headersSent)
        text(res, 500, 'internal error')
    })
  })

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy())
    if (!trusted(req)) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n')
      return
    }
    const up = connect(upstream.port, upstream.host, () => {
      let raw = `${req.method} ${req.url} HTTP/${req.httpVersion}\r\n`
      for (let i = 0; i < req.rawHeaders.length; i += 2)
        raw += `${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}\r\n`
      up.write(`${raw}\r\n`)
      if (head.length)
        up.write(head)
      up.pipe(socket)
      socket.pipe(up)
    })
    up.on('error', () => socket.destroy())
    socket.on('close', () => up.destroy())
  })

  return server
}
