/**
 * The presenter route with the pace guide above Slidev's own presenter page. Reached only through the
 * dev server's virtual module (scripts/lib/pace/server.ts), so a build has no trace of it.
 */
import type { RouteComponent, RouteRecordRaw } from 'vue-router'

type Loader = () => Promise<RouteComponent | { default: RouteComponent }>

export default function paceRoutes(routes: RouteRecordRaw[]): RouteRecordRaw[] {
  return routes.map((route) => {
    const original = route.component
    if (route.name !== 'presenter' || typeof original !== 'function')
      return route
    return {
      ...route,
      component: () => import('./with-pace-guide.ts').then(m => m.withPaceGuide(original as Loader)),
    } as RouteRecordRaw
  })
}
