import type { Talk } from './model.ts'
/**
 * The transcript as a page of the hosted site (`<slug>/transcript/index.html`): the whole talk
 * readable without JavaScript, each slide's words beside its thumbnail, landmarks for screen
 * readers, a layout that stacks on a phone, and nothing loaded from anywhere but the site.
 */
import type { Block, Inline } from './prose.ts'
import config from '../../../toolkit.config.ts'
import { jsonLdScript, talkJsonLd } from '../site/jsonld.ts'
import { normalizeBase, siteHref } from '../site/options.ts'
import { readingPageScript } from '../site/reading-view.ts'
import { socialCard, socialTags } from '../site/social.ts'
import { faviconDataUri } from '../theme-defaults.ts'
import { dateLabel, speakerName } from './links.ts'
import { escapeAttr, escapeHtml } from './markdown.ts'
import { rateLabel, speakingTime } from './model.ts'
import { textLabels } from './provenance.ts'

export interface HtmlOptions {
  /** The deck's PDF exists next to the deck (`../<slug>.pdf`). */
  pdf?: boolean
  /** The site's path prefix (`/` or `/talks/`) and absolute URL when known: canonical URL and JSON-LD. */
  base?: string
  siteUrl?: string
}

function inline(nodes: Inline[]): string {
  return nodes.map((n) => {
    switch (n.t) {
      case 'text':
        return escapeHtml(n.v)
      case 'code':
        return `<code>${escapeHtml(n.v)}</code>`
      case 'br':
        return '<br>'
      case 'strong':
        return `<strong>${inline(n.c)}</strong>`
      case 'em':
        return `<em>${inline(n.c)}</em>`
      case 'del':
        return `<del>${inline(n.c)}</del>`
      case 'link':
        return `<a href="${escapeAttr(n.href)}">${inline(n.c)}</a>`
    }
    return ''
  }).join('')
}

function blocks(list: Block[]): string {
  return list.map((b) => {
    switch (b.t) {
      case 'p':
        return `<p>${inline(b.c)}</p>`
      case 'code':
        return `<pre><code>${escapeHtml(b.v)}</code></pre>`
      case 'quote':
        return `<blockquote>${blocks(b.c)}</blockquote>`
      case 'list': {
        const tag = b.ordered ? 'ol' : 'ul'
        const start = b.ordered && b.start !== 1
          ? ` start="${b.start}"`
          : ''
        return `<${tag}${start}>${b.items.map(item => `<li>${blocks(item)}</li>`).join('')}</${tag}>`
      }
    }
    return ''
  }).join('\n')
}

