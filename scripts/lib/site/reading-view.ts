/**
 * The deck on a phone. A 16:9 slide in a portrait phone is a strip in a black screen, so there the
 * hosted deck hands over to its reading view: the transcript page, which already shows every slide
 * with all its steps (the thumbnails are taken at the last click), each followed by its words.
 *
 * A few lines of plain script go into each built deck's index.html (before Slidev starts, so the
 * phone never draws the deck first): in portrait on a narrow screen, `/<slug>/12` is replaced by
 * `/<slug>/transcript/#slide-12`. Turning to landscape gives the deck at the slide being read (the
 * transcript page's own script), and `?view=deck` (the transcript page's slide links) keeps the
 * deck for the rest of the visit. The deck also gets a small link to the reading view. Swiping
 * left and right between slides is Slidev's own (play mode, touch pointers).
 *
 * Also here: the deck page's JSON-LD, since both are the same kind of edit to the same file.
 */
import type { Deck } from '../decks.ts'
import type { SiteOptions } from './options.ts'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { textLabels } from '../transcript/provenance.ts'
import { deckPaths } from './index-page.ts'
import { jsonLdScript, talkJsonLd } from './jsonld.ts'

/** Narrow portrait screens get the reading view (phones; not tablets or desktop windows). */
export const PORTRAIT_QUERY = '(orientation: portrait) and (max-width: 640px)'
/** A phone turned sideways: the transcript page hands back to the deck. */
export const LANDSCAPE_QUERY = '(orientation: landscape) and (max-height: 640px)'
/** sessionStorage key: the reader chose the deck; no more redirects in this tab. */
export const DECK_CHOICE_KEY = 'talks-view'

const MARK = 'talks-reading-view'

/**
 * The deck page's script. `deckBase` is the deck's path (`/talks/<slug>/`), `reading` the reading
 * view's (`/talks/<slug>/transcript/`). Slidev's own routes other than slides (presenter, export,
 * print, overview) and embedded decks are left alone.
 */
export function deckScript(deckBase: string, reading: string, linkLabel: string): string {
  return `(function(){var d=${JSON.stringify(deckBase)},r=${JSON.stringify(reading)},k=${JSON.stringify(DECK_CHOICE_KEY)};`
    + `var u=new URL(location.href);if(u.searchParams.get('view')==='deck'){try{sessionStorage.setItem(k,'deck')}catch(e){}`
    + `u.searchParams.delete('view');history.replaceState(history.state,'',u.pathname+u.search+u.hash)}`
    + `function rest(){var p=location.pathname;return p.indexOf(d)===0?p.slice(d.length):''}`
    + `function no(){var m=/^(\\d+)\\/?$/.exec(rest());return m?+m[1]:0}`
    + `function slides(){return /^(\\d+\\/?)?$/.test(rest())&&window===window.top&&!/[?&](print|embedded)\\b/.test(location.search)}`
    + `function chose(){try{return sessionStorage.getItem(k)==='deck'}catch(e){return false}}`
    + `function target(){var n=no();return r+(n?'#slide-'+n:'')}`
    + `var q=matchMedia(${JSON.stringify(PORTRAIT_QUERY)});`
    + `function go(){if(q.matches&&!chose()&&slides())location.replace(target())}go();`
    + `q.addEventListener('change',go);if(!slides())return;`
    + `function link(){if(document.getElementById('${MARK}'))return;var a=document.createElement('a');a.id='${MARK}';a.href=r;`
    + `a.textContent=${JSON.stringify(linkLabel)};a.addEventListener('click',function(){try{sessionStorage.removeItem(k)}catch(e){}a.href=target()});`
    + `document.body.appendChild(a)}`
    + `if(document.body)link();else document.addEventListener('DOMContentLoaded',link)})()`
}

const LINK_CSS = `#${MARK}{position:fixed;top:.5rem;right:.5rem;z-index:100;padding:.3rem .7rem;border-radius:999px;`
  + `font:600 13px/1.4 "BIZ UDPGothic",system-ui,sans-serif;color:#fff;background:rgba(20,24,30,.72);text-decoration:none;opacity:.75}`
  + `#${MARK}:hover,#${MARK}:focus-visible{opacity:1;text-decoration:underline;outline:2px solid #fff}`
  + `@media print{#${MARK}{display:none}}`

/** The deck's link to its reading view (its characters must be in the deck's font subsets). */
export function readingLinkLabel(deck: Pick<Deck, 'meta'>): string {
  return `${textLabels(deck.meta.talk).link}で読む`
}

/** Adds (or replaces) the reading view's script and the deck's JSON-LD in its index.html. */
export function withReadingView(html: string, deck: Deck, site: SiteOptions, files: { pdf: boolean, transcript: boolean }): string {
  const p = deckPaths(deck.slug)
  const deckBase = `${site.base}${p.slides}`
  const parts = [
    jsonLdScript(talkJsonLd(deck, site, files)),
  ]
  if (files.transcript) {
    const label = readingLinkLabel(deck)
    parts.push(`<style>${LINK_CSS}</style>`, `<script>${deckScript(deckBase, `${site.base}${p.transcript}`, label)}</script>`)
  }
  const block = `<!--${MARK}-->\n${parts.join('\n')}\n<!--/${MARK}-->\n`
  const without = html.replace(new RegExp(`<!--${MARK}-->[\\s\\S]*?<!--/${MARK}-->\\n?`), '')
  if (!/<\/head>/i.test(without))
    throw new Error(`${deck.slug}/index.html has no </head>: cannot add the reading view`)
  return without.replace(/<\/head>/i, `${block}</head>`)
}

/** Every built deck of the site gets its reading view (when its transcript page exists) and JSON-LD. */
export async function writeReadingViews(root: string, decks: Deck[], site: SiteOptions, exists: (path: string) => boolean): Promise<void> {
  for (const deck of decks) {
    const p = deckPaths(deck.slug)
    const file = join(root, deck.slug, 'index.html')
    const html = await readFile(file, 'utf8')
    await writeFile(file, withReadingView(html, deck, site, {
      pdf: exists(p.pdf),
      transcript: exists(p.transcriptFile),
    }))
  }
}

/** The reading view's own script (on the transcript page): a phone turned sideways goes to the deck at the slide in view. */
export function readingPageScript(): string {
  return `(function(){var q=matchMedia(${JSON.stringify(LANDSCAPE_QUERY)});function inView(){`
    + `var s=document.querySelectorAll('.slide[id^="slide-"]');for(var i=0;i<s.length;i++){if(s[i].getBoundingClientRect().bottom>8)return s[i].id.slice(6)}return ''}`
    + `q.addEventListener('change',function(){if(q.matches)location.href='../'+inView()})})()`
}
