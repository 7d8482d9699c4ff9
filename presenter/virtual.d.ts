/** The dev server's presenter routes (scripts/lib/pace/server.ts): the pace guide in dev, nothing in a build. */
declare module 'virtual:talks-pace-routes' {
  import type { RouteRecordRaw } from 'vue-router'

  const paceRoutes: (routes: RouteRecordRaw[]) => RouteRecordRaw[]
  export default paceRoutes
}
