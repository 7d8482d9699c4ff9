/**
 * `npm run pace -- <deck> [--json]`: each slide's notes length, time budget, last and median rehearsed
 * time, the slides that run over, and the totals against the slot with the calibrated speaking rate.
 */
import type { Command } from '../cli.ts'
import { splitArgs, takeFlag } from '../lib/args.ts'
import { decksForCommand } from '../lib/decks.ts'
import { UserError } from '../lib/errors.ts'
import { loadPaceReport } from '../lib/pace/index.ts'
import { formatPaceReport } from '../lib/pace/report.ts'

const pace: Command = {
  summary: 'Time budget per slide from the notes, against the slot and the rehearsals.',
  usage: 'pace [deck...] [--json]',
  async run(argv) {
    const { positionals, rest } = splitArgs(argv)
    const json = takeFlag(rest, '--json')
    if (rest.length)
      throw new UserError(`pace: unknown option ${rest.join(' ')}\nUsage: npm run ${pace.usage}`)
    const decks = decksForCommand(positionals, 'pace')
    const reports = []
    for (const deck of decks)
      reports.push(await loadPaceReport(deck))
    if (json) {
      console.log(JSON.stringify(reports.length === 1
        ? reports[0]
        : reports, null, 2))
    }
    else {
      console.log(reports.map(formatPaceReport).join('\n\n'))
    }
    for (const m of reports.flatMap(r => r.messages))
      console.error(`⚠ ${m}`)
    // A rehearsal file that cannot be read is an error to fix; a slide the deck no longer has is only news.
    return reports.some(r => r.broken.length)
      ? 1
      : 0
  },
}
export default pace
