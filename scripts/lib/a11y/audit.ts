/**
 * The per-slide accessibility audit: axe-core over every slide of a built deck, with every click
 * step shown, in one page load per colour scheme. Slidev's exporter page (`/export`) renders every
 * slide at once with all its clicks revealed, each in a container named after its slide
 * (`012-04`), so one axe run covers the whole deck and each finding is pinned to its slide.
 */
import type { Browser, Page } from 'playwright-chromium'
import AxeBuilder from '@axe-core/playwright'

export type Scheme = 'light' | 'dark'

export interface Finding {
  deck: string
  scheme: Scheme
  /** Slide number, as in the deck's URLs; undefined when the element is outside every slide. */
  slide?: number
  rule: string
  impact: string
  /** What is wrong, in axe's words. */
  help: string
  /** The element: a CSS selector and the start of its HTML. */
  element: string
}

export interface DeckAudit {
  findings: Finding[]
  /** Slides audited (every printed slide). */
  slides: number[]
  /** Accessible names of the diagrams (role="img" with a label) on each slide, for the PDF's Figures. */
  diagrams: { slide: number, name: string }[]
}

/** The rules that count: WCAG 2.x A and AA, the checks an auditor runs. */
const TAGS = [
  'wcag2a',
  'wcag2aa',
  'wcag21a',
  'wcag21aa',
  'wcag22aa',
]

/** "deck slide 3 (dark): color-contrast [serious] Elements must meet … — h1 <h1>…" */
export function formatFinding(f: Finding): string {
  const where = f.slide === undefined
    ? 'outside the slides'
    : `slide ${f.slide}`
  return `${f.deck} ${where} (${f.scheme}): ${f.rule} [${f.impact}] ${f.help}: ${f.element}`
}

/** Waits for the exporter page: every slide loaded, diagrams drawn, images decoded, fonts ready, the DOM quiet. */
async function settle(page: Page, timeoutMs: number): Promise<void> {
  await page.waitForSelector('#export-content .print-slide-container', { timeout: timeoutMs })
  await page.waitForFunction(() => {
    const w = window as unknown as { __auditQuiet?: number, __auditObserver?: MutationObserver }
    if (!w.__auditObserver) {
      w.__auditQuiet = performance.now()
      w.__auditObserver = new MutationObserver(() => {
        w.__auditQuiet = performance.now()
      })
      w.__auditObserver.observe(document.documentElement, {
        subtree: true,
        childList: true,
        attributes: true,
        characterData: true,
      })
    }
    const scope = document.querySelector('#export-content')!
    const busy = scope.querySelector('.slidev-slide-loading')
      || [
        ...scope.querySelectorAll<HTMLElement>('.mermaid'),
      ].some(m => !m.shadowRoot?.querySelector('svg'))
      || [
        ...scope.querySelectorAll('img'),
      ].some(i => !i.complete)
      || document.fonts.status !== 'loaded'
    return !busy && performance.now() - w.__auditQuiet! > 300
  }, undefined, { timeout: timeoutMs, polling: 100 })
}

/**
 * Audits every slide of the deck served at `deckUrl` (its base, ending in `/`). Serious and
 * critical violations are returned; lesser ones (best practices) are left to judgement.
 */
export async function auditDeck(browser: Browser, deckUrl: string, options: { deck: string, scheme: Scheme, timeoutMs?: number }): Promise<DeckAudit> {
  const timeoutMs = options.timeoutMs ?? 60_000
  // A context of its own: axe-core's Playwright binding refuses pages made by browser.newPage().
  const context = await browser.newContext({
    viewport: { width: 1280, height: 720 },
    colorScheme: options.scheme,
    locale: 'ja-JP',
  })
  try {
    const page = await context.newPage()
    await page.goto(`${deckUrl}export`, { waitUntil: 'load', timeout: timeoutMs })
    await settle(page, timeoutMs)
    const dark = await page.evaluate(() => document.documentElement.classList.contains('dark'))
    if (dark !== (options.scheme === 'dark'))
      throw new Error(`${options.deck}: the exporter page did not follow the ${options.scheme} colour scheme`)
    // @axe-core/playwright is typed against its own copy of playwright-core; the page is the same at run time.
    const result = await new AxeBuilder({ page: page as unknown as ConstructorParameters<typeof AxeBuilder>[0]['page'] })
      .include('#export-content')
      .withTags(TAGS)
      .analyze()
    const findings: Finding[] = []
    for (const v of result.violations) {
      if (v.impact !== 'serious' && v.impact !== 'critical')
        continue
      for (const node of v.nodes) {
        const selector = node.target.map(t => Array.isArray(t)
          ? t.join(' >>> ')
          : String(t)).join(' ')
        const slide = await page.evaluate((sel) => {
          // Elements inside a shadow root (Mermaid) are named by their host's selector first.
          const host = document.querySelector(sel.split(' >>> ')[0]!)
          const id = host?.closest('.print-slide-container')?.id
          return id
            ? Number(id.split('-')[0])
            : undefined
        }, Array.isArray(node.target[0])
          ? (node.target[0] as string[]).join(' >>> ')
          : String(node.target[0]))
        findings.push({
          deck: options.deck,
          scheme: options.scheme,
          slide: slide ?? undefined,
          rule: v.id,
          impact: v.impact,
          help: v.help,
          element: `${selector} ${node.html.replace(/\s+/g, ' ').slice(0, 160)}`,
        })
      }
    }
    const seen = await page.evaluate(() => {
      const slides = new Set<number>()
      const diagrams: { slide: number, name: string }[] = []
      for (const c of document.querySelectorAll<HTMLElement>('#export-content .print-slide-container')) {
        const no = Number(c.id.split('-')[0])
        slides.add(no)
        for (const img of c.querySelectorAll('[role="img"][aria-label]')) {
          diagrams.push({
            slide: no,
            name: img.getAttribute('aria-label')!,
          })
        }
      }
      return {
        slides: [...slides],
        diagrams,
      }
    })
    findings.sort((a, b) => (a.slide ?? 0) - (b.slide ?? 0))
    return { findings, ...seen }
  }
  finally {
    await context.close()
  }
}
