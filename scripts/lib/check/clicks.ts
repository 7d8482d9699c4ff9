/**
 * A slide's click steps counted as Slidev counts them, without a browser: the directives and
 * components that register clicks (v-click, v-after, v-click-hide, <v-click>, <v-clicks> with its
 * children, <v-click-gap>, code line-highlight ranges, components with click steps) in the order
 * Vue mounts them (children before their parent), each relative `+n` moving the offset, and the
 * slide's total the largest step any of them reaches, unless `clicks:` in the frontmatter says it.
 * The same walk tells what the audience sees before the first click.
 * Mirrors @slidev/client's useClicks.ts (calculateSince / calculateRange) and builtin/VClicks.ts.
 */
import type { ElementNode, RootNode, TemplateChildNode } from '@vue/compiler-dom'
import type { Fence, SlideTemplate } from './template.ts'
import { attr, directive, isElement, literal, NODE, pascal, TAG, UNKNOWN } from './template.ts'

/** What rendering one of the repo's components told: its clicks in mount order and whether it shows anything at step 0. */
export interface ComponentSteps {
  /** The `at` value of every v-click it registers, in mount order (`+1` for a plain step). */
  clicks: unknown[]
  visibleAtStart: boolean
}

export interface ComponentUse {
  name: string
  el: ElementNode
  /** Props as written: static attributes as strings, bindings as literal values (UNKNOWN when not a literal). */
  props: Record<string, unknown>
}

/** Gives a used component's steps (from rendering it), or undefined when they cannot be known. */
export type StepsOf = (use: ComponentUse) => ComponentSteps | undefined

export interface SlideSteps {
  /** Click steps of the slide (Slidev's `$clicksContext.total`). */
  total: number
  /** False when something's steps could not be known (a non-literal v-click value, <v-switch>...). */
  exact: boolean
  /** Something other than a heading is visible at step 0. */
  contentAtStart: boolean
  headingAtStart: boolean
}

interface Ctx {
  offset: number
  maxes: number[]
  exact: boolean
  fences: Fence[]
  stepsOf: StepsOf
}

interface Seen { heading: boolean, content: boolean }
const NOTHING: Seen = { heading: false, content: false }
function merge(...all: Seen[]): Seen {
  return {
    heading: all.some(s => s.heading),
    content: all.some(s => s.content),
  }
}

/** normalizeSingleAtValue: null (no click), a relative '+n' / '-n', or an absolute step. */
function normalizeAt(at: unknown): string | number | null {
  if (at === false || at === 'false')
    return null
  if (at == null || at === true || at === 'true' || at === '')
    return '+1'
  if (typeof at === 'string' && '+-'.includes(at[0]!))
    return at
  const v = Number(at)
  if (Number.isNaN(v))
    return null
  return v <= 0
    ? 1
    : v
}

/** Registers one click target; returns its first step (undefined when it registers nothing). */
function register(ctx: Ctx, rawAt: unknown, size = 1): number | undefined {
  if (rawAt === UNKNOWN) {
    ctx.exact = false
    return undefined
  }
  if (Array.isArray(rawAt)) {
    const [a, b] = rawAt.map(normalizeAt)
    if (a == null || b == null)
      return undefined
    const start = typeof a === 'string'
      ? ctx.offset + Number(a)
      : a
    const end = typeof b === 'string'
      ? start + Number(b)
      : b
    ctx.offset += (typeof a === 'string'
      ? Number(a)
      : 0) + (typeof b === 'string'
      ? Number(b)
      : 0)
    ctx.maxes.push(end)
    return start
  }
  const at = normalizeAt(rawAt)
  if (at == null)
    return undefined
  if (typeof at === 'string') {
    const start = ctx.offset + Number(at)
    ctx.maxes.push(start + size - 1)
    ctx.offset += Number(at) + size - 1
    return start
  }
  ctx.maxes.push(at + size - 1)
  return at
}

/** A directive's value as Slidev receives it: bare `v-click` is undefined. */
function directiveValue(exp: string): unknown {
  return exp.trim() === ''
    ? undefined
    : literal(exp)
}

