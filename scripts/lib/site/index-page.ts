/**
 * The site's front page: every public talk, newest first, as plain HTML (no JavaScript) that
 * reads well on a phone. Links are relative, so the page works under any base path.
 */
import type { Deck } from '../decks.ts'
import type { SiteOptions } from './options.ts'
import { faviconDataUri } from '../theme-defaults.ts'
import { textLabels, TRANSCRIPT_NOUN } from '../transcript/provenance.ts'
import { escapeHtml, formatJapaneseDate, plainText } from './html.ts'
import { siteHref } from './options.ts'

export interface IndexEntry {
  slug: string
  title: string
  /** YYYY-MM-DD or YYYY-MM */
  date: string
  dateStatus: 'confirmed' | 'inferred' | 'unconfirmed'
  dateNote?: string
  event: { name: string, url?: string }
  description?: string
  /** What the talk's text is: a transcript, or a reconstruction (then provenanceNote says from what). */
  provenance: 'transcript' | 'reconstruction'
  provenanceNote?: string
  /** Paths relative to the site root; undefined when the file is not in the site. */
  thumbnail?: string
  pdf?: string
  transcript?: string
  video?: string
  docswell?: string
  blog?: string
}

/** Site-relative paths the index links to when they exist. */
export function deckPaths(slug: string) {
  return {
    slides: `${slug}/`,
    thumbnail: `${slug}/thumbs/1.png`,
    og: `${slug}/og.png`,
    pdf: `${slug}/${slug}.pdf`,
    transcript: `${slug}/transcript/`,
    transcriptFile: `${slug}/transcript/index.html`,
  }
}

/** One entry per deck of the site; `exists` tells which optional files it holds (site-relative path). */
export function indexEntries(decks: Deck[], exists: (path: string) => boolean): IndexEntry[] {
  return decks
    .map((d) => {
      const { talk } = d.meta
      const p = deckPaths(d.slug)
      return {
        slug: d.slug,
        title: d.meta.title,
        date: talk.date,
        dateStatus: talk.dateStatus,
        dateNote: talk.dateNote,
        event: { name: talk.event.name, url: talk.event.url },
        description: talk.description ?? (typeof d.meta.info === 'string'
          ? d.meta.info
          : undefined),
        provenance: talk.provenance,
        provenanceNote: talk.provenanceNote,
        thumbnail: exists(p.thumbnail)
          ? p.thumbnail
          : undefined,
        pdf: exists(p.pdf)
          ? p.pdf
          : undefined,
        transcript: exists(p.transcriptFile)
          ? p.transcript
          : undefined,
        video: talk.links.video,
        docswell: talk.links.docswell,
        blog: talk.links.blog,
      }
    })
    .sort((a, b) => b.date.localeCompare(a.date) || a.slug.localeCompare(b.slug))
}

export function dateLabel(entry: Pick<IndexEntry, 'date' | 'dateStatus'>): string {
  const suffix = entry.dateStatus === 'unconfirmed'
    ? '(日付未確定)'
    : entry.dateStatus === 'inferred'
      ? '(推定)'
      : ''
  return `${formatJapaneseDate(entry.date)}${suffix}`
}

const STYLE = `
:root{color-scheme:light dark;--fg:#1b1f24;--bg:#fff;--muted:#57606a;--card:#f6f8fa;--border:#d0d7de;--link:#0550ae;--warn:#9a6700}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--bg:#0d1117;--muted:#9198a1;--card:#161b22;--border:#30363d;--link:#79c0ff;--warn:#d29922}}
*{box-sizing:border-box}
body{margin:0;font-family:"BIZ UDPGothic","Hiragino Sans","Noto Sans JP","Yu Gothic",Meiryo,system-ui,sans-serif;line-height:1.7;color:var(--fg);background:var(--bg);-webkit-text-size-adjust:100%}
header,main,footer{max-width:60rem;margin:0 auto;padding:0 1rem}
header{padding-top:2rem}
h1{font-size:1.75rem;margin:0 0 .25rem;word-break:auto-phrase;text-wrap:balance}
header p{margin:0;color:var(--muted)}
ol{list-style:none;margin:1.5rem 0;padding:0;display:grid;gap:1.25rem}
li{display:grid;grid-template-columns:minmax(0,16rem) 1fr;gap:1rem;padding:1rem;border:1px solid var(--border);border-radius:.75rem;background:var(--card)}
@media (max-width:40rem){li{grid-template-columns:1fr}}
.thumb img{display:block;width:100%;height:auto;aspect-ratio:16/9;border:1px solid var(--border);border-radius:.375rem;background:var(--bg)}
h2{font-size:1.25rem;margin:0 0 .25rem;line-height:1.4;word-break:auto-phrase;text-wrap:balance}
a{color:var(--link);text-underline-offset:.15em}
.meta{margin:0;color:var(--muted);font-size:.95rem;word-break:auto-phrase}
.desc{margin:.5rem 0 0;word-break:auto-phrase;text-wrap:pretty}
.prov{margin:.5rem 0 0;padding:.5rem .75rem;border-left:4px solid var(--warn);background:var(--bg);font-size:.9rem;word-break:auto-phrase}
.links{display:flex;flex-wrap:wrap;gap:.5rem;margin:.75rem 0 0;padding:0}
.links a{display:inline-block;padding:.35rem .75rem;border:1px solid var(--border);border-radius:999px;text-decoration:none;background:var(--bg);min-height:44px;line-height:1.9}
.links a:hover,.links a:focus-visible{text-decoration:underline}
footer{color:var(--muted);font-size:.875rem;padding-bottom:2rem}
`.trim()

