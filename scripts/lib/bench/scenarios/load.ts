/**
 * Audience load: what a phone downloads to open a talk (slide 1) and to walk through all of it,
 * this toolkit's build against the same deck built by plain `slidev build` with Slidev's defaults.
 */
import type { AudienceLoad, LoadNumbers } from '../audience.ts'
import type { BenchContext, Scenario } from '../types.ts'
import { join } from 'node:path'
import { launchBrowser } from '../../browser.ts'
import { buildSite } from '../../site/build-site.ts'
import { startSiteServer } from '../../site/server.ts'
import { measureAudienceLoad } from '../audience.ts'
import { compare, fmtKB, fmtSeconds, ratio, stats, table } from '../harness.ts'
import { plainSlidevBuild, preparePlainDeck } from '../plain.ts'

export const SLIDE1_BUDGET = 300 * 1024
export const WALK_BUDGET = 600 * 1024
const PORTS = { toolkit: 3543, plain: 3544 }

function shortUrl(url: string): string {
  return url.replace(/^https?:\/\/[^/]+\/[^/]+\//, '').replace(/-[\w-]{8}(\.\w+)$/, '$1')
}

function kinds(n: LoadNumbers): string {
  return Object.entries(n.byKind).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${fmtKB(v)}`).join(', ')
}

function largest(n: LoadNumbers, count = 6): string {
  return n.largest.slice(0, count).map(l => `${shortUrl(l.url)} ${fmtKB(l.bytes)}`).join(', ')
}

const scenario: Scenario = {
  id: 'load',
  title: 'Audience load: bytes and requests (toolkit vs plain slidev build)',
  description: [
    'Each deck is served from its build by the preview server (gzip for text, as static hosts compress) and opened',
    'in a fresh Chromium context: "slide 1" counts everything transferred until slide 1 is drawn and the network is idle;',
    '"walk" adds a keyboard walk (ArrowRight/Space) through every click of every slide. Bytes are response bodies as',
    'transferred (compressed). "plain" is the same slides built by `slidev build` with Slidev\'s defaults (the deck',
    'copied without `addons:`, the shared components linked in); its requests to other origins (Google Fonts, CDN)',
    'are counted and blocked, since this machine is offline. Targets: slide 1 ≤ 300 KB, walk ≤ 600 KB, no external request.',
  ].join(' '),
  async run(ctx: BenchContext) {
    const toolkitRoot = join(ctx.tmpDir, 'toolkit')
    const plainRoot = join(ctx.tmpDir, 'plain')
    const site = { base: '/', url: '', title: 'bench' }
    const buildTimes = new Map<string, { toolkit?: number, plain?: number }>()

    ctx.log(`toolkit build of ${ctx.decks.map(d => d.slug).join(', ')}`)
    const report = await buildSite({
      decks: ctx.decks,
      site,
      outDir: toolkitRoot,
      // A cache of its own: the build time column is a cold build, and the developer's cache stays as it was.
      cacheDir: join(ctx.tmpDir, 'site-cache'),
      pdf: false,
      transcript: false,
    })
    for (const d of report.decks) {
      buildTimes.set(d.slug, {
        toolkit: d.status === 'built'
          ? d.ms
          : undefined,
      })
    }
    for (const deck of ctx.decks) {
      ctx.log(`plain slidev build of ${deck.slug}`)
      const entry = await preparePlainDeck(deck)
      const t0 = performance.now()
      await plainSlidevBuild(deck, entry, join(plainRoot, deck.slug), `/${deck.slug}/`)
      buildTimes.get(deck.slug)!.plain = performance.now() - t0
    }

    const servers = {
      toolkit: await startSiteServer({ root: toolkitRoot, port: PORTS.toolkit, portAttempts: 1 }),
      plain: await startSiteServer({ root: plainRoot, port: PORTS.plain, portAttempts: 1 }),
    }
    const browser = await launchBrowser()
    const rows: (string | number)[][] = []
    const details: string[] = []
    const budgets: NonNullable<Awaited<ReturnType<Scenario['run']>>['budgets']> = []
    try {
      for (const deck of ctx.decks) {
        const compared = await compare<AudienceLoad>(
          (['toolkit', 'plain'] as const).map(name => ({
            name: `${deck.slug} ${name}`,
            run: () => measureAudienceLoad(browser, `${servers[name].url}${deck.slug}/`),
          })),
          { runs: ctx.runs, warmup: ctx.warmup, log: ctx.log },
        )
        const [toolkit, plain] = compared as [typeof compared[0], typeof compared[0]]
        const med = (c: typeof toolkit, f: (l: AudienceLoad) => number) => stats(c.results.map(f)).median
        const range = (c: typeof toolkit, f: (l: AudienceLoad) => number) => {
          const s = stats(c.results.map(f))
          return s.min === s.max
            ? ''
            : ` (${fmtKB(s.min)}–${fmtKB(s.max)})`
        }
        for (const [name, c] of [
          ['toolkit', toolkit],
          ['plain slidev build', plain],
        ] as const) {
          const last = c.results.at(-1)!
          const build = name === 'toolkit'
            ? buildTimes.get(deck.slug)?.toolkit
            : buildTimes.get(deck.slug)?.plain
          rows.push([
            deck.slug,
            name,
            `${fmtKB(med(c, l => l.slide1.bytes))}${range(c, l => l.slide1.bytes)}`,
            med(c, l => l.slide1.requests),
            `${fmtKB(med(c, l => l.walk.bytes))}${range(c, l => l.walk.bytes)}`,
            med(c, l => l.walk.requests),
            last.walk.external.length,
            last.steps,
            `${Math.round(med(c, l => l.slide1Ms))} ms`,
            build === undefined
              ? 'cached'
              : fmtSeconds(build),
          ])
        }
        const t1 = med(toolkit, l => l.slide1.bytes)
        const tw = med(toolkit, l => l.walk.bytes)
        rows.push([
          deck.slug,
          'ratio toolkit / plain',
          ratio(t1, med(plain, l => l.slide1.bytes)),
          '',
          ratio(tw, med(plain, l => l.walk.bytes)),
          '',
          '',
          '',
          ratio(med(toolkit, l => l.slide1Ms), med(plain, l => l.slide1Ms)),
          '',
        ])
        const lastT = toolkit.results.at(-1)!
        const lastP = plain.results.at(-1)!
        budgets.push(
          {
            name: `${deck.slug} slide 1`,
            value: t1 / 1024,
            limit: SLIDE1_BUDGET / 1024,
            unit: 'KB',
            ok: t1 <= SLIDE1_BUDGET,
          },
          {
            name: `${deck.slug} walk`,
            value: tw / 1024,
            limit: WALK_BUDGET / 1024,
            unit: 'KB',
            ok: tw <= WALK_BUDGET,
          },
          {
            name: `${deck.slug} external requests`,
            value: lastT.walk.external.length,
            limit: 0,
            unit: 'requests',
            ok: lastT.walk.external.length === 0,
          },
        )
        details.push(
          `- **${deck.slug}**, toolkit: slide 1 by kind: ${kinds(lastT.slide1)}; walk by kind: ${kinds(lastT.walk)}. Largest on slide 1: ${largest(lastT.slide1)}.${
            lastT.walk.failed.length
              ? ` Failed requests: ${lastT.walk.failed.join(', ')}.`
              : ''}`,
          `- **${deck.slug}**, plain: walk by kind: ${kinds(lastP.walk)}; external requests blocked: ${[
            ...new Set(lastP.walk.external.map(u => new URL(u).host)),
          ].join(', ') || 'none'}.`,
        )
      }
    }
    finally {
      await browser.close()
      await servers.toolkit.close()
      await servers.plain.close()
    }
    const markdown = [
      table([
        'deck',
        'build',
        'slide 1 (gzip)',
        'slide 1 requests',
        'walk (gzip)',
        'walk requests',
        'external requests',
        'steps walked',
        'slide 1 drawn',
        'build time (one cold run)',
      ], rows),
      '',
      `Budgets (toolkit): ${budgets.map(b => `${b.name} ${b.unit === 'KB'
        ? `${b.value.toFixed(1)} KB`
        : b.value} ${b.ok ? '≤' : '>'} ${b.unit === 'KB'
        ? `${b.limit} KB`
        : b.limit} ${b.ok ? '✓' : '✗'}`).join('; ')}.`,
      '',
      'Where the bytes go:',
      '',
      ...details,
    ].join('\n')
    return { markdown, budgets }
  },
}
export default scenario
