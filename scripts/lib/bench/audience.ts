/**
 * What the audience downloads: bytes on the wire (gzip, as the preview server and static hosts
 * send text) and requests, for opening slide 1 and for a keyboard walk through the whole deck,
 * in a fresh browser context (empty cache). Requests to other origins are counted and aborted.
 */
import type { Browser, Request } from 'playwright-chromium'
import { waitForSlide } from '../site/thumbs.ts'
import { walkDeck } from '../site/walk.ts'

export interface LoadNumbers {
  bytes: number
  requests: number
  external: string[]
  failed: string[]
  /** Largest responses, for finding what to trim. */
  largest: { url: string, bytes: number }[]
  /** Bytes by kind: font, css, js, image, html, other. */
  byKind: Record<string, number>
}

export function kindOf(url: string): string {
  const ext = /\.([a-z0-9]+)(?:[?#]|$)/i.exec(new URL(url).pathname)?.[1]?.toLowerCase() ?? ''
  if (['woff2', 'woff', 'ttf', 'otf'].includes(ext))
    return 'font'
  if (['js', 'mjs'].includes(ext))
    return 'js'
  if (ext === 'css')
    return 'css'
  if ([
    'png',
    'jpg',
    'jpeg',
    'svg',
    'webp',
    'avif',
    'gif',
  ].includes(ext)) {
    return 'image'
  }
  if (!ext || ext === 'html')
    return 'html'
  return 'other'
}

export interface AudienceLoad {
  slide1: LoadNumbers
  walk: LoadNumbers
  steps: number
  /** Time from navigation to slide 1 drawn (localhost, so mostly parse and render). */
  slide1Ms: number
}

function snapshot(sizes: Map<Request, number>, external: string[], failed: string[]): LoadNumbers {
  const entries = [
    ...sizes.entries(),
  ].map(([r, bytes]) => ({
    url: r.url(),
    bytes,
  }))
  return {
    bytes: entries.reduce((s, e) => s + e.bytes, 0),
    requests: entries.length + external.length,
    external: [...external],
    failed: [...failed],
    largest: [...entries].sort((a, b) => b.bytes - a.bytes).slice(0, 12),
    byKind: entries.reduce<Record<string, number>>((acc, e) => {
      const k = kindOf(e.url)
      acc[k] = (acc[k] ?? 0) + e.bytes
      return acc
    }, {}),
  }
}

/** `deckUrl` ends with a slash, e.g. http://127.0.0.1:3500/<slug>/ */
export async function measureAudienceLoad(browser: Browser, deckUrl: string): Promise<AudienceLoad> {
  const origin = new URL(deckUrl).origin
  const context = await browser.newContext({
    viewport: { width: 1280, height: 720 },
    colorScheme: 'light',
  })
  const sizes = new Map<Request, number>()
  const external: string[] = []
  const failed: string[] = []
  const pending: Promise<void>[] = []
  await context.route(url => !url.href.startsWith(origin) && !/^(?:data|blob):/.test(url.href), (route) => {
    external.push(route.request().url())
    return route.abort('blockedbyclient')
  })
  context.on('requestfinished', (r) => {
    pending.push(r.sizes().then((s) => {
      sizes.set(r, s.responseBodySize)
    }).catch(() => undefined))
  })
  context.on('requestfailed', (r) => {
    if (r.url().startsWith(origin))
      failed.push(`${r.url()} (${r.failure()?.errorText})`)
  })
  try {
    const page = await context.newPage()
    const t0 = performance.now()
    await page.goto(deckUrl, { waitUntil: 'load' })
    await waitForSlide(page, 1)
    const slide1Ms = performance.now() - t0
    await page.waitForLoadState('networkidle')
    await Promise.all(pending)
    const slide1 = snapshot(sizes, external, failed)
    const steps = await walkDeck(page, new URL(deckUrl).pathname)
    await page.waitForLoadState('networkidle')
    await Promise.all(pending)
    return {
      slide1,
      walk: snapshot(sizes, external, failed),
      steps: steps.length,
      slide1Ms,
    }
  }
  finally {
    await context.close()
  }
}
