// The pace guide: its presenter routes in every mode (empty in a build) and, in the dev server, the
// plan and rehearsal endpoints (scripts/lib/pace/server.ts).
import { defineVitePluginsSetup } from '@slidev/types'
import { pacePlugin, paceRoutesPlugin, REHEARSAL_ENV } from '../scripts/lib/pace/server.ts'

export default defineVitePluginsSetup(options => [
  paceRoutesPlugin(options.mode),
  ...(options.mode === 'dev'
    ? [
        pacePlugin({ entry: options.entry, rehearsal: process.env[REHEARSAL_ENV] === '1' }),
      ]
    : []),
])
