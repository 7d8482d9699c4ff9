/**
 * Which fonts Chromium actually drew the current slide with, as DevTools' "Rendered Fonts" shows
 * them (CSS.getPlatformFontsForNode). A glyph drawn with a font of the machine rather than a web
 * font of the deck means the deck's fonts lack that character: on a machine without Japanese
 * fonts it is a blank box, elsewhere a different typeface. Used by the browser tests of the site,
 * whose fonts are subset per deck.
 */
import type { CDPSession, Page } from 'playwright-chromium'

const PROBE = 'data-font-probe'

export interface FallbackGlyphs {
  /** The element's own text, shortened. */
  text: string
  /** The machine's font that drew some of its glyphs, with how many. */
  font: string
  glyphs: number
}

interface PlatformFont {
  familyName: string
  postScriptName?: string
  isCustomFont: boolean
  glyphCount: number
}

/** Marks the visible elements under `root` that hold text of their own; returns how many. */
function markTextElements([attr, root]: [string, string]): number {
  let marked = 0
  for (const top of document.querySelectorAll(root)) {
    for (const el of [
      top,
      ...top.querySelectorAll('*'),
    ]) {
      const ownText = [...el.childNodes].some(n => n.nodeType === Node.TEXT_NODE && n.textContent!.trim())
      if (ownText && el.checkVisibility())
        el.setAttribute(attr, String(marked++))
    }
  }
  return marked
}

function unmark(attr: string) {
  for (const el of document.querySelectorAll(`[${attr}]`))
    el.removeAttribute(attr)
}

/**
 * Elements of the shown slide (or of whatever `root` selects: `body` for a plain page) whose
 * glyphs Chromium took from a font that is not a web font.
 */
export async function findFallbackGlyphs(page: Page, options: { root?: string, session?: CDPSession } = {}): Promise<FallbackGlyphs[]> {
  const { root = '.slidev-page', session } = options
  const cdp = session ?? await page.context().newCDPSession(page)
  try {
    await cdp.send('DOM.enable')
    await cdp.send('CSS.enable')
    if (!await page.evaluate(markTextElements, [PROBE, root] as [string, string]))
      return []
    const { root: doc } = await cdp.send('DOM.getDocument', { depth: 0 })
    const { nodeIds } = await cdp.send('DOM.querySelectorAll', { nodeId: doc.nodeId, selector: `[${PROBE}]` })
    const found: FallbackGlyphs[] = []
    for (const nodeId of nodeIds) {
      const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId }) as { fonts: PlatformFont[] }
      // The static pages name an installed BIZ UDPGothic first (local()): that one is the same typeface.
      const system = fonts.filter(f => !f.isCustomFont && f.glyphCount > 0 && !f.familyName.startsWith('BIZ UDPGothic'))
      if (!system.length)
        continue
      const { outerHTML } = await cdp.send('DOM.getOuterHTML', { nodeId })
      const text = outerHTML.replace(/<[^>]*>/g, '').replace(/\s+/g, ' ').trim().slice(0, 40)
      for (const f of system)
        found.push({ text, font: f.familyName, glyphs: f.glyphCount })
    }
    return found
  }
  finally {
    await page.evaluate(unmark, PROBE).catch(() => undefined)
    if (!session)
      await cdp.detach().catch(() => undefined)
  }
}
