// Phrase-aware Japanese line breaks in browsers without `word-break: auto-phrase`: BudouX, loaded only there.
import { defineAppSetup } from '@slidev/types'
import { setupAudience } from './audience-setup.ts'
import { applyPhraseBreaks, supportsAutoPhrase } from './budoux.ts'

export default defineAppSetup(({ router }) => {
  setupAudience(router)
  if (typeof document === 'undefined' || supportsAutoPhrase())
    return
  void import('budoux').then(({ loadDefaultJapaneseParser }) => {
    const parser = loadDefaultJapaneseParser()
    const apply = () => applyPhraseBreaks(document, parser)
    new MutationObserver(apply).observe(document.body, { childList: true, subtree: true })
    apply()
  })
})
