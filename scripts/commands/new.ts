/** `npm run new -- <slug> [--title T] [--date YYYY-MM-DD] [--event NAME] [--hashtag #TAG] [--provenance …]`: scaffolds decks/<date>-<slug>/ with valid metadata. */
import type { Command } from '../cli.ts'
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import config from '../../toolkit.config.ts'
import { splitArgs, takeOption } from '../lib/args.ts'
import { loadDeck } from '../lib/decks.ts'
import { UserError } from '../lib/errors.ts'
import { decksDir, repoRoot } from '../lib/paths.ts'

export interface NewDeckOptions {
  slug: string
  title?: string
  date?: string
  event?: string
  slot?: number
  speaker?: string
  /** The event's hashtag (#serverlessjp), shown in every slide's footer; empty when unknown. */
  hashtag?: string
  /** What the notes will be: the talk's own words (transcript) or rebuilt afterwards (reconstruction). */
  provenance?: 'transcript' | 'reconstruction'
  /** From what a reconstruction was rebuilt (required for one). */
  provenanceNote?: string
}

/** YAML double-quoted scalar, so titles with colons or # stay strings. */
const q = (s: string) => JSON.stringify(s)

export function deckTemplate(o: Required<Omit<NewDeckOptions, 'slug' | 'provenanceNote'>> & { provenanceNote?: string }): string {
  const note = o.provenanceNote
    ? `\n  provenanceNote: ${q(o.provenanceNote)}`
    : ''
  return `---
title: ${q(o.title)}
info: |
  ${o.title}
# The shared theme (components/, styles/, setup/) is the repo root, added as a Slidev addon.
addons:
  - ..
talk:
  date: ${q(o.date)}
  event:
    name: ${q(o.event)}
    url: ""
    hashtag: ${q(o.hashtag)} # shown in every slide's footer with the event name; "" when the event has none
  slot: ${o.slot}
  questions: 0 # minutes of the slot kept for questions
  speaker: ${o.speaker}
  # transcript: the notes are the talk's own words. reconstruction: rebuilt afterwards (provenanceNote says from what).
  provenance: ${o.provenance}${note}
  lang: ja
  links:
    docswell: ""
    video: ""
    blog: ""
layout: cover
---

# ${o.title}

<!--
表紙には話し手の名前とハンドル(toolkit.config.ts)、イベント名、ハッシュタグ、日付がテーマから入ります。
ここに話す内容を書きます。ノートは発表者ビューに表示され、そのままトークの文章になります。
-->

---
layout: section
---

# 最初のセクション

<!--
セクションの導入で話すこと。
-->

---

# 見出し

- 短いポイント
- もうひとつ

<!--
このスライドで話すこと。
-->
`
}

/** Creates `<parent>/<date>-<slug>/` with slides.md and README.md; returns the new folder. */
export function scaffoldDeck(name: string, o: Partial<Omit<NewDeckOptions, 'slug'>> = {}, parent = decksDir): string {
  const date = o.date ?? new Date().toISOString().slice(0, 10)
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date))
    throw new UserError(`--date must be YYYY-MM-DD, got "${date}"`)
  const short = name.replace(/^\d{4}-\d{2}-\d{2}-/, '')
  if (!/^[a-z0-9][a-z0-9-]*$/.test(short))
    throw new UserError(`slug "${short}" must be lowercase letters, digits and hyphens`)
  const slug = `${date}-${short}`
  const dir = join(parent, slug)
  if (existsSync(dir))
    throw new UserError(`${relative(repoRoot, dir)} already exists`)
  const options = {
    title: o.title ?? short.replace(/-/g, ' '),
    date,
    event: o.event ?? '(イベント名)',
    slot: o.slot ?? 20,
    speaker: o.speaker ?? Object.keys(config.speakers)[0]!,
    hashtag: o.hashtag ?? '',
    provenance: o.provenance ?? 'transcript',
    provenanceNote: o.provenanceNote,
  }
  if (options.provenance !== 'transcript' && options.provenance !== 'reconstruction')
    throw new UserError(`--provenance must be transcript or reconstruction, got "${String(options.provenance)}"`)
  if (!Number.isInteger(options.slot) || options.slot <= 0)
    throw new UserError(`--slot must be a whole number of minutes, got "${o.slot}"`)
  // Write beside, validate, then move into place: a failed scaffold leaves no half-made deck.
  const tmp = join(parent, `.new-${slug}-${process.pid}`)
  mkdirSync(tmp, { recursive: true })
  try {
    writeFileSync(join(tmp, 'slides.md'), deckTemplate(options))
    writeFileSync(join(tmp, 'README.md'), `# ${options.title}\n\n- Event: ${options.event}\n- Date: ${date}\n\n\`npm run dev -- ${short}\`\n`)
    loadDeck(tmp, slug)
    renameSync(tmp, dir)
  }
  finally {
    rmSync(tmp, { recursive: true, force: true })
  }
  return dir
}

const newCommand: Command = {
  summary: 'Scaffold a new talk folder with valid metadata.',
  usage: 'new <slug> [--title T] [--date YYYY-MM-DD] [--event NAME] [--hashtag #TAG] [--slot MIN] [--speaker HANDLE] [--provenance transcript|reconstruction] [--provenance-note TEXT]',
  async run(argv) {
    const { positionals, rest } = splitArgs(argv, [
      '--title',
      '--date',
      '--event',
      '--slot',
      '--speaker',
      '--hashtag',
      '--provenance',
      '--provenance-note',
    ])
    const name = positionals[0]
    if (!name)
      throw new UserError(`usage: npm run new -- ${newCommand.usage.replace(/^new /, '')}`)
    const slot = takeOption(rest, '--slot').value
    const dir = scaffoldDeck(name, {
      title: takeOption(rest, '--title').value,
      date: takeOption(rest, '--date').value,
      event: takeOption(rest, '--event').value,
      slot: slot === undefined
        ? undefined
        : Number(slot),
      speaker: takeOption(rest, '--speaker').value,
      hashtag: takeOption(rest, '--hashtag').value,
      provenance: takeOption(rest, '--provenance').value as NewDeckOptions['provenance'],
      provenanceNote: takeOption(rest, '--provenance-note').value,
    })
    console.log(`✔ created ${relative(repoRoot, dir)}/slides.md\n  present it: npm run dev -- ${name.replace(/^\d{4}-\d{2}-\d{2}-/, '')}`)
  },
}
export default newCommand
