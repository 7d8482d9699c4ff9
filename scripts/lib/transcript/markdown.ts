import type { Talk } from './model.ts'
/**
 * The talk as a blog post in Markdown, for Zenn and for Hatena Blog's Markdown mode. The two
 * differ in their front matter, heading level, footnotes and embeds; the prose is the same.
 */
import type { Block, Inline } from './prose.ts'
import { dateLabel, docswellEmbedUrl, docswellPageUrl, hostedDeckUrl, youtubeId } from './links.ts'
import { textLabels } from './provenance.ts'

export type Dialect = 'zenn' | 'hatena'

export interface MarkdownOptions {
  base: string
  siteUrl?: string
}

/**
 * Zenn's slug rules: 12 to 50 characters of a-z, 0-9, `-` and `_`. A deck slug (YYYY-MM-DD-name)
 * already fits; anything else is lowercased, other characters become `-`, a leading `_` (our mark
 * for unpublished decks) is dropped, short slugs get `-talk` appended and long ones are cut at 50.
 */
export function zennSlug(slug: string): string {
  let s = slug.toLowerCase().replace(/^_+/, '').replace(/[^\w-]/g, '-')
  while (s.length < 12)
    s = `${s}-talk`
  return s.slice(0, 50).replace(/[-_]+$/, '')
}

/** Zenn topics: at most five, lowercase letters and digits only (no symbols or spaces). */
export function zennTopics(tags: string[]): string[] {
  const topics = [
    ...new Set(tags.map(t => t.toLowerCase().replace(/[^a-z0-9]/g, '')).filter(Boolean)),
  ].slice(0, 5)
  return topics.length
    ? topics
    : ['presentation']
}

/** Fixed emoji for every talk: Zenn requires one, and the metadata has no field for it. */
export const ZENN_EMOJI = '🎤'

/**
 * Zenn renders with markdown-it (CommonMark, plus `$` math and `~~`), so every special character
 * gets a backslash. Hatena's Markdown mode is closer to the original Markdown, where a backslash
 * before `$`, `~`, `|` or `<` shows up as written: only the original escapes are used there, `<`
 * becomes an entity, and `((…))`, which Hatena reads as a footnote anywhere, is broken up.
 */
