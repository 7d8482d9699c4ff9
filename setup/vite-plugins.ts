// The pace guide: its presenter routes in every mode (empty in a build) and, in the dev server, the
// plan and rehearsal endpoints (scripts/lib/pace/server.ts). BudouX resolved as its package.json
// says for browsers (browser-map.ts).
import { defineVitePluginsSetup } from '@slidev/types'
import { pacePlugin, paceRoutesPlugin, REHEARSAL_ENV } from '../scripts/lib/pace/server.ts'
import { browserMapPlugin } from './browser-map.ts'

export default defineVitePluginsSetup(options => [
  browserMapPlugin('budoux'),
  paceRoutesPlugin(options.mode),
  ...(options.mode === 'dev'
    ? [
        pacePlugin({ entry: options.entry, rehearsal: process.env[REHEARSAL_ENV] === '1' }),
      ]
    : []),
])
