/**
 * The Markdown of a note as a small tree (paragraphs, lists, quotes, code; text, emphasis, code,
 * links), so each target (Zenn, Hatena, HTML) renders it in its own syntax instead of passing
 * Markdown through and hoping the dialects agree.
 */
import type Token from 'markdown-it/lib/token.mjs'
import MarkdownIt from 'markdown-it'

export type Inline
  = | { t: 'text', v: string }
    | { t: 'code', v: string }
    | { t: 'strong' | 'em' | 'del', c: Inline[] }
    /** `bare`: the URL was written as is (autolink or bare URL), so its text is the URL. */
    | { t: 'link', href: string, c: Inline[], bare: boolean }
    | { t: 'br' }

export type Block
  = | { t: 'p', c: Inline[] }
    | { t: 'list', ordered: boolean, start: number, items: Block[][] }
    | { t: 'quote', c: Block[] }
    | { t: 'code', lang: string, v: string }

const md = new MarkdownIt({ html: true, linkify: true, typographer: false })

/** Japanese (and other CJK) characters, between which a line break in the source means nothing. */
const CJK = /[\u2E80-\u9FFF\uF900-\uFAFF\uFF00-\uFFEF]/

function inlineChildren(tokens: Token[]): Inline[] {
  const root: Inline[] = []
  const stack: Inline[][] = [root]
  const top = () => stack[stack.length - 1]!
  for (const tok of tokens) {
    switch (tok.type) {
      case 'text':
        if (tok.content)
          top().push({ t: 'text', v: tok.content })
        break
      case 'code_inline':
        top().push({ t: 'code', v: tok.content })
        break
      case 'softbreak':
        top().push({ t: 'text', v: '\n' })
        break
      case 'hardbreak':
        top().push({ t: 'br' })
        break
      case 'strong_open':
      case 'em_open':
      case 's_open': {
        const node = {
          t: tok.type === 'strong_open'
            ? 'strong'
            : tok.type === 'em_open'
              ? 'em'
              : 'del',
          c: [],
        } as Inline & { c: Inline[] }
        top().push(node)
        stack.push(node.c)
        break
      }
      case 'link_open': {
        const href = tok.attrGet('href') ?? ''
        const node: Inline & { t: 'link' } = {
          t: 'link',
          href,
          c: [],
          bare: tok.markup === 'linkify' || tok.markup === 'autolink',
        }
        top().push(node)
        stack.push(node.c)
        break
      }
      case 'strong_close':
      case 'em_close':
      case 's_close':
      case 'link_close':
        if (stack.length > 1)
          stack.pop()
        break
      case 'image':
        // A picture cannot be spoken: its alt text stands in for it.
        if (tok.content)
          top().push({ t: 'text', v: tok.content })
        break
      case 'html_inline':
        // Tags in notes are markup for the presenter view, not words of the talk.
        break
      default:
        if (tok.content)
          top().push({ t: 'text', v: tok.content })
    }
  }
  return joinSoftBreaks(mergeText(root))
}

function mergeText(list: Inline[]): Inline[] {
  const out: Inline[] = []
  for (const node of list) {
    const prev = out[out.length - 1]
    if (node.t === 'text' && prev?.t === 'text') {
      prev.v += node.v
    }
    else if ('c' in node) {
      out.push({
        ...node,
        c: mergeText(node.c),
      })
    }
    else {
      out.push({ ...node })
    }
  }
  return out
}

/**
 * A line break inside a paragraph is a space in HTML, which in Japanese shows as a stray gap:
 * between two CJK characters the break disappears, elsewhere it becomes one space.
 */
function joinSoftBreaks(list: Inline[]): Inline[] {
  const flat = plainText(list)
  let offset = 0
  const visit = (nodes: Inline[]): void => {
    for (const node of nodes) {
      if (node.t === 'text') {
        let out = ''
        for (let i = 0; i < node.v.length; i++) {
          const ch = node.v[i]!
          if (ch === '\n') {
            const before = flat[offset + i - 1] ?? ''
            const after = flat[offset + i + 1] ?? ''
            out += CJK.test(before) && CJK.test(after)
              ? ''
              : ' '
          }
          else {
            out += ch
          }
        }
        offset += node.v.length
        node.v = out.replace(/ {2,}/g, ' ')
      }
      else if (node.t === 'code') {
        offset += node.v.length
      }
      else if (node.t === 'br') {
        offset += 1
      }
      else {
        visit(node.c)
      }
    }
  }
  visit(list)
  return list
}

export function plainText(list: Inline[]): string {
  return list.map((n) => {
    switch (n.t) {
      case 'text':
      case 'code':
        return n.v
      case 'br':
        return '\n'
      default:
        return plainText(n.c)
    }
  }).join('')
}