export function propsOf(el: ElementNode): Record<string, unknown> {
  const props: Record<string, unknown> = {}
  for (const p of el.props) {
    if (p.type === NODE.ATTRIBUTE) {
      props[p.name] = p.value?.content ?? ''
    }
    else if (p.type === NODE.DIRECTIVE && p.name === 'bind' && p.arg && 'content' in p.arg) {
      props[p.arg.content] = p.exp && 'content' in p.exp
        ? literal(p.exp.content)
        : true
    }
  }
  return props
}

function walkChildren(ctx: Ctx, children: TemplateChildNode[]): Seen {
  return merge(NOTHING, ...children.map(c => walk(ctx, c)))
}

/** Children of <v-clicks>: each gets a click, sub-lists too down to `depth` (VClicks.ts). */
function walkVClicks(ctx: Ctx, el: ElementNode, every: number, handleSpecial: boolean): Seen {
  const props = propsOf(el)
  const depth = Number(props.depth ?? 1) || 1
  const at = normalizeAt(props.at ?? '+1')
  if (at == null)
    return walkChildren(ctx, el.children)
  const isRelative = typeof at === 'string'
  let globalIdx = 1
  let execIdx = 0
  const seen: Seen[] = []
  const elements = (nodes: TemplateChildNode[]) => nodes.filter(n => isElement(n) || (n.type === NODE.TEXT && n.content.trim()) || n.type === NODE.INTERPOLATION)
  const mapChildren = (nodes: TemplateChildNode[], level: number) => {
    for (const node of elements(nodes)) {
      const show = Number(at) + Math.ceil(globalIdx++ / every) - 1
      let inner: Seen
      if (isElement(node) && level < depth) {
        const sub = node.children.filter(isElement).filter(c => c.tag === 'ul' || c.tag === 'ol')
        const rest = node.children.filter(c => !sub.includes(c as ElementNode))
        inner = merge(walkChildren(ctx, rest), ...sub.map(s => withHidden(ctx, () => {
          mapChildren(s.children, level + 1)
          return NOTHING
        })))
      }
      else {
        inner = walk(ctx, node)
      }
      const delta = show - execIdx
      execIdx = show
      const start = register(ctx, isRelative
        ? (delta >= 0
            ? `+${delta}`
            : `${delta}`)
        : show)
      seen.push(start !== undefined && start > 0
        ? NOTHING
        : inner)
    }
  }
  const kids = elements(el.children)
  const only = kids.length === 1 && isElement(kids[0]!)
    ? kids[0] as ElementNode
    : undefined
  if (handleSpecial && only && (only.tag === 'ul' || only.tag === 'ol')) {
    mapChildren(only.children, 1)
  }
  else if (handleSpecial && only && only.tag === 'table') {
    only.children.filter(isElement).forEach(c => c.tag === 'tbody'
      ? mapChildren(c.children, 1)
      : seen.push(walk(ctx, c)))
  }
  else {
    mapChildren(el.children, 1)
  }
  return merge(NOTHING, ...seen)
}

/** Runs a walk whose visibility result is discarded (sub-lists judged by their own items). */
function withHidden(_ctx: Ctx, f: () => Seen): Seen {
  f()
  return NOTHING
}

function walkComponent(ctx: Ctx, el: ElementNode, name: string): Seen {
  if (name === 'VClicks')
    return walkVClicks(ctx, el, Number(propsOf(el).every ?? 1) || 1, propsOf(el)['handle-special-elements'] !== false)
  if (name === 'VClick' || name === 'VAfter') {
    const props = propsOf(el)
    const at = name === 'VAfter'
      ? '+0'
      : props.at ?? '+1'
    const inner = walkChildren(ctx, el.children)
    const start = register(ctx, at)
    return start !== undefined && start > 0 && !('hide' in props)
      ? NOTHING
      : inner
  }
  if (name === 'VClickGap') {
    const size = Number(propsOf(el).size ?? 1)
    ctx.offset += size
    ctx.maxes.push(ctx.offset - 1)
    return NOTHING
  }
  if (name === 'VSwitch') {
    ctx.exact = false
    return { heading: false, content: true }
  }
  const inner = walkChildren(ctx, el.children)
  const steps = ctx.stepsOf({
    name,
    el,
    props: propsOf(el),
  })
  if (!steps) {
    // A component with no known steps (Slidev's built-ins, a theme's): shown as it is.
    return merge(inner, { heading: false, content: true })
  }
  for (const at of steps.clicks)
    register(ctx, at)
  return merge(inner, { heading: false, content: steps.visibleAtStart })
}

