/**
 * Deep links (`/<slug>/12`) on static hosts, which only know files:
 * - `_redirects` (Netlify, Cloudflare Pages): one exact rewrite per slide to the deck's index.html.
 *   Exact paths, not `/<slug>/*`: Cloudflare applies rules even where a file exists, so a
 *   wildcard would answer the deck's own scripts with HTML.
 * - `404.html` (GitHub Pages serves it for every missing path): a few lines of script send
 *   `/<slug>/12` to `/<slug>/?p=12`, and a script in each deck's index.html puts the path back
 *   with history.replaceState before Slidev's router reads it.
 */
import type { SiteOptions } from './options.ts'
import { escapeHtml } from './html.ts'

export interface FallbackDeck {
  slug: string
  /** Number of slides (routes 1..slides). */
  slides: number
}

export function redirectsFile(site: SiteOptions, decks: FallbackDeck[]): string {
  const lines = [
    '# Deep links into each deck: /<slug>/<n> is served by the deck\'s index.html (Netlify, Cloudflare Pages).',
    '# Exact paths on purpose: a /<slug>/* rule would also rewrite the deck\'s assets on Cloudflare.',
  ]
  for (const d of decks) {
    const target = `${site.base}${d.slug}/index.html`
    for (let n = 1; n <= d.slides; n++)
      lines.push(`${site.base}${d.slug}/${n} ${target} 200`)
  }
  return `${lines.join('\n')}\n`
}

/** Inline script for 404.html: routes a deck's deep link to the deck, with the path in `?p=`. */
export function notFoundScript(base: string, slugs: string[]): string {
  return `(function(){var b=${JSON.stringify(base)},s=${JSON.stringify(slugs)},p=location.pathname;`
    + `if(p.indexOf(b)!==0)return;var r=p.slice(b.length),i=r.indexOf('/');if(i<0)return;`
    + `var d=r.slice(0,i),t=r.slice(i+1);if(s.indexOf(d)<0||!t||/\\.[a-z0-9]+$/i.test(t))return;`
    + `var q=location.search?'&'+location.search.slice(1):'';`
    + `location.replace(b+d+'/?p='+encodeURIComponent(t)+q+location.hash)})()`
}

/** Inline script for each deck's index.html: restores the path that 404.html moved into `?p=`. */
export const RESTORE_SCRIPT = `(function(){var u=new URL(location.href),p=u.searchParams.get('p');`
  + `if(p===null||/^[/\\\\]|:/.test(p))return;u.searchParams.delete('p');`
  + `history.replaceState(null,'',u.pathname+p+u.search+u.hash)})()`

export function notFoundHtml(site: SiteOptions, slugs: string[]): string {
  return `<!DOCTYPE html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>ページが見つかりません</title>
<meta name="robots" content="noindex">
<script>${notFoundScript(site.base, slugs)}</script>
<style>body{font-family:"BIZ UDPGothic","Hiragino Sans","Noto Sans JP",Meiryo,system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;line-height:1.7;color-scheme:light dark}</style>
</head>
<body>
<main>
<h1>ページが見つかりません</h1>
<p>お探しのページはこのサイトにありません。<a href="${escapeHtml(site.base)}">トークの一覧</a>からお探しください。</p>
</main>
</body>
</html>
`
}