const CSS = `
:root{color-scheme:light dark;--fg:#1f2328;--bg:#fff;--muted:#57606a;--surface:#f6f8fa;--border:#d0d7de;--primary:#0a5cc2;--warn:#9a6700}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--bg:#0d1117;--muted:#9da7b3;--surface:#161b22;--border:#30363d;--primary:#6cb6ff;--warn:#d29922}}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--fg);font-family:"BIZ UDPGothic","Hiragino Sans","Hiragino Kaku Gothic ProN","Noto Sans JP","Noto Sans CJK JP","Yu Gothic UI","Yu Gothic",Meiryo,system-ui,sans-serif;font-size:1.0625rem;line-height:1.85;line-break:strict;overflow-wrap:anywhere}
a{color:var(--primary)}
a:focus-visible{outline:3px solid var(--primary);outline-offset:2px}
.skip{position:absolute;left:-999px;top:0;background:var(--bg);padding:.5rem 1rem}
.skip:focus{left:0}
header,main,footer,nav.toc{max-width:64rem;margin:0 auto;padding:0 1rem}
header{padding-top:1.5rem;border-bottom:1px solid var(--border)}
.crumb{margin:0;font-size:.9rem}
h1{font-size:1.75rem;line-height:1.4;margin:.5rem 0;word-break:auto-phrase;text-wrap:balance}
header,.provenance{word-break:auto-phrase}
h2{font-size:1.375rem;line-height:1.45;margin:2.5rem 0 1rem;padding-bottom:.25rem;border-bottom:2px solid var(--primary);word-break:auto-phrase;text-wrap:balance}
.facts{display:flex;flex-wrap:wrap;gap:.25rem 1.25rem;margin:.5rem 0 1rem;color:var(--muted)}
.facts dt{display:inline;font-weight:700}
.facts dd{display:inline;margin:0 0 0 .25rem}
.provenance{margin:.75rem 0 1rem;padding:.75rem 1rem;border:2px solid var(--warn);border-radius:.5rem;background:var(--surface)}
.provenance p{margin:0}
.provenance p+p{margin-top:.25rem;font-size:.95rem}
.links{display:flex;flex-wrap:wrap;gap:.5rem 1.25rem;padding:0;margin:0 0 1.25rem;list-style:none}
nav.toc{margin-top:1rem}
nav.toc h2{font-size:1.1rem;border:0;margin:1rem 0 .25rem}
nav.toc ol{margin:0;padding-left:1.5rem}
.slide{display:grid;grid-template-columns:minmax(0,15rem) minmax(0,1fr);gap:1.25rem;align-items:start;padding:1rem 0;border-top:1px solid var(--border)}
.slide:first-of-type{border-top:0}
.slide figure{margin:0;position:sticky;top:.75rem}
.slide img{display:block;width:100%;height:auto;aspect-ratio:16/9;background:var(--surface);border:1px solid var(--border);border-radius:.375rem}
.slide figcaption{font-size:.85rem;color:var(--muted);margin-top:.25rem}
.text{word-break:auto-phrase}
.text p{margin:0 0 1em}
h2 .anchor{font-size:.8em;color:var(--muted);text-decoration:none;margin-left:.25rem}
h2 .anchor:hover,h2 .anchor:focus-visible{color:var(--primary);text-decoration:underline}
.slide figcaption{display:flex;justify-content:space-between;gap:1rem}
.slide figcaption a{color:inherit;display:inline-block;min-height:44px;line-height:44px;min-width:44px}
.slide figcaption a.open{color:var(--primary)}
.text p:last-child{margin-bottom:0}
pre{overflow-x:auto;background:var(--surface);padding:.75rem;border-radius:.375rem;font-size:.9rem}
code{font-family:"JetBrains Mono","BIZ UDPGothic",ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.92em}
blockquote{margin:0 0 1em;padding-left:1rem;border-left:4px solid var(--border);color:var(--muted)}
footer{margin-top:3rem;padding-bottom:2rem;border-top:1px solid var(--border);color:var(--muted);font-size:.9rem}
@media (max-width:40rem){
body{font-size:1rem}
h1{font-size:1.45rem}
.slide{grid-template-columns:1fr;gap:.75rem}
.slide figure{position:static;max-width:24rem}
}
@media print{.slide figure{position:static}.skip,nav.toc{display:none}}
`.trim()

