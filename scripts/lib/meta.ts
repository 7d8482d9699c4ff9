/**
 * The schema of a deck's metadata: the `talk:` block of its headmatter plus Slidev's `title`/`info`.
 * Every command reads decks through this, so an invalid deck fails the same way everywhere.
 */
import { z } from 'zod'
import config from '../../toolkit.config.ts'

const url = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
/** Unknown links stay empty rather than made up: empty string and null both mean "not known". */
const optionalUrl = z.union([
  url,
  z.literal(''),
  z.null(),
]).optional().transform(v => (v || undefined))

export const dateStatus = z.enum(['confirmed', 'inferred', 'unconfirmed'])

/**
 * What a deck's speaker notes are. `transcript`: the speaker's own words (their script, or a published
 * transcript of the talk). `reconstruction`: rebuilt afterwards from the speaker's outline and public
 * facts; every output must say so and must never call it 文字起こし.
 */
export const provenance = z.enum(['transcript', 'reconstruction'])

const DATE_SHAPE = /^\d{4}-\d{2}(?:-\d{2})?$/

/** A date that exists on the calendar (2024-13-45 and 2023-02-30 do not). Another shape is the format rule's to report, once. */
function isCalendarDate(date: string): boolean {
  if (!DATE_SHAPE.test(date))
    return true
  const [y, m, d = 1] = date.split('-').map(n => Number.parseInt(n, 10))
  const t = new Date(Date.UTC(y!, m! - 1, d))
  return t.getUTCFullYear() === y && t.getUTCMonth() === m! - 1 && t.getUTCDate() === d
}

export const talkSchema = z.object({
  /** YYYY-MM-DD, or YYYY-MM when only the month is known. */
  date: z.string()
    .regex(DATE_SHAPE, 'must be YYYY-MM-DD (or YYYY-MM when the day is unknown)')
    .refine(isCalendarDate, {
      error: iss => `${String(iss.input)} is not a calendar date`,
    }),
  dateStatus: dateStatus.default('confirmed'),
  /** Why the date is inferred or unconfirmed; required unless confirmed. */
  dateNote: z.string().optional(),
  lang: z.string().regex(/^[a-z]{2}(-[A-Z]{2})?$/, 'must be a language tag such as ja or en').default('ja'),
  event: z.object({
    name: z.string().min(1, 'must not be empty'),
    url: optionalUrl,
    /** The event's hashtag, shown in every slide's footer ("#serverlessjp"); empty when not known. */
    hashtag: z.union([
      z.string().regex(/^#[\p{L}\p{N}_]+$/u, 'must be one hashtag such as #serverlessjp'),
      z.literal(''),
      z.null(),
    ]).optional().transform(v => v || undefined),
  }),
  /** Length of the speaking slot in minutes. */
  slot: z.number().int().positive().max(600),
  /** Minutes of the slot kept for questions: the pace plan fits the talk into slot - questions. */
  questions: z.number().min(0).default(0),
  /** What the notes are; a reconstruction also says from what (provenanceNote). */
  provenance: provenance.default('transcript'),
  provenanceNote: z.string().optional(),
  speaker: z.string().refine(h => h in config.speakers, {
    error: iss => `unknown speaker "${String(iss.input)}": add it to speakers in toolkit.config.ts (known: ${Object.keys(config.speakers).join(', ')})`,
  }),
  description: z.string().optional(),
  tags: z.array(z.string()).max(10).default([]),
  links: z.object({
    docswell: optionalUrl,
    video: optionalUrl,
    blog: optionalUrl,
  }).default({ docswell: undefined, video: undefined, blog: undefined }),
}).superRefine((t, ctx) => {
  if (t.provenance === 'reconstruction' && !t.provenanceNote) {
    ctx.addIssue({
      code: 'custom',
      path: ['provenanceNote'],
      message: 'required when provenance is reconstruction: say from what the notes were rebuilt',
    })
  }
  if (t.questions >= t.slot) {
    ctx.addIssue({
      code: 'custom',
      path: ['questions'],
      message: `must be less than slot (${t.slot} minutes): it is the part of the slot kept for questions`,
    })
  }
  if (t.dateStatus !== 'confirmed' && !t.dateNote) {
    ctx.addIssue({
      code: 'custom',
      path: ['dateNote'],
      message: `required when dateStatus is ${t.dateStatus}: say what is known and why`,
    })
  }
  if (t.dateStatus === 'confirmed' && t.date.length !== 10) {
    ctx.addIssue({
      code: 'custom',
      path: ['date'],
      message: 'a confirmed date needs the day (YYYY-MM-DD)',
    })
  }
})

export const headmatterSchema = z.object({
  title: z.string().min(1, 'must not be empty'),
  talk: talkSchema,
}).loose()

export type Talk = z.output<typeof talkSchema>
export type Headmatter = z.output<typeof headmatterSchema>

export interface MetaIssue {
  /** Dotted path of the field inside the headmatter, e.g. talk.event.name */
  field: string
  message: string
}

export function validateHeadmatter(data: unknown): { ok: true, value: Headmatter } | { ok: false, issues: MetaIssue[] } {
  const result = headmatterSchema.safeParse(data ?? {})
  if (result.success)
    return { ok: true, value: result.data }
  return {
    ok: false,
    issues: result.error.issues.map((i) => {
      const value = valueAt(data, i.path)
      return {
        field: i.path.map(String).join('.') || '(headmatter)',
        message: value === undefined && i.code === 'invalid_type'
          ? 'is required'
          : `${i.message}${i.code === 'invalid_type'
            ? ` (got ${JSON.stringify(value)})`
            : ''}`,
      }
    }),
  }
}

function valueAt(data: unknown, path: PropertyKey[]): unknown {
  let v: any = data
  for (const key of path) {
    v = v == null
      ? undefined
      : v[key as string]
  }
  return v
}

/** Japanese date of a talk (2024年9月20日); it lives with the theme, which shows it on title slides. */
export { formatJapaneseDate } from '../../components/house-style.ts'