export interface IndexExtras {
  /** More of <head> (the feed's <link rel="alternate">, JSON-LD), already HTML. */
  head?: string
  /** The site has a search index (`pagefind/`): show the search box. */
  search?: boolean
}

/**
 * The search box's script: shows the box (without JavaScript the page stays a plain list), and only
 * when the reader types does it load Pagefind from the site (`pagefind/pagefind.js`, then the index
 * chunks the query needs). Each hit names the talk and the section, with links to that place in
 * the transcript and to the slide. Excerpts are Pagefind's, with every tag but its <mark> escaped.
 */
export function searchScript(): string {
  return `(function(){var box=document.getElementById('search'),q=document.getElementById('search-q'),st=document.getElementById('search-status'),out=document.getElementById('search-results');`
    + `if(!box||!q)return;box.hidden=false;var pf,t,seq=0;`
    + `function esc(s){return String(s).replace(/&/g,'&amp;').replace(/</g,'&lt;').replace(/>/g,'&gt;').replace(/"/g,'&quot;')}`
    + `function load(){return pf||(pf=import('./${'pagefind'}/pagefind.js').then(function(m){return m.options({excerptLength:36}).then(function(){return m.init()}).then(function(){return m})}))}`
    + `function show(list,term){out.innerHTML=list.map(function(d){var m=d.meta||{},ex=String(d.excerpt||'').replace(/<(?!\\/?mark>)/g,'&lt;');`
    + `var where=m.section?'<span class="hit-where">'+esc(m.section)+(m.slide?' ・ スライド '+esc(m.slide):'')+'</span>':'<span class="hit-where">'+esc(m.event||'')+'</span>';`
    + `var links=m.slide?'<span class="hit-links"><a href="'+esc(d.url)+'">'+esc(m.text||'本文')+'のこの箇所</a><a href="'+esc(m.slides)+'?view=deck">スライド '+esc(m.slide)+'</a></span>':'';`
    + `return '<li><a class="hit-title" href="'+esc(d.url)+'">'+esc(m.talk||m.title||d.url)+'</a> '+where+'<p>'+ex+'</p>'+links+'</li>'}).join('');`
    + `st.textContent=list.length?'「'+term+'」: '+list.length+' 件':'「'+term+'」に一致する箇所はありません。'}`
    + `function run(){var term=q.value.trim(),my=++seq;if(!term){out.innerHTML='';st.textContent='';return}st.textContent='検索しています…';`
    + `load().then(function(m){return m.search(term)}).then(function(r){return Promise.all(r.results.slice(0,20).map(function(x){return x.data()}))})`
    + `.then(function(list){if(my===seq)show(list,term)},function(e){if(my===seq)st.textContent='検索を読み込めませんでした（'+e+'）'})}`
    + `q.addEventListener('input',function(){clearTimeout(t);t=setTimeout(run,180)});`
    + `box.addEventListener('submit',function(e){e.preventDefault();clearTimeout(t);run()})})()`
}

const SEARCH_HTML = `<form id="search" role="search" hidden>
<label for="search-q">トークの中身を検索</label>
<input id="search-q" type="search" name="q" autocomplete="off" enterkeyhint="search" placeholder="例: 従量課金、コレオグラフィ">
<p id="search-status" role="status" aria-live="polite"></p>
<ol id="search-results"></ol>
</form>`

