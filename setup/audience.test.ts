// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest'
import { CONTROL_NAMES_JA, linkPrintedSlides, nameControlsInJapanese, slideTarget } from './audience.ts'

const aliases = new Map([
  ['diagrams', 7],
])
function lookup(t: string) {
  return /^\d+$/.test(t)
    ? Number(t)
    : aliases.get(t)
}
const BASE = '/talks/deck/'

describe('slideTarget', () => {
  it('reads every way Slidev writes a link to a slide', () => {
    const here = `${BASE}export`
    expect(slideTarget('#12', lookup, BASE, here)).toBe(12)
    // Markdown `[…](#12)` and `[…](/12)` reach the print view as `##12` and `#/12`.
    expect(slideTarget('##12', lookup, BASE, here)).toBe(12)
    expect(slideTarget('#/12', lookup, BASE, here)).toBe(12)
    expect(slideTarget('#./diagrams', lookup, BASE, here)).toBe(7)
    expect(slideTarget('#diagrams', lookup, BASE, here)).toBe(7)
    // Router links and plain relative links, resolved against the page.
    expect(slideTarget(`${BASE}5`, lookup, BASE, here)).toBe(5)
    expect(slideTarget('diagrams', lookup, BASE, here)).toBe(7)
    expect(slideTarget(`${BASE}3#12`, lookup, BASE, `${BASE}3`)).toBe(12)
  })

  it('leaves other links alone', () => {
    const here = `${BASE}3`
    for (const href of [
      'https://sli.dev/12',
      '//cdn.example/12',
      'mailto:a@b.example',
      `${BASE}transcript/`,
      '/other/12',
      '#unknown-alias',
      '#',
      null,
    ])
      expect(slideTarget(href, lookup, BASE, here), String(href)).toBeUndefined()
  })
})

describe('linkPrintedSlides', () => {
  it('points links to a slide at its first printed container, opening in place', () => {
    document.body.innerHTML = `<div id="export-content">
      <div id="002-01" class="print-slide-container">
        <a href="#5">to 5</a><a href="##3">to 3</a><a href="#./diagrams" target="_blank">alias</a>
        <a href="https://sli.dev/">web</a><a href="#99">missing</a>
      </div>
      <div id="003-01" class="print-slide-container"></div><div id="003-02" class="print-slide-container"></div>
      <div id="005-03" class="print-slide-container"></div>
      <div id="007-01" class="print-slide-container"></div>
    </div>`
    expect(linkPrintedSlides(document, lookup, BASE, `${BASE}export`)).toBe(3)
    expect([
      ...document.querySelectorAll('a'),
    ].map(a => `${a.getAttribute('href')}${a.hasAttribute('target')
      ? ' new tab'
      : ''}`))
      .toEqual([
        '#005-03',
        '#003-01',
        '#007-01',
        'https://sli.dev/',
        '#99',
      ])
    expect(linkPrintedSlides(document, lookup, BASE, `${BASE}export`)).toBe(0)
  })
})

describe('nameControlsInJapanese', () => {
  it('names the navigation bar, its buttons and the slide counter in Japanese, once', () => {
    document.body.innerHTML = `<nav><div>
      <button class="slidev-icon-btn" title="Go to previous slide"><span class="sr-only">Go to previous slide</span></button>
      <button class="slidev-icon-btn" title="Go to next slide"><span class="sr-only">Go to next slide</span></button>
      <button class="slidev-icon-btn" title="Something new"></button>
      <div class="flex relative"><button><button class="slidev-icon-btn" title="More Options"><span class="sr-only">More Options</span></button></button></div>
      <div class="px2 my-auto"><span class="text-lg">3</span><span class="opacity-50 text-sm"> / 12</span></div>
    </div></nav>`
    expect(nameControlsInJapanese(document)).toBe(5)
    const [prev, next, unknown] = document.querySelectorAll<HTMLButtonElement>('nav > div > button')
    expect(prev!.getAttribute('aria-label')).toBe('前のスライドへ')
    expect(prev!.title).toBe('前のスライドへ')
    expect(prev!.textContent).toBe('前のスライドへ')
    expect(next!.getAttribute('aria-label')).toBe(CONTROL_NAMES_JA['Go to next slide'])
    expect(unknown!.title).toBe('Something new')
    expect(document.querySelector('nav')!.getAttribute('aria-label')).toBe('スライドの操作')
    expect(document.querySelector('.px2')!.textContent).toBe('スライド 3 / 12')
    // A button inside a button: the outer one carries the name, the inner one leaves the tree.
    const menu = document.querySelector('.flex > button')!
    expect(menu.getAttribute('aria-label')).toBe('その他の設定')
    expect(menu.querySelector('.slidev-icon-btn')!.hasAttribute('inert')).toBe(true)
    expect(nameControlsInJapanese(document)).toBe(0)
    // Vue writes an English title back (say, the fullscreen button toggled): translated again.
    next!.setAttribute('title', 'Go to next slide')
    expect(nameControlsInJapanese(document)).toBe(1)
    expect(next!.title).toBe('次のスライドへ')
  })
})
