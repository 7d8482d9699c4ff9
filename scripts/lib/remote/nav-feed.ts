/**
 * The presenter's position, read from Slidev's dev server and pushed to the audience as a
 * read-only Server-Sent Events stream. Slidev keeps the live position in the `nav` state of
 * vite-plugin-vue-server-ref; `GET /@server-reactive/nav` answers a module that embeds it as JSON.
 * The feed polls that module over loopback and sends only the slide and click numbers (no timer,
 * no drawings), and only when they change.
 */
import type { ServerResponse } from 'node:http'

export interface NavPosition {
  page: number
  clicks: number
}

/** The position embedded in Slidev's `/@server-reactive/nav` module, or undefined before anyone presented. */
export function parseNavModule(code: string): NavPosition | undefined {
  const m = code.match(/^const data = reactive\((\{.*\})\)\s*$/m)
  if (!m)
    return undefined
  let state: unknown
  try {
    state = JSON.parse(m[1]!)
  }
  catch {
    return undefined
  }
  const { page, clicks } = state as { page?: unknown, clicks?: unknown }
  if (typeof page !== 'number' || !Number.isInteger(page) || page < 1)
    return undefined
  return {
    page,
    clicks: typeof clicks === 'number' && Number.isInteger(clicks) && clicks >= 0
      ? clicks
      : 0,
  }
}

export interface NavFeedOptions {
  /** Reads the current position (from Slidev, over loopback). */
  read: () => Promise<NavPosition | undefined>
  intervalMs?: number
  /** Most audience connections held at once; more are answered 503. */
  maxClients?: number
}

export class NavFeed {
  private readonly clients = new Set<ServerResponse>()
  private readonly options: Required<NavFeedOptions>
  private timer: NodeJS.Timeout | undefined
  private heartbeat: NodeJS.Timeout | undefined
  private polling = false
  current: NavPosition | undefined

  constructor(options: NavFeedOptions) {
    this.options = { intervalMs: 250, maxClients: 1000, ...options }
  }

  start(): void {
    this.timer ??= setInterval(() => void this.poll(), this.options.intervalMs)
    this.heartbeat ??= setInterval(() => {
      for (const res of this.clients)
        res.write(': keep-alive\n\n')
    }, 15_000)
  }

  stop(): void {
    clearInterval(this.timer)
    clearInterval(this.heartbeat)
    this.timer = this.heartbeat = undefined
    for (const res of this.clients)
      res.end()
    this.clients.clear()
  }

  async poll(): Promise<void> {
    if (this.polling)
      return
    this.polling = true
    try {
      const next = await this.options.read().catch(() => undefined)
      if (next && (next.page !== this.current?.page || next.clicks !== this.current?.clicks)) {
        this.current = next
        for (const res of this.clients)
          this.send(res, next)
      }
    }
    finally {
      this.polling = false
    }
  }

  /** Answers an EventSource request and keeps it until the client leaves. */
  subscribe(res: ServerResponse): void {
    if (this.clients.size >= this.options.maxClients) {
      res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', 'retry-after': '10' }).end('too many viewers')
      return
    }
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-accel-buffering': 'no',
    })
    res.write('retry: 1000\n\n')
    if (this.current)
      this.send(res, this.current)
    this.clients.add(res)
    res.on('close', () => this.clients.delete(res))
  }

  get size(): number {
    return this.clients.size
  }

  private send(res: ServerResponse, pos: NavPosition): void {
    res.write(`data: ${JSON.stringify({ page: pos.page, clicks: pos.clicks })}\n\n`)
  }
}
