/**
 * Shared geometry, colour and text helpers for the diagram components (not a component itself:
 * Slidev registers every file here by name, and nothing is ever called <DiagramKit>).
 *
 * Text is never wrapped automatically: SVG has no phrase-aware line breaking, and a browser-chosen
 * break can land inside a word such as 「イベントドリブン」. Labels are split explicitly instead
 * (arrays or "\n"), and the font size shrinks when a line is estimated to be too wide for its box.
 */

import type { Directive } from 'vue'

export type Point = [number, number]

// Slidev registers `v-click` globally at runtime; this tells vue-tsc about it for the components' templates.
declare module 'vue' {
  interface GlobalDirectives {
    vClick: Directive<Element, boolean | number | string | undefined>
  }
}

export type Tone = 'neutral' | 'primary' | 'accent' | 'success' | 'danger' | 'muted'

/** A label: one string (lines split on "\n") or an array of lines. */
export type Lines = string | readonly string[]

export interface ToneColors {
  fill: string
  stroke: string
  text: string
}

/** Every colour is a theme variable, so `html.dark` switches diagrams with the rest of the slide. */
export const TONES: Record<Tone, ToneColors> = {
  neutral: { fill: 'var(--talk-surface)', stroke: 'var(--talk-fg-muted)', text: 'var(--talk-fg)' },
  primary: { fill: 'var(--talk-primary-soft)', stroke: 'var(--talk-primary)', text: 'var(--talk-fg)' },
  accent: { fill: 'var(--talk-accent-soft)', stroke: 'var(--talk-accent)', text: 'var(--talk-fg)' },
  success: { fill: 'var(--talk-success-soft)', stroke: 'var(--talk-success)', text: 'var(--talk-fg)' },
  danger: { fill: 'var(--talk-danger-soft)', stroke: 'var(--talk-danger)', text: 'var(--talk-fg)' },
  // De-emphasised parts keep readable text contrast (no opacity): only the frame and fill fade.
  muted: { fill: 'var(--talk-bg)', stroke: 'var(--talk-border)', text: 'var(--talk-fg-muted)' },
}

/** Colour of a line or text in a given tone (the strong variant, not the soft fill). */
export function strokeOf(tone: Tone): string {
  return TONES[tone].stroke
}

export function toLines(label: Lines | undefined): string[] {
  if (label === undefined)
    return []
  const list = typeof label === 'string'
    ? [label]
    : [...label]
  return list.flatMap(l => l.split('\n')).filter((l, i, all) => l !== '' || all.length === 1)
}

/**
 * Rough advance width in em: CJK and full-width characters are 1em in BIZ UDPGothic (a little less
 * for proportional kana, so this errs on the wide side); Latin letters and digits about 0.6em.
 */
export function estimateWidthEm(text: string): number {
  let em = 0
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0
    if (code >= 0x2E80 || (code >= 0x1100 && code <= 0x11FF))
      em += 1
    else if (ch === ' ')
      em += 0.3
    else if (/[A-Z]/.test(ch))
      em += 0.66
    else
      em += 0.56
  }
  return em
}

/**
 * Smallest diagram text, in SVG units. Captions must read at ≥ 20 px on the 980 px slide canvas
 * (issue 12); an 880-unit diagram is drawn a little narrower than 880 px (about 0.986 px per unit
 * inside the slide's padding), so 21 units is the floor that stays ≥ 20 px once scaled.
 */
export const MIN_FONT_SIZE = 21

/**
 * The largest font size (at most `preferred`, at least `min`) at which every line fits `maxWidth`.
 * Never below `min`: a label that would need less is a label to split (or a box to widen), and the
 * browser test catches what still overflows.
 */
export function fitFontSize(lines: readonly string[], preferred: number, maxWidth: number, min = MIN_FONT_SIZE): number {
  const widest = Math.max(0, ...lines.map(estimateWidthEm))
  if (!widest)
    return preferred
  return Math.max(min, Math.min(preferred, Math.floor(maxWidth / widest)))
}

/** Vertical offsets (from the block's centre) of the baselines of stacked lines, for dominant-baseline: central. */
export function lineOffsets(count: number, lineHeight: number): number[] {
  return Array.from({ length: count }, (_, i) => (i - (count - 1) / 2) * lineHeight)
}

export interface TextRow {
  text: string
  size: number
  bold: boolean
  muted: boolean
  /** Offset of the row's centre from the centre of the whole block. */
  dy: number
}

/** Title lines (bold) above detail lines (regular, smaller), centred as one block. */
export function stackRows(title: readonly string[], titleSize: number, detail: readonly string[], detailSize: number, gap = 6): TextRow[] {
  const rows: Omit<TextRow, 'dy'>[] = [
    ...title.map(text => ({
      text,
      size: titleSize,
      bold: true,
      muted: false,
    })),
    ...detail.map(text => ({
      text,
      size: detailSize,
      bold: false,
      muted: true,
    })),
  ]
  const heights = rows.map(r => r.size * 1.3)
  const gapAt = title.length && detail.length
    ? title.length
    : -1
  const total = heights.reduce((a, b) => a + b, 0) + (gapAt > 0
    ? gap
    : 0)
  let y = -total / 2
  return rows.map((r, i) => {
    if (i === gapAt)
      y += gap
    const dy = y + heights[i]! / 2
    y += heights[i]!
    return { ...r, dy }
  })
}

