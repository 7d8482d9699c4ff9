/**
 * What the audience's browser needs beyond Slidev, without forking it:
 * - links between slides that work everywhere: Slidev prints `<Link to="12">` and Markdown links
 *   to a slide (`[…](12)`, `[…](#12)`, `[…](./alias)`) as `#12`, which matches no element, so
 *   Chromium drops them from the PDF (slidevjs/slidev#1984). In the print and export views they are
 *   pointed at the printed slide's container (`#012-01`), which Chromium prints as a link to that
 *   page; in the slides a `#12` link, which Vue Router would treat as a bare hash, moves to slide 12;
 * - Japanese accessible names (and tooltips) for the audience's controls on a Japanese page: the
 *   navigation bar's buttons and the slide counter, which Slidev labels in English.
 * The functions here work on any DOM (unit-tested); audience-setup.ts installs them in the app.
 */
/** Slide number or route alias (frontmatter `routeAlias`) → slide number. */
export type SlideLookup = (target: string) => number | undefined

/**
 * The slide an in-deck link points at, or undefined for any other link. `href` is the attribute
 * as written; `base` is the deck's URL path (`/talks/2024-…/`), `here` the page's path.
 */
export function slideTarget(href: string | null, lookup: SlideLookup, base: string, here: string): number | undefined {
  if (!href)
    return undefined
  let path: string
  if (href.startsWith('#')) {
    path = href.slice(1)
  }
  else {
    let url: URL
    try {
      url = new URL(href, `http://deck${here}`)
    }
    catch {
      return undefined
    }
    if (url.host !== 'deck' || /^[a-z][\w+.-]*:/i.test(href) || href.startsWith('//'))
      return undefined
    // A hash on the page itself (Vue Router renders `to="#12"` as `/base/3#12`).
    if (url.hash && url.pathname === here)
      path = url.hash.slice(1)
    else if (url.pathname.startsWith(base))
      path = url.pathname.slice(base.length)
    else
      return undefined
  }
  path = decodeURIComponent(path).replace(/^#/, '').replace(/^\.?\//, '')
  if (!path || path.includes('/'))
    return undefined
  return lookup(path)
}

/** `012-01`: the printed container of a slide's first page (Slidev's PrintSlideClick ids). */
const CONTAINER_ID = /^(\d{3,})-\d{2,}$/

/**
 * Print and export views: every link to a slide points at that slide's first printed container,
 * so the printed PDF links to its page. Returns how many links were rewritten.
 */
export function linkPrintedSlides(root: ParentNode, lookup: SlideLookup, base: string, here: string): number {
  const first = new Map<number, string>()
  for (const c of root.querySelectorAll<HTMLElement>('.print-slide-container[id]')) {
    const m = c.id.match(CONTAINER_ID)
    if (m && !first.has(Number(m[1])))
      first.set(Number(m[1]), c.id)
  }
  let changed = 0
  for (const a of root.querySelectorAll<HTMLAnchorElement>('.print-slide-container a[href]')) {
    const href = a.getAttribute('href')!
    if (href.startsWith('#') && CONTAINER_ID.test(href.slice(1)))
      continue
    const no = slideTarget(href, lookup, base, here)
    const id = no === undefined
      ? undefined
      : first.get(no)
    if (!id)
      continue
    a.setAttribute('href', `#${id}`)
    // A link to a page of the same document opens there, not in a new tab.
    a.removeAttribute('target')
    changed++
  }
  return changed
}

/** Slidev's English names for the audience's controls, in Japanese. */
export const CONTROL_NAMES_JA: Record<string, string> = {
  'Enter fullscreen': '全画面表示にする',
  'Close fullscreen': '全画面表示を終える',
  'Go to previous slide': '前のスライドへ',
  'Go to next slide': '次のスライドへ',
  'Show slide overview': 'スライドの一覧を表示',
  'Slides Overview': 'スライドの一覧',
  'Close': '閉じる',
  'Switch to light mode theme': 'ライトモードに切り替える',
  'Switch to dark mode theme': 'ダークモードに切り替える',
  'Show drawing toolbar': '描画ツールを表示',
  'Hide drawing toolbar': '描画ツールを隠す',
  'Presenter Mode': '発表者モード',
  'Play Mode': 'スライドショーに戻る',
  'Download as PDF': 'PDF をダウンロード',
  'Browser Exporter': 'PDF に書き出す',
  'Show info': 'このスライドについて',
  'More Options': 'その他の設定',
}

const COUNTER_LABEL = 'data-talks-counter'

/**
 * Names the controls under `root` in Japanese: buttons' tooltip and accessible name, the bar as a
 * navigation landmark, and the counter read as "スライド 3 / 12". Safe to run again after Vue
 * re-renders (an English title Vue writes back is translated again). Returns how many it changed.
 */
export function nameControlsInJapanese(root: ParentNode): number {
  let changed = 0
  for (const el of root.querySelectorAll<HTMLElement>('.slidev-icon-btn[title]')) {
    const ja = CONTROL_NAMES_JA[el.getAttribute('title')!]
    if (!ja)
      continue
    el.setAttribute('title', ja)
    el.setAttribute('aria-label', ja)
    const hidden = el.querySelector(':scope > .sr-only')
    if (hidden)
      hidden.textContent = ja
    // Slidev's menu button ("More Options") is a button inside a button, which screen readers
    // announce twice or not at all: the outer one, which opens the menu, takes the name, and the
    // inner one leaves the accessibility tree and the tab order (clicks fall through to the outer).
    const outer = el.parentElement?.closest('button')
    if (outer) {
      outer.setAttribute('aria-label', ja)
      outer.setAttribute('title', ja)
      el.setAttribute('inert', '')
    }
    changed++
  }
  for (const nav of root.querySelectorAll<HTMLElement>('nav')) {
    if (!nav.querySelector('.slidev-icon-btn'))
      continue
    if (nav.getAttribute('aria-label') !== 'スライドの操作') {
      nav.setAttribute('aria-label', 'スライドの操作')
      changed++
    }
    // The counter: "3 / 12" in two spans, the last plain block of the bar.
    for (const div of nav.querySelectorAll<HTMLElement>('div')) {
      const spans = div.querySelectorAll(':scope > span')
      if (spans.length !== 2 || div.hasAttribute(COUNTER_LABEL) || !/^\s*\d+\s*\/\s*\d+\s*$/.test(div.textContent ?? ''))
        continue
      const label = document.createElement('span')
      label.className = 'sr-only'
      label.textContent = 'スライド '
      div.prepend(label)
      // The total is drawn at half opacity, 3.9:1 against the bar: below WCAG AA for its size.
      ;(spans[1] as HTMLElement).style.opacity = '0.75'
      div.setAttribute(COUNTER_LABEL, '')
      changed++
    }
  }
  return changed
}