export function renderHtml(talk: Talk, options: HtmlOptions = {}): string {
  const { meta, slug } = talk.deck
  const t = meta.talk
  const time = speakingTime(talk)
  const label = textLabels(t)
  const site = {
    base: normalizeBase(options.base ?? '/'),
    url: options.siteUrl ?? '',
    title: config.site.title,
  }
  const title = `${meta.title}${label.titleSuffix}`
  const description = `${t.event.name}（${dateLabel(t)}）で発表した「${meta.title}」の${label.noun}。${label.notice}`
  // The deck's social card (its first slide), titled and addressed as this page; canonical URL when the site URL is known.
  const card = {
    ...socialCard(talk.deck, site),
    title,
    description,
    url: siteHref(site, `${slug}/transcript/`),
  }
  const head = `\n${socialTags(card).replace('content="website"', 'content="article"')}\n${jsonLdScript(talkJsonLd(talk.deck, site, { pdf: options.pdf, transcript: true }))}`
  const notice = label.kind === 'reconstruction'
    ? `<div class="provenance" role="note">\n<p><strong>${escapeHtml(label.notice)}</strong></p>\n<p>${escapeHtml(label.source)}</p>\n</div>\n`
    : ''
  const links = [
    `<li><a href="../?view=deck">スライドを開く</a></li>`,
    ...(options.pdf
      ? [`<li><a href="../${escapeAttr(slug)}.pdf">PDF</a></li>`]
      : []),
    ...(t.links.docswell
      ? [`<li><a href="${escapeAttr(t.links.docswell)}">Docswell</a></li>`]
      : []),
    ...(t.links.video
      ? [`<li><a href="${escapeAttr(t.links.video)}">発表の動画</a></li>`]
      : []),
    ...(t.event.url
      ? [`<li><a href="${escapeAttr(t.event.url)}">イベントのページ</a></li>`]
      : []),
  ]
  const sectionId = (i: number) => `section-${i}`
  const toc = talk.sections
    .map((s, i) => (s.title
      ? `<li><a href="#${sectionId(i)}">${escapeHtml(s.title)}</a></li>`
      : ''))
    .filter(Boolean)
  // The opening (title, agenda) has no section slide; its landmark name must not repeat a section's.
  const openingLabel = talk.sections.some(s => s.title === '冒頭')
    ? '冒頭（タイトルと目次）'
    : '冒頭'
  const sections = talk.sections.map((section, i) => {
    const head = section.title
      ? `<section aria-labelledby="${sectionId(i)}">\n<h2 id="${sectionId(i)}">${escapeHtml(section.title)} <a class="anchor" href="#${sectionId(i)}" aria-label="「${escapeAttr(section.title)}」へのリンク">#</a></h2>`
      : `<section aria-label="${escapeAttr(openingLabel)}">`
    const rows = section.slides.map((s) => {
      const label = s.title
        ? `スライド ${s.no}: ${s.title}`
        : `スライド ${s.no}`
      return [
        `<div class="slide" id="slide-${s.no}">`,
        `<figure><a href="../${s.no}?view=deck"><img src="../thumbs/${s.no}.png" alt="${escapeAttr(label)}" width="480" height="270" loading="lazy" decoding="async"></a><figcaption><a href="#slide-${s.no}">${s.no} / ${talk.slides.length}</a><a class="open" href="../${s.no}?view=deck">スライドで開く</a></figcaption></figure>`,
        `<div class="text">${s.prose.length
          ? `\n${blocks(s.prose)}\n`
          : ''}</div>`,
        `</div>`,
      ].join('\n')
    })
    return [head, ...rows, '</section>'].join('\n')
  })
  return `<!doctype html>
<html lang="${escapeAttr(t.lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="icon" href="${escapeAttr(faviconDataUri())}">${head}
<style>
${CSS}
</style>
</head>
<body>
<a class="skip" href="#main">本文へ移動</a>
<header>
<p class="crumb"><a href="../../">トーク一覧</a></p>
<h1>${escapeHtml(meta.title)}<br><small>${escapeHtml(label.noun)}</small></h1>
${notice}<dl class="facts">
<div><dt>イベント</dt><dd>${escapeHtml(t.event.name)}</dd></div>
<div><dt>日付</dt><dd>${escapeHtml(dateLabel(t))}</dd></div>
<div><dt>発表者</dt><dd>${escapeHtml(speakerName(t))}</dd></div>
<div><dt>話す時間の目安</dt><dd>${escapeHtml(time.label)}／発表枠 ${t.slot} 分</dd></div>
</dl>
<ul class="links">
${links.join('\n')}
</ul>
</header>
${toc.length
  ? `<nav class="toc" aria-labelledby="toc-title">
<h2 id="toc-title">目次</h2>
<ol>
${toc.join('\n')}
</ol>
</nav>
`
  : ''}<main id="main">
${sections.join('\n')}
</main>
<footer>
<p>${label.kind === 'reconstruction'
  ? 'スライドの発表者ノートに書いた、講演後の再構成です。'
  : 'スライドの発表者ノートから作った文字起こしです。'}話す時間の目安は${talk.rate.source === 'rehearsals'
  ? '、発表者の'
  : ' '}${rateLabel(talk.rate)}で数えています。</p>
</footer>
<script>${readingPageScript()}</script>
</body>
</html>
`
}