function blocksFrom(tokens: Token[], from: number, until: (t: Token) => boolean): { blocks: Block[], next: number } {
  const blocks: Block[] = []
  let i = from
  while (i < tokens.length && !until(tokens[i]!)) {
    const tok = tokens[i]!
    switch (tok.type) {
      case 'paragraph_open':
      case 'heading_open': {
        const inline = tokens[i + 1]!
        const children = inlineChildren(inline.children ?? [])
        // A heading inside notes is emphasis in speech, not a section of the article.
        blocks.push({
          t: 'p',
          c: tok.type === 'heading_open'
            ? [
                { t: 'strong', c: children },
              ]
            : children,
        })
        i += 3
        break
      }
      case 'bullet_list_open':
      case 'ordered_list_open': {
        const ordered = tok.type === 'ordered_list_open'
        const close = ordered ? 'ordered_list_close' : 'bullet_list_close'
        const items: Block[][] = []
        let j = i + 1
        while (tokens[j] && tokens[j]!.type !== close) {
          if (tokens[j]!.type === 'list_item_open') {
            const r = blocksFrom(tokens, j + 1, t => t.type === 'list_item_close' && t.level === tokens[j]!.level)
            items.push(r.blocks)
            j = r.next + 1
          }
          else {
            j++
          }
        }
        blocks.push({
          t: 'list',
          ordered,
          start: Number(tok.attrGet('start') ?? 1),
          items,
        })
        i = j + 1
        break
      }
      case 'blockquote_open': {
        const r = blocksFrom(tokens, i + 1, t => t.type === 'blockquote_close' && t.level === tok.level)
        blocks.push({ t: 'quote', c: r.blocks })
        i = r.next + 1
        break
      }
      case 'fence':
      case 'code_block':
        blocks.push({
          t: 'code',
          lang: tok.info.trim().split(/\s+/)[0] ?? '',
          v: tok.content.replace(/\n$/, ''),
        })
        i++
        break
      case 'html_block': {
        // Presenter-view markup (e.g. <br>, <span>): keep only its words.
        const text = tok.content.replace(/<[^>]*>/g, '').trim()
        if (text) {
          blocks.push({
            t: 'p',
            c: [
              { t: 'text', v: text },
            ],
          })
        }
        i++
        break
      }
      default:
        i++
    }
  }
  return { blocks, next: i }
}

/** Parses the (already cleaned) Markdown of one note into blocks. */
export function parseProse(markdown: string): Block[] {
  const tokens = md.parse(markdown, {})
  const blocks = blocksFrom(tokens, 0, () => false).blocks
  return joinContinuedParagraphs(blocks.filter(b => b.t !== 'p' || plainText(b.c).trim()))
}

/** Ends with a comma: the sentence goes on in the next paragraph (split there by a click). */
export function endsMidSentence(block: Block | undefined): boolean {
  return block?.t === 'p' && /[、，,]$/.test(plainText(block.c).trim())
}

/**
 * A sentence the presenter split across clicks ("…払えばよく、" [click] "リソースも…") reads as one
 * sentence in the transcript: a paragraph ending with a comma joins the next one.
 */
function joinContinuedParagraphs(blocks: Block[]): Block[] {
  const out: Block[] = []
  for (const b of blocks) {
    const prev = out[out.length - 1]
    if (prev && prev.t === 'p' && b.t === 'p' && endsMidSentence(prev)) {
      const last = prev.c[prev.c.length - 1]
      if (last?.t === 'text')
        last.v = last.v.replace(/\s+$/, '')
      const sep = plainText(prev.c).endsWith(',')
        ? ' '
        : ''
      prev.c = mergeText([
        ...prev.c,
        ...(sep
          ? [
              { t: 'text', v: sep } as Inline,
            ]
          : []),
        ...b.c,
      ])
    }
    else {
      out.push(b)
    }
  }
  return out
}

/** Plain text of an inline Markdown string, e.g. a slide heading (tags and `{{ }}` dropped). */
export function inlinePlain(markdown: string): string {
  const withoutMustache = markdown.replace(/\{\{[\s\S]*?\}\}/g, ' ')
  const tokens = md.parseInline(withoutMustache, {})
  const children = tokens[0]?.children ?? []
  return plainText(inlineChildren(children)).replace(/\s+/g, ' ').trim()
}

/** Visible characters of the prose (no whitespace), the measure for speaking time. */
export function countChars(blocks: Block[]): number {
  let n = 0
  const visit = (list: Block[]): void => {
    for (const b of list) {
      if (b.t === 'p') {
        n += [
          ...plainText(b.c).replace(/\s/g, ''),
        ].length
      }
      else if (b.t === 'list') {
        b.items.forEach(visit)
      }
      else if (b.t === 'quote') {
        visit(b.c)
      }
      // Code is shown, not read aloud.
    }
  }
  visit(blocks)
  return n
}

/** The words of the prose as plain text, one line per paragraph or list item (search indexes). */
export function blocksText(blocks: Block[]): string {
  return blocks.map((b) => {
    switch (b.t) {
      case 'p':
        return plainText(b.c)
      case 'code':
        return b.v
      case 'quote':
        return blocksText(b.c)
      case 'list':
        return b.items.map(blocksText).join('\n')
    }
    return ''
  }).join('\n')
}