function walkFence(ctx: Ctx, fence: Fence): Seen {
  const ranges = /^\{([^}]*)\}/.exec(fence.meta.trim())?.[1]?.split('|') ?? []
  if (ranges.length > 1) {
    const at = /\bat:\s*['"]?([+-]?\d+)/.exec(fence.meta)?.[1]
    register(ctx, at ?? '+1', ranges.length - 1)
  }
  if (fence.lang === 'md' && /magic-move/.test(fence.meta))
    ctx.exact = false
  return { heading: false, content: true }
}

function walk(ctx: Ctx, node: TemplateChildNode): Seen {
  if (node.type === NODE.TEXT) {
    return node.content.trim()
      ? { heading: false, content: true }
      : NOTHING
  }
  if (node.type === NODE.INTERPOLATION)
    return { heading: false, content: true }
  if (!isElement(node))
    return NOTHING
  const fence = attr(node, 'data-check-fence')
  if (fence !== undefined)
    return walkFence(ctx, ctx.fences[Number(fence)]!)
  const name = pascal(node.tag)
  let seen: Seen
  if (node.tagType === TAG.COMPONENT) {
    seen = walkComponent(ctx, node, name)
  }
  else if (/^h[1-6]$/.test(node.tag)) {
    seen = walkChildren(ctx, node.children).content
      ? { heading: true, content: false }
      : NOTHING
  }
  else if ([
    'img',
    'svg',
    'video',
    'iframe',
    'canvas',
    'picture',
    'object',
    'embed',
    'hr',
  ].includes(node.tag)) {
    seen = merge(walkChildren(ctx, node.children), { heading: false, content: true })
  }
  else {
    seen = walkChildren(ctx, node.children)
  }
  for (const name of ['click', 'after', 'click-hide'] as const) {
    const d = directive(node, name)
    if (!d)
      continue
    const value = name === 'after'
      ? '+0'
      : directiveValue(d.exp)
    const start = register(ctx, value)
    if (name !== 'click-hide' && start !== undefined && start > 0)
      seen = NOTHING
  }
  return seen
}

export function slideSteps(template: SlideTemplate, frontmatter: Record<string, unknown>, stepsOf: StepsOf): SlideSteps {
  const ctx: Ctx = {
    offset: 0,
    maxes: [],
    exact: true,
    fences: template.fences,
    stepsOf,
  }
  const seen = walkChildren(ctx, template.root.children)
  const declared = frontmatter.clicks
  const total = typeof declared === 'number' || (typeof declared === 'string' && /^\d+$/.test(declared))
    ? Number(declared)
    : Math.max(0, ...ctx.maxes)
  return {
    total,
    exact: ctx.exact || declared !== undefined,
    contentAtStart: seen.content,
    headingAtStart: seen.heading,
  }
}

/** Click markers in notes as Slidev numbers them: `[click]` is one more step, `[click:3]` three more. */
export function noteMarkers(note: string | undefined): { count: number, markers: number } {
  let count = 0
  let markers = 0
  for (const m of (note ?? '').matchAll(/\[click(?::(\d+))?\]/gi)) {
    count += Number(m[1] ?? 1)
    markers++
  }
  return { count, markers }
}

/** Every component element of the template (for existence and prop checks). */
export function componentsIn(root: RootNode | ElementNode): ElementNode[] {
  const out: ElementNode[] = []
  const visit = (n: TemplateChildNode | RootNode) => {
    if (isElement(n) && n.tagType === TAG.COMPONENT)
      out.push(n)
    if ('children' in n && Array.isArray(n.children))
      (n.children as TemplateChildNode[]).forEach(visit)
  }
  visit(root)
  return out
}
