/**
 * `npm run transcript -- [deck...]`: the talk's transcript from its speaker notes, as a Zenn
 * article, a Hatena Blog post and a page of the hosted site, with a speaking-time estimate.
 */
import type { Command } from '../cli.ts'
import { relative, resolve } from 'node:path'
import { parseOptions } from '../lib/args.ts'
import { assertInsideRepository } from '../lib/check/outside.ts'
import { decksForCommand } from '../lib/decks.ts'
import { countOf } from '../lib/errors.ts'
import { distDir, repoRoot } from '../lib/paths.ts'
import { resolveSiteOptions } from '../lib/site/options.ts'
import { speakingTime, writeTranscripts } from '../lib/transcript/index.ts'

const transcript: Command = {
  summary: 'Write each talk\'s transcript from its notes: Zenn, Hatena Blog and the hosted page.',
  usage: 'transcript [deck...] [--out dir] [--decks-dir dir] [--base /prefix/] [--site-url https://...]   (dist/blog/zenn/articles/, dist/blog/hatena/, dist/<slug>/transcript/)',
  async run(argv) {
    const { positionals, values } = parseOptions('transcript', transcript.usage, argv, {
      'out': { type: 'string' },
      'decks-dir': { type: 'string' },
      'base': { type: 'string' },
      'site-url': { type: 'string' },
    })
    const { out, base } = values
    const siteUrl = values['site-url']
    const decks = decksForCommand(positionals, 'transcribe', { dir: values['decks-dir'] && resolve(values['decks-dir']) })
    // Notes are read through `src:` imports too: nothing outside the repository is read.
    assertInsideRepository(decks)
    const site = resolveSiteOptions({ base, siteUrl })
    const outRoot = out
      ? resolve(out)
      : distDir
    const results = await writeTranscripts(decks, { outRoot, base: site.base, siteUrl: site.url || undefined })
    for (const r of results) {
      const time = speakingTime(r.talk)
      const diff = time.diff === 0
        ? 'on time'
        : time.diff > 0
          ? `${time.diff} min over`
          : `${-time.diff} min under`
      const rate = r.talk.rate
      const source = rate.source === 'rehearsals'
        ? `calibrated from ${countOf(rate.rehearsals, 'rehearsal')}`
        : 'default, no rehearsal yet'
      for (const m of r.talk.rateMessages)
        console.warn(`⚠ ${m}`)
      console.log(`${r.deck.slug}: ${r.talk.chars.toLocaleString('en-US')} characters of notes ≈ ${time.minutes} min at ${Math.round(rate.charsPerMinute)}/min (${source}); slot ${time.slot} min (${diff})`)
      for (const f of r.files)
        console.log(`  ${relative(repoRoot, f)}`)
    }
    return 0
  },
}
export default transcript
