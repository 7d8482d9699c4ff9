// The presenter route gets the pace guide above Slidev's own presenter view, in the dev server only:
// the audience view, the hosted site and the PDF never load it (the dead branch leaves the build).
import type { RouteComponent } from 'vue-router'
import { defineRoutesSetup } from '@slidev/types'

export default defineRoutesSetup((routes) => {
  if (!import.meta.env.DEV)
    return routes
  return routes.map((route) => {
    const original = route.component
    if (route.name !== 'presenter' || typeof original !== 'function')
      return route
    return {
      ...route,
      component: () => import('../presenter/with-pace-guide.ts').then(m => m.withPaceGuide(original as () => Promise<RouteComponent | { default: RouteComponent }>)),
    }
  })
})
