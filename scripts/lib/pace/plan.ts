/**
 * The pace plan of a talk: a time budget per slide from the length of its spoken notes, scaled so
 * the whole talk fills its slot (minus the minutes kept for questions), and where the speaker stands
 * against that plan at any moment. Pure functions without Node or browser APIs: the presenter view
 * (in the browser), `npm run pace` and the transcript all compute from the same code.
 */

/** Spoken Japanese at a presentation pace, before any rehearsal: about 300 characters a minute. */
export const DEFAULT_CHARS_PER_MINUTE = 300

/** A slide is on screen at least this long, even without a word said about it (title, section). */
export const MIN_SLIDE_SECONDS = 15

/** Within this many seconds of the plan the guide says "on time" rather than ahead or behind. */
export const ON_TIME_SECONDS = 5

export interface SpeakingRate {
  /** Characters of notes per minute. */
  charsPerMinute: number
  /** 'default' (no usable rehearsal) or 'rehearsals' (the median of the rehearsals' rates). */
  source: 'default' | 'rehearsals'
  /** How many rehearsals the rate was taken from. */
  rehearsals: number
}

export const DEFAULT_RATE: SpeakingRate = {
  charsPerMinute: DEFAULT_CHARS_PER_MINUTE,
  source: 'default',
  rehearsals: 0,
}

export interface PlanInput {
  /** Characters of spoken notes per slide, in presentation order. */
  chars: number[]
  /** Minutes of the slot. */
  slot: number
  /** Minutes of the slot kept for questions (default 0). */
  questions?: number
  charsPerMinute?: number
  minSeconds?: number
}

export interface Plan {
  /** Seconds per slide, summing to the talk time. */
  budgets: number[]
  /** Seconds the notes take at the rate, before scaling (each slide at least the minimum). */
  natural: number[]
  /** Talk time in seconds: (slot - questions) minutes. */
  total: number
  /** natural → budgets: above 1 the plan stretches the script to fill the slot, below 1 it squeezes it. */
  scale: number
}

/**
 * Budgets proportional to each slide's speaking time at the rate, scaled so they sum to the talk
 * time. No slide goes below the minimum: slides that would are pinned there and the rest share what
 * is left. If even the minimum for every slide does not fit, every slide gets an equal share.
 */
export function planBudgets(input: PlanInput): Plan {
  const rate = input.charsPerMinute ?? DEFAULT_CHARS_PER_MINUTE
  const min = input.minSeconds ?? MIN_SLIDE_SECONDS
  const total = Math.max(0, (input.slot - (input.questions ?? 0)) * 60)
  const natural = input.chars.map(c => Math.max(min, c / rate * 60))
  const n = natural.length
  const naturalSum = natural.reduce((a, b) => a + b, 0)
  if (!n) {
    return {
      budgets: [],
      natural,
      total,
      scale: 1,
    }
  }
  if (min * n >= total) {
    return {
      budgets: natural.map(() => total / n),
      natural,
      total,
      scale: total / naturalSum,
    }
  }
  const pinned = Array.from({ length: n }).fill(false)
  let budgets: number[] = natural.slice()
  // Water-filling: at most n rounds, each pins at least one more slide or ends.
  for (let round = 0; round <= n; round++) {
    const free = natural.reduce((s, v, i) => pinned[i]
      ? s
      : s + v, 0)
    const left = total - min * pinned.filter(Boolean).length
    const k = left / free
    budgets = natural.map((v, i) => pinned[i]
      ? min
      : v * k)
    let changed = false
    budgets.forEach((b, i) => {
      if (!pinned[i] && b < min - 1e-9) {
        pinned[i] = true
        changed = true
      }
    })
    if (!changed)
      break
  }
  return {
    budgets,
    natural,
    total,
    scale: total / naturalSum,
  }
}

/** Seconds at which each slide starts in the plan (the sum of the budgets before it). */
export function planStarts(budgets: number[]): number[] {
  const starts: number[] = []
  let t = 0
  for (const b of budgets) {
    starts.push(t)
    t += b
  }
  return starts
}

export interface PaceInput {
  budgets: number[]
  /** 1-based number of the slide on screen. */
  slide: number
  /** Talk clock (seconds, pauses excluded) when this slide was entered. */
  enteredAt: number
  /** Talk clock now. */
  elapsed: number
}

export interface Pace {
  /** Seconds on this slide (this visit) and its budget. */
  onSlide: number
  budget: number
  /** Seconds over this slide's budget (0 while within it). */
  over: number
  /**
   * Projected end of the talk minus planned end, in seconds: positive = behind, negative = ahead.
   * How late the slide was reached against its planned start, plus any overrun on it: staying within
   * a slide's budget never changes it, running over adds second by second.
   */
  delta: number
  state: 'ahead' | 'on-time' | 'behind'
  /** Talk clock at which the plan ends and at which, at this pace, the talk will end. */
  plannedEnd: number
  projectedEnd: number
  /** Slides after this one. */
  slidesLeft: number
}

export function paceAt(input: PaceInput): Pace {
  const { budgets } = input
  const i = Math.min(Math.max(input.slide, 1), Math.max(budgets.length, 1)) - 1
  const starts = planStarts(budgets)
  const budget = budgets[i] ?? 0
  const onSlide = Math.max(0, input.elapsed - input.enteredAt)
  const over = Math.max(0, onSlide - budget)
  const plannedEnd = budgets.reduce((a, b) => a + b, 0)
  const after = plannedEnd - (starts[i] ?? 0) - budget
  const projectedEnd = Math.max(input.elapsed, input.enteredAt + budget) + after
  const delta = projectedEnd - plannedEnd
  return {
    onSlide,
    budget,
    over,
    delta,
    state: Math.abs(delta) < ON_TIME_SECONDS
      ? 'on-time'
      : delta > 0
        ? 'behind'
        : 'ahead',
    plannedEnd,
    projectedEnd,
    slidesLeft: Math.max(0, budgets.length - i - 1),
  }
}

/** 75 → "1:15", -75 → "-1:15", 3725 → "1:02:05". */
export function formatDuration(seconds: number): string {
  const sign = seconds < 0
    ? '-'
    : ''
  const s = Math.round(Math.abs(seconds))
  const h = Math.floor(s / 3600)
  const m = Math.floor(s % 3600 / 60)
  const sec = String(s % 60).padStart(2, '0')
  return h
    ? `${sign}${h}:${String(m).padStart(2, '0')}:${sec}`
    : `${sign}${m}:${sec}`
}
