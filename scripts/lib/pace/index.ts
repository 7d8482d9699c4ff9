/**
 * A deck's pace plan and rehearsal history, read from disk: what the presenter view's pace guide
 * fetches from the dev server and what `npm run pace` prints. The notes are measured by the
 * transcript's extractor (click markers and `// ` presenter-only lines excluded), so the plan and
 * the transcript count the same characters.
 */
import type { Deck } from '../decks.ts'
import type { SpeakingRate } from './plan.ts'
import type { ParsedRehearsal } from './rehearsal.ts'
import { loadTalk } from '../transcript/model.ts'
import { countChars } from '../transcript/prose.ts'
import { planBudgets } from './plan.ts'
import { median, rehearsalRate, slideSeconds } from './rehearsal.ts'
import { readRehearsals } from './store.ts'

export interface PlanSlide {
  no: number
  title: string
  /** Characters of spoken notes. */
  chars: number
  /** Seconds the plan gives the slide. */
  budget: number
}

/** What the presenter view needs (sent as JSON by the dev server). */
export interface DeckPlan {
  slug: string
  title: string
  slot: number
  questions: number
  rate: SpeakingRate
  /** Talk time in seconds (slot minus questions). */
  total: number
  /** Above 1 the plan stretches the script to fill the slot; below 1 the script is too long for it. */
  scale: number
  slides: PlanSlide[]
  /** Rehearsal files left out, in whole or part (each message names its file). */
  messages: string[]
  /** The files that could not be used at all (broken JSON, not a rehearsal record). */
  broken: string[]
  /** The dev server was started by `npm run rehearse`: slide changes are recorded. */
  rehearsal: boolean
}

export interface RehearsalSummary {
  file: string
  startedAt: string
  /** Talk clock, seconds. */
  duration: number
  /** Characters a minute, when enough was spoken to tell. */
  rate?: number
  /** Different slides it showed (a rehearsal of part of the talk shows fewer than the deck has). */
  slidesShown: number
}

export interface PaceReport extends DeckPlan {
  rehearsals: RehearsalSummary[]
  /** Per slide: seconds in the last rehearsal that showed it, and the median over all that did. */
  rehearsed: { last?: number, median?: number }[]
}

export async function loadPaceReport(deck: Deck, options: { rehearsal?: boolean } = {}): Promise<PaceReport> {
  const talk = await loadTalk(deck)
  const chars = talk.slides.map(s => countChars(s.prose))
  const t = deck.meta.talk
  const plan = planBudgets({
    chars,
    slot: t.slot,
    questions: t.questions,
    charsPerMinute: talk.rate.charsPerMinute,
  })
  const parsed: ParsedRehearsal[] = readRehearsals(deck.dir, talk.slides.length)
  const usable = parsed.filter(p => p.rehearsal)
  const perRehearsal = usable.map(p => slideSeconds(p.rehearsal!, talk.slides.length))
  return {
    slug: deck.slug,
    title: deck.meta.title,
    slot: t.slot,
    questions: t.questions,
    rate: talk.rate,
    total: plan.total,
    scale: plan.scale,
    slides: talk.slides.map((s, i) => ({
      no: s.no,
      title: s.title,
      chars: chars[i]!,
      budget: plan.budgets[i]!,
    })),
    messages: parsed.flatMap(p => [
      ...(p.error
        ? [p.error]
        : []),
      ...p.warnings,
    ]),
    broken: parsed.filter(p => p.error).map(p => p.file),
    rehearsal: options.rehearsal ?? false,
    rehearsals: usable.map(p => ({
      file: p.file,
      startedAt: p.rehearsal!.startedAt,
      duration: p.rehearsal!.duration,
      rate: rehearsalRate(p.rehearsal!),
      slidesShown: new Set(p.rehearsal!.visits.map(v => v.slide)).size,
    })),
    rehearsed: talk.slides.map((s) => {
      const times = perRehearsal.map(m => m.get(s.no)).filter((v): v is number => v !== undefined)
      return {
        last: times[times.length - 1],
        median: median(times),
      }
    }),
  }
}
