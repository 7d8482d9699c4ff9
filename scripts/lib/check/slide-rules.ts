/**
 * Rules over each slide's body as Slidev compiles it (see template.ts): layouts and components that
 * exist, props of the type a component declares, click markers in the notes that match the slide's
 * click steps, something besides the heading at the first step, images and assets inside the
 * repository, Mermaid that parses, and a reconstruction that never calls itself a transcript.
 */
import type { Headmatter } from '../meta.ts'
import type { TalkSlide } from '../transcript/model.ts'
import type { ComponentSteps, ComponentUse } from './clicks.ts'
import type { ComponentRenderer, Registry } from './components.ts'
import type { Finding } from './types.ts'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { extractImagesUsage } from '@slidev/parser'
import { readDeckSource } from '../decks.ts'
import { componentsIn, noteMarkers, propsOf, slideSteps } from './clicks.ts'
import { isKnownComponent } from './components.ts'
import { parseMermaid } from './mermaid.ts'
import { insideRepo } from './outside.ts'
import { parseSlideTemplate, pascal } from './template.ts'

type Emit = (f: Omit<Finding, 'deck'>) => void

export interface DeckContext {
  dir: string
  meta?: Headmatter
  registry: Registry
  renderer: ComponentRenderer
  /** Folders whose public/ serves absolute asset paths (the deck's, its addons', its theme's). */
  roots: string[]
}

/** Layouts whose slide is its title by design (no body expected at the first step). */
const TITLE_LAYOUTS = new Set([
  'cover',
  'intro',
  'section',
  'statement',
  'fact',
  'quote',
  'end',
  'center',
  'none',
  'full',
  'iframe',
  '404',
  'error',
])

function label(s: TalkSlide): string {
  return s.title
    ? `slide ${s.no} 「${s.title}」`
    : `slide ${s.no}`
}

const lineCache = new Map<string, string[]>()
function linesOf(file: string): string[] {
  let lines = lineCache.get(file)
  if (!lines) {
    lines = readDeckSource(file).split('\n')
    lineCache.set(file, lines)
  }
  return lines
}

/** 1-based line of the first line of the slide containing `needle` (from its body), or the slide's own line. */
function lineOf(s: TalkSlide, needle: string | RegExp, fromBody: boolean | number = true): number {
  const lines = linesOf(s.file)
  const from = typeof fromBody === 'number'
    ? fromBody
    : fromBody ? s.contentLine : s.line
  for (let i = from - 1; i < Math.min(s.endLine, lines.length); i++) {
    if (typeof needle === 'string'
      ? lines[i]!.includes(needle)
      : needle.test(lines[i]!)) {
      return i + 1
    }
  }
  return s.headingLine ?? s.line
}

/** The click steps of a used component: rendered when it is one of the repo's, with its findings reported once. */
async function componentSteps(ctx: DeckContext, s: TalkSlide, use: ComponentUse, emit: Emit): Promise<ComponentSteps | undefined> {
  const rendered = await ctx.renderer.render(use)
  if (!rendered)
    return undefined
  const line = lineOf(s, new RegExp(`<(?:${use.name}|${use.el.tag})\\b`))
  for (const w of rendered.warnings) {
    emit({
      file: s.file,
      line,
      severity: 'error',
      rule: 'components/props',
      message: `${label(s)}: <${use.el.tag}> ${w.replace(/^\[Vue warn\]:\s*/, '').replace(/\s+at <.*$/s, '')} Give the declared type (a number or boolean as a binding: :size="24", a bare attribute for true: step).`,
    })
  }
  if (rendered.error) {
    emit({
      file: s.file,
      line,
      severity: 'error',
      rule: 'components/error',
      message: `${label(s)}: <${use.el.tag}> throws when rendered: ${rendered.error}`,
    })
  }
  return rendered.error ? undefined : rendered
}

