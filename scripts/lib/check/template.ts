/**
 * A slide's body as Slidev compiles it: Markdown rendered to HTML (markdown-it, HTML allowed), then
 * parsed as a Vue template, so the checker sees the same elements, components and directives
 * (v-click, v-clicks...) Slidev mounts. Code fences are kept aside (their text is never markup):
 * Mermaid sources for the Mermaid rule, line-highlight ranges for the click count.
 */
import type { ElementNode, RootNode, TemplateChildNode } from '@vue/compiler-dom'
import { parse } from '@vue/compiler-dom'
import MarkdownIt from 'markdown-it'

export interface Fence {
  /** The language (`mermaid`, `ts`...). */
  lang: string
  /** Everything after the language in the info string (`{1|3}`, `{theme: 'neutral'}`). */
  meta: string
  code: string
  /** 0-based line of the opening fence inside the slide body. */
  line: number
}

export interface SlideTemplate {
  root: RootNode
  fences: Fence[]
}

const md = new MarkdownIt({ html: true, linkify: false })
md.renderer.rules.fence = (tokens, idx, _options, env: { fences: Fence[] }) => {
  const t = tokens[idx]!
  const [lang = '', ...rest] = t.info.trim().split(/\s+|(?=\{)/)
  env.fences.push({
    lang,
    meta: rest.join(' '),
    code: t.content,
    line: t.map?.[0] ?? 0,
  })
  return `<pre data-check-fence="${env.fences.length - 1}"></pre>\n`
}
md.renderer.rules.code_block = () => '<pre></pre>\n'

export function parseSlideTemplate(content: string): SlideTemplate {
  const env = { fences: [] as Fence[] }
  const html = md.render(content, env)
  const root = parse(html, {
    comments: false,
    onError: () => {},
    onWarn: () => {},
  })
  return { root, fences: env.fences }
}

/** Vue's node types (compiler-core's NodeTypes / ElementTypes, as numbers to keep this module type-only on them). */
export const NODE = {
  ELEMENT: 1,
  TEXT: 2,
  COMMENT: 3,
  INTERPOLATION: 5,
  ATTRIBUTE: 6,
  DIRECTIVE: 7,
  TEXT_CALL: 12,
  IF: 9,
  FOR: 11,
} as const
export const TAG = {
  ELEMENT: 0,
  COMPONENT: 1,
  SLOT: 2,
  TEMPLATE: 3,
} as const

export function isElement(node: TemplateChildNode | RootNode): node is ElementNode {
  return node.type === NODE.ELEMENT
}

/** A static attribute's value ('' for a bare attribute), or undefined. */
export function attr(el: ElementNode, name: string): string | undefined {
  for (const p of el.props) {
    if (p.type === NODE.ATTRIBUTE && p.name === name)
      return p.value?.content ?? ''
  }
  return undefined
}

export interface Directive {
  name: string
  /** The expression's source ('' when bare: `v-click`). */
  exp: string
  arg?: string
}

export function directive(el: ElementNode, name: string): Directive | undefined {
  for (const p of el.props) {
    if (p.type === NODE.DIRECTIVE && p.name === name) {
      return {
        name,
        exp: p.exp && 'content' in p.exp
          ? p.exp.content
          : '',
        arg: p.arg && 'content' in p.arg
          ? p.arg.content
          : undefined,
      }
    }
  }
  return undefined
}

/**
 * The value of a literal JavaScript expression as written in a binding (`:size="24"`, `:step="true"`,
 * `:labels="{ a: 'x' }"`), or `unknown` when it is not a plain literal (a variable, a call...).
 */
export const UNKNOWN = Symbol('unknown')
export function literal(exp: string): unknown {
  const s = exp.trim()
  if (s === 'true')
    return true
  if (s === 'false')
    return false
  if (s === 'null')
    return null
  if (s === 'undefined')
    return undefined
  if (/^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i.test(s))
    return Number(s)
  if (/^'(?:[^'\\]|\\.)*'$/.test(s) || /^"(?:[^"\\]|\\.)*"$/.test(s))
    return s.slice(1, -1).replace(/\\(.)/g, '$1')
  if (/^`[^`$]*`$/.test(s))
    return s.slice(1, -1)
  if (/^[[{]/.test(s)) {
    // Object and array literals: accept JSON written the JavaScript way (single quotes, bare keys).
    const json = s
      .replace(/'((?:[^'\\]|\\.)*)'/g, (_, body: string) => JSON.stringify(body.replace(/\\'/g, '\'')))
      .replace(/([{,]\s*)([A-Z_$][\w$]*)\s*:/gi, '$1"$2":')
      .replace(/,\s*([}\]])/g, '$1')
    try {
      return JSON.parse(json)
    }
    catch {
      return UNKNOWN
    }
  }
  return UNKNOWN
}

/** PascalCase of a tag as Vue resolves components: `v-clicks` → `VClicks`, `talk-links` → `TalkLinks`. */
export function pascal(tag: string): string {
  return tag.replace(/(?:^|[-_:])(\w)/g, (_, c: string) => c.toUpperCase())
}

/** All text of a node (headings' text for messages). */
export function textOf(node: TemplateChildNode | RootNode): string {
  if (node.type === NODE.TEXT)
    return node.content
  if ('children' in node && Array.isArray(node.children))
    return (node.children as TemplateChildNode[]).map(textOf).join('')
  return ''
}
