import type { Command } from '../cli.ts'
import type { Deck } from '../lib/decks.ts'
import { takeFlag } from '../lib/args.ts'
import { scanDecks } from '../lib/decks.ts'

export function formatDeckLine(deck: Deck, index?: number): string {
  const { talk, title } = deck.meta
  const date = talk.dateStatus === 'confirmed'
    ? talk.date
    : `${talk.date} (${talk.dateStatus})`
  const n = index === undefined
    ? ''
    : `${String(index + 1).padStart(2)}) `
  return `${n}${deck.slug}\n      ${title} / ${date} / ${talk.event.name}`
}

const list: Command = {
  summary: 'List the decks: slug, title, date, event.',
  usage: 'list [--all]   (--all includes _gallery and fixtures)',
  async run(argv) {
    const scan = scanDecks({
      hidden: takeFlag(argv, '--all'),
    })
    scan.decks.forEach((d, i) => console.log(formatDeckLine(d, i)))
    for (const e of scan.invalid.values())
      console.error(`✖ ${e.message}`)
    return scan.invalid.size ? 1 : 0
  },
}
export default list
