// Phrase-aware Japanese line breaks in browsers without `word-break: auto-phrase` (Safari, Firefox): BudouX.
import { defineAppSetup } from '@slidev/types'

const SELECTOR = '.slidev-layout :is(h1, h2, h3, li, .phrase)'

export default defineAppSetup(() => {
  if (typeof window === 'undefined' || typeof CSS === 'undefined' || CSS.supports('word-break', 'auto-phrase'))
    return
  void import('budoux').then(({ loadDefaultJapaneseParser }) => {
    const parser = loadDefaultJapaneseParser()
    const apply = () => {
      for (const el of document.querySelectorAll<HTMLElement>(SELECTOR)) {
        // Only plain-text elements: rewriting elements with children would break Vue's DOM.
        if (el.dataset.budoux || el.children.length)
          continue
        el.dataset.budoux = '1'
        parser.applyToElement(el)
      }
    }
    new MutationObserver(apply).observe(document.body, { childList: true, subtree: true })
    apply()
  })
})