export function textBlockHeight(rows: readonly TextRow[]): number {
  if (!rows.length)
    return 0
  const first = rows[0]!
  const last = rows[rows.length - 1]!
  return last.dy + last.size * 0.65 - (first.dy - first.size * 0.65)
}

/** Point on a quadratic curve bent `bend` units to the left of the straight line from → to. */
export function bendControl(from: Point, to: Point, bend: number): Point {
  const [x1, y1] = from
  const [x2, y2] = to
  const len = Math.hypot(x2 - x1, y2 - y1) || 1
  return [(x1 + x2) / 2 + (-(y2 - y1) / len) * bend, (y1 + y2) / 2 + ((x2 - x1) / len) * bend]
}

function shorten(tip: Point, toward: Point, by: number): Point {
  const dx = toward[0] - tip[0]
  const dy = toward[1] - tip[1]
  const len = Math.hypot(dx, dy) || 1
  return [tip[0] + (dx / len) * by, tip[1] + (dy / len) * by]
}

/** Triangle for an arrowhead whose tip is `tip`, pointing away from `from`. */
export function arrowHead(tip: Point, from: Point, size: number): string {
  const [tx, ty] = tip
  const dx = tx - from[0]
  const dy = ty - from[1]
  const len = Math.hypot(dx, dy) || 1
  const ux = dx / len
  const uy = dy / len
  const bx = tx - ux * size
  const by = ty - uy * size
  const half = size * 0.55
  const pts: Point[] = [
    [tx, ty],
    [bx - uy * half, by + ux * half],
    [bx + uy * half, by - ux * half],
  ]
  return pts.map(p => p.map(n => round(n)).join(',')).join(' ')
}

export function round(n: number): number {
  return Math.round(n * 10) / 10
}

export interface ArrowGeometry {
  /** The line, stopped short of each head so a thick stroke does not poke through the tip. */
  path: string
  heads: string[]
  /** Middle of the drawn line, where a label goes by default. */
  mid: Point
}

export function arrowGeometry(options: {
  from: Point
  to: Point
  via?: readonly Point[]
  bend?: number
  head: 'end' | 'start' | 'both' | 'none'
  headSize: number
}): ArrowGeometry {
  const { from, to, head, headSize } = options
  const via = options.via ?? []
  const curved = !via.length && options.bend
  const control = curved
    ? bendControl(from, to, options.bend!)
    : undefined
  // Direction into each end: from the neighbouring point (or the curve's control point).
  const beforeEnd = control ?? via[via.length - 1] ?? from
  const afterStart = control ?? via[0] ?? to
  const endHead = head === 'end' || head === 'both'
  const startHead = head === 'start' || head === 'both'
  const start = startHead
    ? shorten(from, afterStart, headSize * 0.8)
    : from
  const end = endHead
    ? shorten(to, beforeEnd, headSize * 0.8)
    : to
  const p = (pt: Point) => `${round(pt[0])} ${round(pt[1])}`
  const path = control
    ? `M ${p(start)} Q ${p(control)} ${p(end)}`
    : `M ${[start, ...via, end].map(p).join(' L ')}`
  const heads: string[] = []
  if (endHead)
    heads.push(arrowHead(to, beforeEnd, headSize))
  if (startHead)
    heads.push(arrowHead(from, afterStart, headSize))
  let mid: Point
  if (control) {
    mid = [0.25 * from[0] + 0.5 * control[0] + 0.25 * to[0], 0.25 * from[1] + 0.5 * control[1] + 0.25 * to[1]]
  }
  else {
    const pts = [from, ...via, to]
    const i = Math.floor((pts.length - 1) / 2)
    const a = pts[i]!
    const b = pts[i + 1] ?? a
    mid = pts.length % 2 === 1 && pts.length > 2
      ? pts[(pts.length - 1) / 2]!
      : [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2]
  }
  return { path, heads, mid }
}

/** Merges a partial override of labels into the defaults, one level deep (so one field can change alone). */
export function mergeLabels<T extends object>(defaults: T, override: DeepPartial<T> | undefined): T {
  if (!override)
    return defaults
  const base0 = defaults as Record<string, unknown>
  const out: Record<string, unknown> = { ...base0 }
  for (const [key, value] of Object.entries(override)) {
    if (value === undefined)
      continue
    const base = base0[key]
    out[key] = base && typeof base === 'object' && !Array.isArray(base) && value && typeof value === 'object' && !Array.isArray(value)
      ? {
          ...base,
          ...value,
        }
      : value
  }
  return out as T
}

export type DeepPartial<T> = { [K in keyof T]?: T[K] extends readonly unknown[] ? T[K] : T[K] extends object ? Partial<T[K]> : T[K] }
