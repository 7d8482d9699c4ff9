// Dev server only: the pace guide's plan and rehearsal recording (scripts/lib/pace/server.ts).
import { defineVitePluginsSetup } from '@slidev/types'
import { pacePlugin, REHEARSAL_ENV } from '../scripts/lib/pace/server.ts'

export default defineVitePluginsSetup(options => options.mode === 'dev'
  ? [
      pacePlugin({ entry: options.entry, rehearsal: process.env[REHEARSAL_ENV] === '1' }),
    ]
  : [])
