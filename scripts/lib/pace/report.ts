/** `npm run pace` as text: one row per slide, then the totals against the slot and the rate used. */
import type { PaceReport } from './index.ts'
import { countOf } from '../errors.ts'
import { formatDuration, ON_TIME_SECONDS } from './plan.ts'

/** A slide runs over when its rehearsed time (median of the rehearsals) passes its budget by more than this. */
export const OVER_SECONDS = ON_TIME_SECONDS

export function overBy(report: PaceReport, i: number): number | undefined {
  const r = report.rehearsed[i]
  const t = r?.median ?? r?.last
  if (t === undefined)
    return undefined
  const over = t - report.slides[i]!.budget
  return over > OVER_SECONDS
    ? over
    : undefined
}

function cut(s: string, width: number): string {
  const chars = [...s]
  // Japanese characters take two columns in a terminal.
  let w = 0
  let out = ''
  for (const c of chars) {
    const cw = /[\u1100-\u115F\u2E80-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6]/.test(c)
      ? 2
      : 1
    if (w + cw > width - 2) {
      out += '…'
      w += 1
      break
    }
    out += c
    w += cw
  }
  return out + ' '.repeat(Math.max(0, width - w))
}

export function rateLine(report: PaceReport): string {
  const r = report.rate
  return r.source === 'rehearsals'
    ? `${Math.round(r.charsPerMinute)} characters a minute, calibrated: the median of ${countOf(r.rehearsals, 'rehearsal')}`
    : `${Math.round(r.charsPerMinute)} characters a minute (the default: no rehearsal long enough to calibrate from yet)`
}

export function formatPaceReport(report: PaceReport): string {
  const lines: string[] = []
  lines.push(`${report.title} (${report.slug})`)
  lines.push(`  rate: ${rateLine(report)}`)
  lines.push('')
  lines.push(`   #  ${cut('slide', 34)} chars  budget    last  median`)
  let overs = 0
  report.slides.forEach((s, i) => {
    const r = report.rehearsed[i]!
    const over = overBy(report, i)
    if (over !== undefined)
      overs++
    const col = (v: number | undefined) => (v === undefined
      ? '–'
      : formatDuration(v)).padStart(7)
    lines.push(`${String(s.no).padStart(4)}  ${cut(s.title || '(untitled)', 34)}${String(s.chars).padStart(6)} ${formatDuration(s.budget).padStart(7)} ${col(r.last)} ${col(r.median)}${over !== undefined
      ? `  ⚠ over by ${formatDuration(over)}`
      : ''}`)
  })
  const chars = report.slides.reduce((n, s) => n + s.chars, 0)
  const natural = chars / report.rate.charsPerMinute * 60
  lines.push('')
  lines.push(`  notes: ${chars.toLocaleString('en-US')} characters ≈ ${formatDuration(natural)} at this rate`)
  lines.push(`  slot: ${report.slot} min${report.questions
    ? `, ${report.questions} kept for questions`
    : ''} → talk time ${formatDuration(report.total)}; the plan ${report.scale >= 1
    ? 'stretches'
    : 'squeezes'} the notes ×${report.scale.toFixed(2)} to fit it`)
  const last = report.rehearsals[report.rehearsals.length - 1]
  if (last) {
    const diff = last.duration - report.total
    const whole = last.slidesShown >= report.slides.length
    const against = whole
      ? `, ${diff > 0
        ? `${formatDuration(diff)} over`
        : `${formatDuration(-diff)} under`} the talk time`
      : ` for ${last.slidesShown} of ${report.slides.length} slides`
    lines.push(`  last rehearsal (${last.file}): ${formatDuration(last.duration)}${against}${last.rate
      ? `, ${Math.round(last.rate)} characters a minute`
      : ''}`)
  }
  else {
    lines.push('  no rehearsal yet: npm run rehearse -- <deck>')
  }
  if (report.rehearsals.length) {
    lines.push(overs
      ? `  ${countOf(overs, 'slide')} ran over budget in rehearsal (⚠ above)`
      : '  no slide ran over budget in rehearsal')
  }
  return lines.join('\n')
}
