/**
 * A rehearsal as recorded by the presenter view in `npm run rehearse`: which slide was on screen
 * from when to when on the talk clock (pauses excluded), and how long its notes were at the time.
 * Parsing and validation (one function for the files in decks/<slug>/rehearsals/ and for what the
 * browser posts), per-slide times, and the speaking rate calibrated from the rehearsals.
 */
import type { SpeakingRate } from './plan.ts'
import { z } from 'zod'
import { DEFAULT_RATE } from './plan.ts'

export const REHEARSAL_FORMAT = 1

/** A slide shown for less than this was passed over, not spoken: it does not count for the rate. */
export const MIN_SPOKEN_SECONDS = 3

/** A rehearsal calibrates the rate only once it has this many seconds of spoken slides. */
export const MIN_CALIBRATION_SECONDS = 60

const visit = z.object({
  /** 1-based slide number. */
  slide: z.number().int().min(1),
  /** Talk clock (seconds since the start, pauses excluded) when the slide came on screen. */
  at: z.number().min(0),
  /** Characters of spoken notes the slide had during the rehearsal. */
  chars: z.number().int().min(0),
  title: z.string().optional(),
})

export const rehearsalSchema = z.object({
  format: z.literal(REHEARSAL_FORMAT),
  deck: z.string().min(1),
  /** Wall-clock start and end, ISO 8601. */
  startedAt: z.iso.datetime(),
  endedAt: z.iso.datetime(),
  /** Talk clock at the end, seconds. */
  duration: z.number().min(0),
  /** Seconds the clock was paused (questions, a demo), not part of `duration`. */
  paused: z.number().min(0).default(0),
  /** Slides in the deck during the rehearsal. */
  slideCount: z.number().int().min(1),
  /** One entry per slide shown: the slide the clock started on, then one per slide change. */
  visits: z.array(visit).min(1),
}).superRefine((r, ctx) => {
  r.visits.forEach((v, i) => {
    const prev = r.visits[i - 1]
    if (prev && v.at < prev.at) {
      ctx.addIssue({
        code: 'custom',
        path: ['visits', i, 'at'],
        message: `goes back in time (${v.at} after ${prev.at})`,
      })
    }
    if (v.at > r.duration + 1e-6) {
      ctx.addIssue({
        code: 'custom',
        path: ['visits', i, 'at'],
        message: `is after the end of the rehearsal (${r.duration})`,
      })
    }
  })
})

export type Rehearsal = z.output<typeof rehearsalSchema>
export type Visit = Rehearsal['visits'][number]

export interface ParsedRehearsal {
  file: string
  rehearsal?: Rehearsal
  /** Why the file cannot be used at all (it is skipped). */
  error?: string
  /** Parts left out (slides the deck no longer has). */
  warnings: string[]
}

/**
 * Reads one rehearsal file's text. Never throws: a broken file comes back with an error naming it,
 * so presenting and reporting go on with the other rehearsals.
 */
export function parseRehearsal(text: string, file: string, slideCount?: number): ParsedRehearsal {
  let data: unknown
  try {
    data = JSON.parse(text)
  }
  catch (e) {
    return { file, error: `${file}: not valid JSON (${(e as Error).message}); the file is left out. Delete it or record the rehearsal again.`, warnings: [] }
  }
  const result = rehearsalSchema.safeParse(data)
  if (!result.success) {
    const issues = result.error.issues.map(i => `${i.path.map(String).join('.') || '(file)'} ${i.message}`)
    return { file, error: `${file}: not a rehearsal record: ${issues.join('; ')}; the file is left out.`, warnings: [] }
  }
  const rehearsal = result.data
  const warnings: string[] = []
  if (slideCount !== undefined) {
    const times = visitSeconds(rehearsal)
    const gone = new Map<number, number>()
    rehearsal.visits.forEach((v, i) => {
      if (v.slide > slideCount)
        gone.set(v.slide, (gone.get(v.slide) ?? 0) + times[i]!)
    })
    for (const [slide, seconds] of gone)
      warnings.push(`${file}: slide ${slide} is not in the deck any more (it has ${slideCount} slides); its ${Math.round(seconds)} s are left out.`)
  }
  return { file, rehearsal, warnings }
}

/** Seconds each visit lasted: until the next visit, the last one until the end. */
export function visitSeconds(r: Rehearsal): number[] {
  return r.visits.map((v, i) => Math.max(0, (r.visits[i + 1]?.at ?? r.duration) - v.at))
}

/** Seconds per slide (going back to a slide adds to it), only slides up to `slideCount` when given. */
export function slideSeconds(r: Rehearsal, slideCount?: number): Map<number, number> {
  const out = new Map<number, number>()
  const times = visitSeconds(r)
  r.visits.forEach((v, i) => {
    if (slideCount === undefined || v.slide <= slideCount)
      out.set(v.slide, (out.get(v.slide) ?? 0) + times[i]!)
  })
  return out
}

/**
 * Characters a minute in one rehearsal: the notes of the slides spoken (shown at least a few seconds,
 * with notes) over the time spent on them. Undefined when too little was spoken to tell.
 */
export function rehearsalRate(r: Rehearsal): number | undefined {
  const times = visitSeconds(r)
  let chars = 0
  let seconds = 0
  // A slide visited twice is spoken once: its characters count once, all its time counts.
  const counted = new Set<number>()
  r.visits.forEach((v, i) => {
    const t = times[i]!
    if (v.chars > 0 && t >= MIN_SPOKEN_SECONDS) {
      seconds += t
      if (!counted.has(v.slide))
        chars += v.chars
      counted.add(v.slide)
    }
  })
  if (seconds < MIN_CALIBRATION_SECONDS || !chars)
    return undefined
  return chars / seconds * 60
}

export function median(values: number[]): number | undefined {
  if (!values.length)
    return undefined
  const s = values.slice().sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2
    ? s[mid]
    : (s[mid - 1]! + s[mid]!) / 2
}

/** The speaker's rate: the median of the rehearsals' rates, or the default without any usable one. */
export function calibrate(rehearsals: Rehearsal[]): SpeakingRate {
  const rates = rehearsals.map(rehearsalRate).filter((r): r is number => r !== undefined)
  const m = median(rates)
  return m === undefined
    ? DEFAULT_RATE
    : { charsPerMinute: m, source: 'rehearsals', rehearsals: rates.length }
}

/** The file name of a rehearsal: its start as ISO 8601 basic format (sorts by time, safe on every OS). */
export function rehearsalFileName(startedAt: string): string {
  const d = new Date(startedAt)
  if (Number.isNaN(d.getTime()))
    throw new TypeError(`not a date: ${startedAt}`)
  return `${d.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '')}.json`
}