const SEARCH_STYLE = `
#search{margin:1.5rem 0 0}
#search label{display:block;font-weight:700;margin-bottom:.25rem}
#search input{width:100%;font:inherit;padding:.5rem .75rem;min-height:44px;border:1px solid var(--border);border-radius:.5rem;background:var(--bg);color:var(--fg)}
#search-status{margin:.5rem 0 0;color:var(--muted);font-size:.95rem}
#search-results{margin:.5rem 0 0;gap:.75rem}
#search-results:empty{display:none}
#search-results li{display:block;padding:.75rem 1rem}
#search-results p{margin:.25rem 0;word-break:auto-phrase;overflow-wrap:anywhere}
.hit-title{font-weight:700}
.hit-where{display:block;color:var(--muted);font-size:.9rem}
.hit-links{display:flex;flex-wrap:wrap;gap:.25rem 1rem}
.hit-links a{display:inline-block;min-height:44px;line-height:44px}
mark{background:#fff0a8;color:#1b1f24;border-radius:.15em}
`.trim()

export function renderIndexHtml(entries: IndexEntry[], site: SiteOptions, extras: IndexExtras = {}): string {
  const items = entries.map((e) => {
    const event = e.event.url
      ? `<a href="${escapeHtml(e.event.url)}">${escapeHtml(e.event.name)}</a>`
      : escapeHtml(e.event.name)
    const note = e.dateStatus !== 'confirmed' && e.dateNote
      ? ` title="${escapeHtml(plainText(e.dateNote, 300))}"`
      : ''
    const links: string[] = [`<a href="${escapeHtml(e.slug)}/">スライドを見る</a>`]
    if (e.pdf)
      links.push(`<a href="${escapeHtml(e.pdf)}" type="application/pdf">PDF</a>`)
    const label = textLabels(e)
    if (e.transcript)
      links.push(`<a href="${escapeHtml(e.transcript)}">${escapeHtml(label.link)}</a>`)
    if (e.video)
      links.push(`<a href="${escapeHtml(e.video)}">動画</a>`)
    if (e.docswell)
      links.push(`<a href="${escapeHtml(e.docswell)}">Docswell</a>`)
    if (e.blog)
      links.push(`<a href="${escapeHtml(e.blog)}">ブログ</a>`)
    const thumb = e.thumbnail
      ? `<a class="thumb" href="${escapeHtml(e.slug)}/" tabindex="-1" aria-hidden="true"><img src="${escapeHtml(e.thumbnail)}" width="480" height="270" alt="" loading="lazy" decoding="async"></a>`
      : ''
    return [
      `<li id="${escapeHtml(e.slug)}">`,
      thumb,
      '<div>',
      `<h2><a href="${escapeHtml(e.slug)}/">${escapeHtml(e.title)}</a></h2>`,
      `<p class="meta"><time datetime="${escapeHtml(e.date)}"${note}>${escapeHtml(dateLabel(e))}</time> ・ ${event}</p>`,
      e.description
        ? `<p class="desc">${escapeHtml(plainText(e.description, 400))}</p>`
        : '',
      label.kind === 'reconstruction'
        ? `<p class="prov"><strong>${escapeHtml(label.notice)}</strong> ${escapeHtml(plainText(label.source, 300))}</p>`
        : '',
      `<p class="links">${links.join('')}</p>`,
      '</div>',
      '</li>',
    ].filter(Boolean).join('\n')
  })
  const title = site.title
  const kinds = [
    ...new Set(entries.map(e => textLabels(e).noun)),
  ]
  const description = `${title}: スライド、PDF、${(kinds.length
    ? kinds
    : [TRANSCRIPT_NOUN]).join('・')}の一覧`
  const canonical = site.url
    ? `\n<link rel="canonical" href="${escapeHtml(siteHref(site, ''))}">\n<meta property="og:url" content="${escapeHtml(siteHref(site, ''))}">`
    : ''
  return `<!DOCTYPE html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<meta name="description" content="${escapeHtml(description)}">
<meta property="og:type" content="website">
<meta property="og:title" content="${escapeHtml(title)}">
<meta property="og:description" content="${escapeHtml(description)}">${canonical}
<link rel="icon" href="${escapeHtml(faviconDataUri())}">${extras.head
  ? `\n${extras.head}`
  : ''}
<style>${STYLE}${extras.search
  ? SEARCH_STYLE
  : ''}</style>
</head>
<body>
<header>
<h1>${escapeHtml(title)}</h1>
<p>登壇資料の一覧です(新しい順)。</p>
</header>
<main>
${extras.search
  ? `${SEARCH_HTML}\n`
  : ''}${entries.length
  ? `<ol>\n${items.join('\n')}\n</ol>`
  : '<p>まだ公開しているトークはありません。</p>'}
</main>
<footer>
<p>スライドは矢印キーかスペースキーで進みます。</p>
</footer>${extras.search
  ? `\n<script>${searchScript()}</script>`
  : ''}
</body>
</html>
`
}
