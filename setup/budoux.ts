/**
 * BudouX fallback for phrase-aware Japanese line breaks, for browsers without
 * `word-break: auto-phrase` (Safari, Firefox as of 2026). Chromium needs none of it.
 */
import type { HTMLProcessingParser } from 'budoux'

export const PHRASE_SELECTOR = '.slidev-layout :is(h1, h2, h3, li, .phrase)'

export function supportsAutoPhrase(css: { supports: (p: string, v: string) => boolean } | null | undefined = globalThis.CSS): boolean {
  return !!css?.supports('word-break', 'auto-phrase')
}

/** Marks phrase boundaries in every matching plain-text element under root; returns how many it changed. */
export function applyPhraseBreaks(root: ParentNode, parser: Pick<HTMLProcessingParser, 'applyToElement'>): number {
  let changed = 0
  for (const el of root.querySelectorAll<HTMLElement>(PHRASE_SELECTOR)) {
    // Only plain-text elements: rewriting elements with children would fight Vue over its DOM.
    if (el.dataset.budoux || el.children.length || !el.textContent?.trim())
      continue
    el.dataset.budoux = '1'
    parser.applyToElement(el)
    changed++
  }
  return changed
}
