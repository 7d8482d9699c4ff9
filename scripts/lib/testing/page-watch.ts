/**
 * Watches a Playwright page for what a deck must never do: request another origin, fail a
 * request, or log a console error. Used by every browser test.
 */
import type { Page } from 'playwright-chromium'

export interface PageWatch {
  /** Requests to any origin other than the allowed ones (data:/blob: are local). */
  external: string[]
  failed: string[]
  consoleErrors: string[]
}

export function watchPage(page: Page, allowedOrigins: string[]): PageWatch {
  const watch: PageWatch = { external: [], failed: [], consoleErrors: [] }
  const local = (url: string) => /^(?:data|blob|about):/.test(url) || allowedOrigins.some(o => url.startsWith(o))
  page.on('request', (r) => {
    if (!local(r.url()))
      watch.external.push(r.url())
  })
  page.on('requestfailed', (r) => {
    // Aborted navigations between slides are the router's doing, not a broken asset.
    if (r.failure()?.errorText !== 'net::ERR_ABORTED')
      watch.failed.push(`${r.url()} (${r.failure()?.errorText})`)
  })
  page.on('response', (r) => {
    if (r.status() >= 400)
      watch.failed.push(`${r.url()} (HTTP ${r.status()})`)
  })
  page.on('console', (m) => {
    if (m.type() === 'error')
      watch.consoleErrors.push(m.text())
  })
  page.on('pageerror', e => watch.consoleErrors.push(String(e)))
  return watch
}
