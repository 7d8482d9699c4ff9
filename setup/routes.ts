// The presenter route gets the pace guide above Slidev's presenter view in the dev server only. The
// virtual module is the dev server's (scripts/lib/pace/server.ts); in a build it changes nothing, so
// the audience view, the hosted site and the PDF have no trace of the guide.
import { defineRoutesSetup } from '@slidev/types'
import paceRoutes from 'virtual:talks-pace-routes'

export default defineRoutesSetup(routes => paceRoutes(routes))
