/**
 * `npm run rehearse -- <deck> [dev options]`: the dev server in rehearsal mode. The presenter view's
 * pace guide records every slide change on its clock and, when the rehearsal ends (or the page
 * closes), the dev server writes it to decks/<slug>/rehearsals/<start>.json. `npm run dev` records nothing.
 */
import type { Command } from '../cli.ts'
import { relative } from 'node:path'
import { splitArgs } from '../lib/args.ts'
import { decksForCommand } from '../lib/decks.ts'
import { UserError } from '../lib/errors.ts'
import { REHEARSAL_ENV } from '../lib/pace/server.ts'
import { rehearsalsDir } from '../lib/pace/store.ts'
import { repoRoot } from '../lib/paths.ts'
import dev, { VALUED } from './dev.ts'

const rehearse: Command = {
  summary: 'Rehearse a deck: the dev server records each slide\'s time to decks/<slug>/rehearsals/.',
  usage: 'rehearse <deck> [--port N] [--open] [other slidev options]',
  async run(argv) {
    const { positionals, rest } = splitArgs(argv, VALUED)
    if (positionals.length !== 1)
      throw new UserError(`rehearse takes one deck: npm run ${rehearse.usage}`)
    const [deck] = decksForCommand(positionals, 'rehearse')
    console.log([
      `● Rehearsal of ${deck!.meta.title}: open /presenter, press P to start the clock (P again pauses it).`,
      `  "End rehearsal" in the pace guide (or closing the page) writes ${relative(repoRoot, rehearsalsDir(deck!.dir))}/<start time>.json.`,
    ].join('\n'))
    process.env[REHEARSAL_ENV] = '1'
    return await dev.run([deck!.slug, ...rest])
  },
}
export default rehearse
