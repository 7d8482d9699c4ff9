// @vitest-environment happy-dom
import { loadDefaultJapaneseParser } from 'budoux'
import { describe, expect, it } from 'vitest'
import { applyPhraseBreaks, supportsAutoPhrase } from './budoux.ts'

describe('budouX fallback', () => {
  it('is needed only where auto-phrase is unsupported', () => {
    expect(supportsAutoPhrase({
      supports: (p, v) => p === 'word-break' && v === 'auto-phrase',
    })).toBe(true)
    expect(supportsAutoPhrase({
      supports: () => false,
    })).toBe(false)
    expect(supportsAutoPhrase(null)).toBe(false)
  })

  it('splits slide headings into phrases with break opportunities, once, leaving Vue-managed elements alone', () => {
    document.body.innerHTML = `<div class="slidev-layout">
      <h1>イベントドリブンアーキテクチャで疎結合なシステムを組み立てる</h1>
      <li><span>子要素のある項目</span></li>
      <p>段落は対象外</p></div>`
    const parser = loadDefaultJapaneseParser()
    expect(applyPhraseBreaks(document, parser)).toBe(1)
    const h1 = document.querySelector('h1')!
    // BudouX inserts zero-width spaces (or <wbr>) between phrases; the text itself is unchanged.
    expect(h1.textContent!.replace(/\u200B/g, '')).toBe('イベントドリブンアーキテクチャで疎結合なシステムを組み立てる')
    expect(h1.innerHTML).toMatch(/\u200B|<wbr>/)
    expect(h1.innerHTML).not.toMatch(/イベント(\u200B|<wbr>)ドリブン/)
    expect(document.querySelector('li')!.innerHTML).toBe('<span>子要素のある項目</span>')
    expect(applyPhraseBreaks(document, parser)).toBe(0)
  })
})