export async function checkSlide(ctx: DeckContext, s: TalkSlide, emitAny: Emit): Promise<void> {
  const emit: Emit = f => emitAny({ ...f, slide: s.no })
  // Layouts.
  const layout = s.frontmatter.layout
  if (typeof layout === 'string' && !ctx.registry.layouts.has(layout)) {
    emit({
      file: s.file,
      line: lineOf(s, /^\s*layout\s*:/, false),
      severity: 'error',
      rule: 'layouts/unknown',
      message: `${label(s)}: unknown layout "${layout}": use one of ${[
        ...ctx.registry.layouts.keys(),
      ].filter(l => !['404', 'error'].includes(l)).sort().join(', ')}, or add layouts/${layout}.vue`,
    })
  }

  const template = parseSlideTemplate(s.content)

  // Components that exist; props and clicks of the repo's own (rendered once per distinct use).
  const uses = new Map<object, ComponentSteps | undefined>()
  for (const el of componentsIn(template.root)) {
    const name = pascal(el.tag)
    if (!isKnownComponent(ctx.registry, el.tag, name)) {
      emit({
        file: s.file,
        line: lineOf(s, new RegExp(`<${el.tag}\\b`)),
        severity: 'error',
        rule: 'components/unknown',
        message: `${label(s)}: <${el.tag}> is not a component: no ${name}.vue in components/ (the repo's, the deck's or the theme's) and not one of Slidev's built-ins; check the spelling`,
      })
      continue
    }
    uses.set(el, await componentSteps(ctx, s, {
      name,
      el,
      props: propsOf(el),
    }, emit))
  }

  // Clicks: the notes' markers against the slide's steps, counted as Slidev counts them.
  const steps = slideSteps(template, s.frontmatter, use => uses.get(use.el))
  const markers = noteMarkers(s.note)
  if (steps.exact && markers.markers > 0 && markers.count !== steps.total) {
    emit({
      file: s.file,
      line: s.noteLine ?? s.line,
      severity: 'error',
      rule: 'clicks/markers',
      message: `${label(s)}: the notes have ${markers.count} [click] step${markers.count === 1
        ? ''
        : 's'} but the slide has ${steps.total} click step${steps.total === 1
        ? ''
        : 's'}: the presenter view's notes will fall out of step. ${markers.count > steps.total
        ? 'Remove the extra [click] markers or reveal more with v-click'
        : 'Add a [click] marker where each step is spoken'}${s.frontmatter.clicks === undefined
        ? ''
        : ' (clicks: in the frontmatter sets the count)'}`,
    })
  }
  else if (steps.exact && markers.markers === 0 && steps.total > 0 && s.note?.trim()) {
    emit({
      file: s.file,
      line: s.noteLine ?? s.line,
      severity: 'warning',
      rule: 'clicks/markers',
      message: `${label(s)}: the slide has ${steps.total} click step${steps.total === 1
        ? ''
        : 's'} but the notes have no [click] marker: mark where each step is spoken so the presenter view follows`,
    })
  }

  // Something to see at the first step.
  const layoutName = typeof layout === 'string'
    ? layout
    : (s.no === 1
        ? 'cover'
        : 'default')
  if (!TITLE_LAYOUTS.has(layoutName) && steps.headingAtStart && !steps.contentAtStart && steps.total > 0) {
    emit({
      file: s.file,
      line: s.headingLine ?? s.line,
      severity: 'error',
      rule: 'clicks/heading-only',
      message: `${label(s)} shows only its heading until the first click (an audience member on a phone sees an empty slide): show a lead line, the diagram's first stage or the first point from the start`,
    })
  }

  // Images and assets: inside the repository, and there.
  const urls = new Set(extractImagesUsage(s.content, s.frontmatter))
  for (const m of s.content.replace(/^```[^\n]*\n[\s\S]*?\n```/gm, '').matchAll(/\b(?:src|href|poster)=["']([^"'{}]+)["']/g))
    urls.add(m[1]!.trim())
  for (const url of urls) {
    if (/^(?:data:|#|mailto:|tel:|javascript:)/i.test(url) || url.includes('{{'))
      continue
    const line = lineOf(s, url, false)
    if (/^(?:https?:)?\/\//i.test(url)) {
      if (/\.(?:png|jpe?g|gif|svg|webp|avif|mp4|webm|mp3|woff2?)(?:[?#]|$)/i.test(url)) {
        emit({
          file: s.file,
          line,
          severity: 'error',
          rule: 'assets/remote',
          message: `${label(s)}: ${url} is loaded from the network: the deck must work offline on stage; save the file in the deck folder and use a relative path`,
        })
      }
      continue
    }
    const clean = decodeURI(url.split(/[?#]/)[0]!)
    const candidates = clean.startsWith('/')
      ? ctx.roots.map(r => join(r, 'public', clean)).concat(join(ctx.dir, clean))
      : [
          resolve(dirname(s.file), clean),
        ]
    const outside = candidates.filter(c => !insideRepo(c))
    if (outside.length === candidates.length) {
      emit({
        file: s.file,
        line,
        severity: 'error',
        rule: 'outside/asset',
        message: `${label(s)}: ${url} is outside the repository (not read): copy the file into the deck folder and use a relative path`,
      })
      continue
    }
    if (!candidates.some(c => insideRepo(c) && existsSync(c))) {
      emit({
        file: s.file,
        line,
        severity: 'error',
        rule: 'assets/missing',
        message: `${label(s)}: ${url} does not exist (looked for ${candidates.map(c => c.replace(`${dirname(ctx.dir)}/`, '')).join(', ')}): fix the path or add the file to the deck folder`,
      })
    }
  }

  // Mermaid, with Mermaid's own parser.
  for (const fence of template.fences.filter(f => f.lang === 'mermaid')) {
    const verdict = await parseMermaid(fence.code)
    if (verdict.ok)
      continue
    const fenceLine = lineOf(s, /^\s*```mermaid/)
    emit({
      file: s.file,
      line: fenceLine + (verdict.line ?? 1),
      severity: 'error',
      rule: 'mermaid/syntax',
      message: `${label(s)}: the Mermaid diagram does not parse: ${verdict.message}`,
    })
  }

  // A reconstruction never calls itself a transcript: in what the slides and the spoken notes say.
  if (ctx.meta?.talk.provenance === 'reconstruction') {
    const spoken = (s.note ?? '').split('\n').filter(l => !/^\s*\/\/\s/.test(l)).join('\n')
    for (const [where, text] of [
      ['slide', s.content],
      ['notes', spoken],
    ] as const) {
      const hit = /文字起こし|書き起こし|transcript/i.exec(text)?.[0]
      if (hit) {
        emit({
          file: s.file,
          line: lineOf(s, hit, where === 'notes'
            ? s.noteLine ?? s.line
            : s.contentLine),
          severity: 'error',
          rule: 'provenance/transcript',
          message: `${label(s)}: the ${where} call${where === 'notes'
            ? ''
            : 's'} this talk a transcript (「${hit}」) but the deck is a reconstruction (talk.provenance): say 再構成 and from what, never 文字起こし`,
        })
      }
    }
  }
}

/** The deck-level half of the provenance rule: title, info and description of a reconstruction. */
export function checkProvenanceMeta(meta: Headmatter, file: string, lineOf: (field: string) => number | undefined, emit: Emit): void {
  if (meta.talk.provenance !== 'reconstruction')
    return
  const fields: [string, unknown][] = [
    ['title', meta.title],
    ['info', meta.info],
    ['talk.description', meta.talk.description],
  ]
  for (const [field, value] of fields) {
    const hit = typeof value === 'string'
      ? /文字起こし|書き起こし|transcript/i.exec(value)?.[0]
      : undefined
    if (hit) {
      emit({
        file,
        line: lineOf(field),
        severity: 'error',
        rule: 'provenance/transcript',
        message: `${field} calls this talk a transcript (「${hit}」) but the deck is a reconstruction (talk.provenance): the site and the blog posts show it; say 再構成 and from what`,
      })
    }
  }
}

/** Where generated outputs call a talk 文字起こし: each output with the words around the first use. */
export function transcriptWording(outputs: Record<string, string>): { output: string, context: string }[] {
  const found: { output: string, context: string }[] = []
  for (const [output, text] of Object.entries(outputs)) {
    const plain = text.replace(/<(style|script)\b[^>]*>[\s\S]*?<\/\1>/g, ' ').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ')
    const i = plain.search(/文字起こし|書き起こし/)
    if (i >= 0) {
      found.push({
        output,
        context: plain.slice(Math.max(0, i - 16), i + 12).trim(),
      })
    }
  }
  return found
}

const OUTPUT_NAMES: Record<string, string> = { zenn: 'the Zenn article', hatena: 'the Hatena Blog post', html: 'the transcript page' }

/** The outputs `npm run transcript` would write for a reconstruction, checked for the word 文字起こし. */
export function checkProvenanceOutputs(outputs: Record<string, string>, file: string, line: number | undefined, emit: Emit): void {
  for (const { output, context } of transcriptWording(outputs)) {
    emit({
      file,
      line,
      severity: 'error',
      rule: 'provenance/transcript',
      message: `${OUTPUT_NAMES[output] ?? output} generated for this reconstruction calls it a transcript (「…${context}…」): a reconstruction is labelled a reconstruction, from what it was rebuilt (talk.provenanceNote), never 文字起こし`,
    })
  }
}

/** `url(...)` in the deck's own CSS (style.css, styles/): inside the repository, and there. */
export function checkStyleAssets(deckDir: string, emit: Emit): void {
  const files: string[] = []
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.name === 'node_modules' || e.name.startsWith('.') || e.name === 'dist')
        continue
      const p = join(dir, e.name)
      if (e.isDirectory())
        walk(p)
      else if (e.isFile() && /\.(?:css|scss|postcss)$/.test(e.name) && insideRepo(p))
        files.push(p)
    }
  }
  walk(deckDir)
  for (const file of files) {
    const lines = readFileSync(file, 'utf8').split(/\r?\n/)
    for (const [i, text] of lines.entries()) {
      for (const m of text.matchAll(/url\((['"]?)([^'"()]*)\1\)/g)) {
        const url = m[2]!.trim()
        if (/^(?:data:|#|https?:|\/\/)/i.test(url))
          continue
        const path = url.startsWith('/')
          ? join(deckDir, 'public', url)
          : resolve(dirname(file), url.split(/[?#]/)[0]!)
        if (!insideRepo(path)) {
          emit({
            file,
            line: i + 1,
            severity: 'error',
            rule: 'outside/asset',
            message: `${url} is outside the repository (not read): copy the file into the deck folder and use a relative path`,
          })
        }
        else if (!existsSync(path)) {
          emit({
            file,
            line: i + 1,
            severity: 'error',
            rule: 'assets/missing',
            message: `${url} does not exist: fix the path or add the file to the deck folder`,
          })
        }
      }
    }
  }
}

const SLIDE_LINK = /<Link\s+to="(\d+)"\s*>([\s\S]*?)<\/Link>/g

/**
 * A link to a slide by number (`<Link to="12">`, agenda items) goes to the slide it names: inserting
 * or removing a slide shifts the numbers, and the link then lands on the wrong slide in the deck and
 * in the PDF. The link's text must be the target slide's heading (or a part of it).
 */
export function checkSlideLinks(slides: TalkSlide[], emit: Emit): void {
  for (const s of slides) {
    for (const m of s.content.matchAll(SLIDE_LINK)) {
      const to = Number(m[1])
      const text = m[2]!.replace(/<[^>]*>/g, '').trim()
      const line = lineOf(s, m[0].split('\n')[0]!)
      const target = slides.find(t => t.no === to)
      if (!target) {
        emit({
          file: s.file,
          line,
          severity: 'error',
          rule: 'links/slide',
          message: `${label(s)} links 「${text}」 to slide ${to}, but the deck has ${slides.length} slides: point it at the slide it names`,
        })
      }
      else if (text && target.title && !target.title.includes(text) && !text.includes(target.title)) {
        const named = slides.find(t => t.title && (t.title.includes(text) || text.includes(t.title)))
        emit({
          file: s.file,
          line,
          severity: 'error',
          rule: 'links/slide',
          message: `${label(s)} links 「${text}」 to slide ${to}, which is 「${target.title}」${named
            ? `; 「${named.title}」 is slide ${named.no}: use <Link to="${named.no}">`
            : ': point it at the slide it names'}`,
        })
      }
    }
  }
}