function escapeText(text: string, dialect: Dialect): string {
  let s = text.replace(/&(?=#?\w+;)/g, '&amp;')
  if (dialect === 'zenn')
    return s.replace(/[\\`*_[\]<>~$|]/g, '\\$&')
  s = s.replace(/[\\`*_[\]]/g, '\\$&').replace(/</g, '&lt;')
  return s.replace(/\(\(/g, '(&#40;').replace(/\)\)/g, ')&#41;')
}

/** Escapes what would start a block (heading, quote, list, Zenn's `@[` and `:::`) at a line start. */
function escapeLineStarts(text: string): string {
  return text.split('\n').map(l => l
    .replace(/^(\s*)([#>+-])(?=\s|$)/, '$1\\$2')
    .replace(/^(\s*)(\d+)([.)])(?=\s|$)/, '$1$2\\$3')
    .replace(/^(\s*)(@\\?\[|:::)/, '$1\\$2')).join('\n')
}

interface Footnotes {
  items: { href: string, text: string }[]
  byHref: Map<string, number>
}

function codeSpan(v: string): string {
  const longest = Math.max(0, ...(v.match(/`+/g) ?? []).map(r => r.length))
  const fence = '`'.repeat(longest + 1)
  const pad = v.startsWith('`') || v.endsWith('`')
    ? ' '
    : ''
  return `${fence}${pad}${v}${pad}${fence}`
}

function inline(nodes: Inline[], dialect: Dialect, notes: Footnotes): string {
  return nodes.map((n) => {
    switch (n.t) {
      case 'text':
        return escapeText(n.v, dialect)
      case 'code':
        return codeSpan(n.v)
      case 'br':
        return dialect === 'zenn'
          ? '\\\n'
          : '<br>\n'
      case 'strong':
        return `**${inline(n.c, dialect, notes)}**`
      case 'em':
        return `*${inline(n.c, dialect, notes)}*`
      case 'del':
        return `~~${inline(n.c, dialect, notes)}~~`
      case 'link': {
        if (n.bare)
          return plain(n.c)
        const text = inline(n.c, dialect, notes)
        const label = plain(n.c)
        if (dialect === 'hatena') {
          return `${text}((${label === n.href
            ? ''
            : `${escapeHtml(label)}: `}<a href="${escapeAttr(n.href)}">${escapeHtml(n.href)}</a>))`
        }
        let no = notes.byHref.get(n.href)
        if (!no) {
          notes.items.push({ href: n.href, text: label })
          no = notes.items.length
          notes.byHref.set(n.href, no)
        }
        return `${text}[^${no}]`
      }
    }
    return ''
  }).join('')
}

function plain(nodes: Inline[]): string {
  return nodes.map(n => n.t === 'text' || n.t === 'code'
    ? n.v
    : n.t === 'br'
      ? ' '
      : 'c' in n
        ? plain(n.c)
        : '').join('')
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

export function escapeAttr(s: string): string {
  return escapeHtml(s).replace(/"/g, '&quot;')
}

function indent(text: string, by: string): string {
  return text.split('\n').map((l, i) => (i === 0 || !l
    ? l
    : by + l)).join('\n')
}

function blocks(list: Block[], dialect: Dialect, notes: Footnotes): string {
  return list.map((b) => {
    switch (b.t) {
      case 'p':
        return escapeLineStarts(inline(b.c, dialect, notes))
      case 'code': {
        const longest = Math.max(2, ...(b.v.match(/^`+/gm) ?? []).map(r => r.length))
        const fence = '`'.repeat(longest + 1)
        return `${fence}${b.lang}\n${b.v}\n${fence}`
      }
      case 'quote':
        return blocks(b.c, dialect, notes).split('\n').map(l => (l
          ? `> ${l}`
          : '>')).join('\n')
      case 'list':
        return b.items.map((item, i) => {
          const marker = b.ordered
            ? `${b.start + i}. `
            : '- '
          return marker + indent(blocks(item, dialect, notes), ' '.repeat(marker.length))
        }).join('\n')
    }
    return ''
  }).join('\n\n')
}

function yamlString(s: string): string {
  return JSON.stringify(s)
}

/** The opening lines every post shares: what talk this is, where its slides and video are. */
function intro(talk: Talk, dialect: Dialect, options: MarkdownOptions): string[] {
  const { meta, slug } = talk.deck
  const label = textLabels(meta.talk)
  const lead = `${escapeText(meta.talk.event.name, dialect)}（${dateLabel(meta.talk)}）で発表した「${escapeText(meta.title, dialect)}」の${label.noun}です。`
  const out: string[] = []
  if (label.kind === 'reconstruction') {
    // Said first and set apart: a reader must know before the first word that this is not what was said.
    const notice = [
      `**${escapeText(label.notice, dialect)}**`,
      escapeLineStarts(escapeText(label.source, dialect)),
    ]
    out.push(dialect === 'zenn'
      ? `:::message\n${notice.join('\n\n')}\n:::`
      : notice.map(l => `> ${l}`).join('\n>\n'))
  }
  out.push(lead)
  const docswell = meta.talk.links.docswell
  if (docswell) {
    out.push('スライドは Docswell で公開しています。')
    const embed = docswellEmbedUrl(docswell)
    if (dialect === 'zenn') {
      out.push(embed
        ? `@[docswell](${docswell})`
        : docswell)
    }
    else if (embed) {
      out.push(`<iframe src="${escapeAttr(embed)}" title="${escapeAttr(`${meta.title}（Docswell）`)}" allowfullscreen="true" width="100%" style="border: 1px solid #ccc; display: block; margin: 0 auto; padding: 0; aspect-ratio: 16/9"></iframe>`, `[${escapeText(meta.title, dialect)}（Docswell）](${docswell})`)
    }
    else {
      out.push(`[${docswell}:embed]`)
    }
  }
  const video = meta.talk.links.video
  if (video) {
    out.push('発表の動画もあります。')
    const id = youtubeId(video)
    if (dialect === 'zenn') {
      out.push(id
        ? `@[youtube](${id})`
        : video)
    }
    else {
      out.push(`[${id
        ? `https://www.youtube.com/watch?v=${id}`
        : video}:embed]`)
    }
  }
  const hosted = hostedDeckUrl(slug, options.base, options.siteUrl)
  if (hosted)
    out.push(`Web 版のスライド: ${hosted}\nスライドの画像と並べた${label.noun}: ${hosted}transcript/`)
  return out
}

/** A transcript keeps the talk's title; a reconstruction says so in the title too. */
function postTitle(talk: Talk): string {
  const { meta } = talk.deck
  const label = textLabels(meta.talk)
  return label.kind === 'reconstruction'
    ? `${meta.title}${label.titleSuffix}`
    : meta.title
}

/** The post in the given dialect; byte-identical for the same deck and options. */
export function renderMarkdown(talk: Talk, dialect: Dialect, options: MarkdownOptions): string {
  const { meta, slug } = talk.deck
  const notes: Footnotes = {
    items: [],
    byHref: new Map(),
  }
  const parts: string[] = []
  if (dialect === 'zenn') {
    parts.push([
      '---',
      `title: ${yamlString(postTitle(talk))}`,
      `emoji: ${yamlString(ZENN_EMOJI)}`,
      'type: "tech"',
      `topics: [${zennTopics(meta.talk.tags).map(yamlString).join(', ')}]`,
      'published: false',
      '---',
    ].join('\n'))
  }
  else {
    // blogsync's entry header (the usual way to keep Hatena Blog posts as files); a draft until the speaker publishes it.
    parts.push([
      '---',
      `Title: ${yamlString(postTitle(talk))}`,
      ...(meta.talk.tags.length
        ? [
            'Category:',
            ...meta.talk.tags.map(t => `- ${yamlString(t)}`),
          ]
        : []),
      'Draft: true',
      `CustomPath: ${slug.replace(/^_+/, '')}`,
      '---',
    ].join('\n'))
  }
  parts.push(...intro(talk, dialect, options))
  if (dialect === 'hatena')
    parts.push('[:contents]')
  const heading = dialect === 'zenn'
    ? '##'
    : '###'
  const docswell = meta.talk.links.docswell
  for (const section of talk.sections) {
    if (section.title) {
      parts.push(`${heading} ${escapeText(section.title, dialect)}`)
      // Each section points at its page of the slides on Docswell (page n is slide n).
      const first = section.slides[0]!.no
      const page = docswell && docswellPageUrl(docswell, first)
      if (page)
        parts.push(`（スライド: [${first} ページ目から](${page})）`)
    }
    for (const slide of section.slides) {
      if (slide.prose.length)
        parts.push(blocks(slide.prose, dialect, notes))
    }
  }
  if (notes.items.length) {
    parts.push(notes.items.map((f, i) => `[^${i + 1}]: ${f.text === f.href
      ? ''
      : `${escapeText(f.text, dialect)}: `}<${f.href}>`).join('\n'))
  }
  return `${parts.join('\n\n')}\n`
}
