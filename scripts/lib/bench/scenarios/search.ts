/**
 * Search on the index page: what the reader downloads for it. The index page alone (with the
 * search box, against the same page without it: the box must not make the page heavier to open),
 * then what Pagefind fetches for a first query and for two more, all from the site itself.
 */
import type { Request } from 'playwright-chromium'
import type { BenchContext, Scenario } from '../types.ts'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { devices } from 'playwright-chromium'
import { launchBrowser } from '../../browser.ts'
import { indexEntries, renderIndexHtml } from '../../site/index-page.ts'
import { writeSiteSearch } from '../../site/search.ts'
import { startSiteServer } from '../../site/server.ts'
import { fmtKB, stats, table } from '../harness.ts'

/** Budgets: the first query's download, and the page's growth from the search box and its script. */
export const FIRST_QUERY_BUDGET = 200 * 1024
export const PAGE_GROWTH_BUDGET = 3 * 1024
const TERMS = ['コレオグラフィ', '従量課金', 'ピタゴラ']

interface SearchLoad {
  page: number
  beforeTyping: number
  first: number
  more: number
  files: string[]
  external: number
}

async function measure(url: string, browser: Awaited<ReturnType<typeof launchBrowser>>, options: { search: boolean } = { search: true }): Promise<SearchLoad> {
  const origin = new URL(url).origin
  const context = await browser.newContext({ ...devices['Pixel 7'] })
  const sizes = new Map<Request, number>()
  const pending: Promise<void>[] = []
  let external = 0
  await context.route(u => !u.href.startsWith(origin) && !/^(?:data|blob):/.test(u.href), (route) => {
    external++
    return route.abort('blockedbyclient')
  })
  context.on('requestfinished', (r) => {
    pending.push(r.sizes().then((s) => {
      sizes.set(r, s.responseBodySize)
    }).catch(() => undefined))
  })
  const total = async () => {
    await Promise.all(pending)
    return [
      ...sizes.values(),
    ].reduce((a, b) => a + b, 0)
  }
  const search = (l: Request[]) => l.filter(r => r.url().includes('/pagefind/'))
  try {
    const page = await context.newPage()
    await page.goto(url, { waitUntil: 'networkidle' })
    const pageBytes = await total()
    if (!options.search) {
      return {
        page: pageBytes,
        beforeTyping: 0,
        first: 0,
        more: 0,
        files: [],
        external,
      }
    }
    const box = page.locator('#search-q')
    await box.focus()
    await page.waitForTimeout(300)
    const beforeTyping = await total() - pageBytes
    const results: number[] = []
    for (const term of TERMS) {
      await box.fill(term)
      await page.locator('#search-status', { hasText: `「${term}」` }).waitFor({ timeout: 30_000 })
      await page.waitForLoadState('networkidle')
      results.push(await total())
    }
    return {
      page: pageBytes,
      beforeTyping,
      first: results[0]! - pageBytes,
      more: results.at(-1)! - results[0]!,
      files: search([
        ...sizes.keys(),
      ]).map(r => new URL(r.url()).pathname.replace(/^.*\/pagefind\//, '')),
      external,
    }
  }
  finally {
    await context.close()
  }
}

const scenario: Scenario = {
  id: 'search',
  title: 'Search on the index: bytes loaded only when the reader searches',
  description: [
    'The index page of every public talk (its HTML: no deck is built here, so no thumbnails or font) with its Pagefind index,',
    'served by the preview server (gzip for text) and opened',
    `on a Pixel 7 viewport in Chromium: the page alone, the same page without the search box, then the three queries`,
    `${TERMS.map(t => `「${t}」`).join(', ')} typed in turn. Bytes are response bodies as transferred (compressed).`,
    `Targets: nothing of the search before the reader types, first query ≤ ${FIRST_QUERY_BUDGET / 1024} KB, the search box adds`,
    `≤ ${PAGE_GROWTH_BUDGET / 1024} KB to the page, no external request.`,
  ].join(' '),
  async run(ctx: BenchContext) {
    const root = join(ctx.tmpDir, 'site')
    const plainRoot = join(ctx.tmpDir, 'plain')
    await mkdir(root, { recursive: true })
    await mkdir(plainRoot, { recursive: true })
    const site = { base: '/', url: '', title: 'bench' }
    const entries = indexEntries(ctx.decks, () => false)
    const index = await writeSiteSearch(root, ctx.decks, () => true)
    await writeFile(join(root, 'index.html'), renderIndexHtml(entries, site, { search: true }))
    await writeFile(join(plainRoot, 'index.html'), renderIndexHtml(entries, site))
    const server = await startSiteServer({ root, port: 0 })
    const plainServer = await startSiteServer({ root: plainRoot, port: 0 })
    const browser = await launchBrowser()
    const runs: SearchLoad[] = []
    const plainPage: number[] = []
    try {
      for (let i = 0; i < ctx.warmup + ctx.runs; i++) {
        const r = await measure(server.url, browser)
        const p = await measure(plainServer.url, browser, { search: false })
        if (i >= ctx.warmup) {
          runs.push(r)
          plainPage.push(p.page)
        }
        ctx.log(`search run ${i + 1}: page ${fmtKB(r.page)}, first query ${fmtKB(r.first)}, two more ${fmtKB(r.more)}`)
      }
    }
    finally {
      await browser.close()
      await server.close()
      await plainServer.close()
    }
    const med = (f: (r: SearchLoad) => number) => stats(runs.map(f)).median
    const page = med(r => r.page)
    const plain = stats(plainPage).median
    const first = med(r => r.first)
    const last = runs.at(-1)!
    const budgets = [
      {
        name: 'search bytes before typing',
        value: med(r => r.beforeTyping) / 1024,
        limit: 0,
        unit: 'KB',
        ok: med(r => r.beforeTyping) === 0,
      },
      {
        name: 'first query',
        value: first / 1024,
        limit: FIRST_QUERY_BUDGET / 1024,
        unit: 'KB',
        ok: first <= FIRST_QUERY_BUDGET,
      },
      {
        name: 'index page growth from the search box',
        value: (page - plain) / 1024,
        limit: PAGE_GROWTH_BUDGET / 1024,
        unit: 'KB',
        ok: page - plain <= PAGE_GROWTH_BUDGET,
      },
      {
        name: 'external requests',
        value: last.external,
        limit: 0,
        unit: 'requests',
        ok: last.external === 0,
      },
    ]
    const markdown = [
      table(['measurement', 'bytes (gzip)'], [
        [
          'index page without the search box (no search files)',
          fmtKB(plain),
        ],
        [
          'index page with the search box, before typing',
          fmtKB(page),
        ],
        [
          'search files fetched before typing (focus only)',
          fmtKB(med(r => r.beforeTyping)),
        ],
        [
          `first query 「${TERMS[0]}」 (Pagefind's script, its WebAssembly, the index chunks and result fragments)`,
          fmtKB(first),
        ],
        [
          `two more queries (${TERMS.slice(1).map(t => `「${t}」`).join(', ')})`,
          fmtKB(med(r => r.more)),
        ],
        [
          'whole search index on disk (every chunk and fragment)',
          fmtKB(index.bytes),
        ],
      ]),
      '',
      `Budgets: ${budgets.map(b => `${b.name} ${b.unit === 'KB'
        ? `${b.value.toFixed(1)} KB`
        : b.value} ${b.ok ? '≤' : '>'} ${b.unit === 'KB'
        ? `${b.limit} KB`
        : b.limit} ${b.ok ? '✓' : '✗'}`).join('; ')}.`,
      '',
      `Files fetched for the three queries: ${[
        ...new Set(last.files.map(f => f.replace(/_[0-9a-f]+\./, '_….'))),
      ].join(', ')} (${last.files.length} requests; the index has ${index.files} files).`,
    ].join('\n')
    return { markdown, budgets }
  },
}

export default scenario
