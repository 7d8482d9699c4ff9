/**
 * Slidev's presenter page with the pace guide as a bar above it. Wraps whatever component the
 * presenter route loads, so Slidev's own page (notes, next slide, timer) stays as it is.
 */
import type { Component } from 'vue'
import type { RouteComponent } from 'vue-router'
import { defineComponent, h } from 'vue'

type Loader = () => Promise<RouteComponent | { default: RouteComponent }>

export async function withPaceGuide(load: Loader): Promise<Component> {
  const [mod, guide] = await Promise.all([
    load(),
    import('./PaceGuide.vue'),
  ])
  const Presenter = ('default' in (mod as object)
    ? (mod as { default: RouteComponent }).default
    : mod) as Component
  return defineComponent({
    name: 'PresenterWithPaceGuide',
    setup() {
      return () => h('div', { class: 'talks-pace-presenter' }, [
        h(guide.default),
        h(Presenter),
      ])
    },
  })
}
