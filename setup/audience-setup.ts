/// <reference types="@slidev/types/client" />
/**
 * Installs audience.ts in the Slidev app (called from setup/main.ts): printed links between slides
 * point at their page, `#12` links move to slide 12 in the slides, and on a Japanese page the
 * audience's controls carry Japanese names. Kept apart from audience.ts because Slidev's virtual
 * modules exist only inside a Slidev build.
 */
import type { Router } from 'vue-router'
import type { SlideLookup } from './audience.ts'
import { slides } from '#slidev/slides'
import { linkPrintedSlides, nameControlsInJapanese, slideTarget } from './audience.ts'

function isPrintView(router: Router): boolean {
  const route = router.currentRoute.value
  return route.name === 'export' || route.path.endsWith('/print') || 'print' in route.query
}

/** Installs both behaviours; called from the addon's app setup (setup/main.ts). */
export function setupAudience(router: Router): void {
  if (typeof document === 'undefined')
    return
  const base = import.meta.env.BASE_URL
  const lookup: SlideLookup = target => /^\d+$/.test(target)
    ? Number(target)
    : slides.value.find(s => (s.meta.slide as { frontmatter?: { routeAlias?: unknown } } | undefined)?.frontmatter?.routeAlias === target)?.no
  const japanese = () => /^ja\b/i.test(document.documentElement.lang)
  const update = () => {
    if (isPrintView(router))
      linkPrintedSlides(document, lookup, base, location.pathname)
    else if (japanese())
      nameControlsInJapanese(document)
  }
  new MutationObserver(update).observe(document.documentElement, {
    subtree: true,
    childList: true,
    attributes: true,
    attributeFilter: ['title', 'href'],
  })
  update()
  // In the slides, a `#12` link moves to slide 12 (Vue Router would only set the hash).
  document.addEventListener('click', (e) => {
    const a = (e.target as Element | null)?.closest?.('a[href]')
    if (!a || isPrintView(router) || !a.closest('.slidev-page') || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey)
      return
    const href = a.getAttribute('href')!
    const url = new URL(href, location.href)
    if (!(href.startsWith('#') || (url.hash && url.pathname === location.pathname)))
      return
    const no = slideTarget(href, lookup, base, location.pathname)
    if (no === undefined)
      return
    e.preventDefault()
    e.stopPropagation()
    // In the presenter view the link moves the presentation and stays in the presenter view.
    const presenter = router.currentRoute.value.path.startsWith('/presenter')
      ? '/presenter'
      : ''
    void router.push({ path: `${presenter}/${no}`, query: router.currentRoute.value.query })
  }, true)
}
