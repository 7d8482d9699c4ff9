/**
 * What the theme's components read from Slidev, by Slidev's own injection keys (the string values of
 * @slidev/client's constants), typed down to the fields used. Injected rather than imported from
 * @slidev/client so the components mount in component tests with a plain `provide`.
 */
import type { Ref } from 'vue'
import type { SlideLike, TalkLike } from './house-style.ts'
import { computed, inject } from 'vue'

export interface SlidevContextLike {
  nav?: { slides?: readonly SlideLike[], total?: number }
  configs?: { title?: string, talk?: TalkLike }
}

export const SLIDEV_CONTEXT = '$$slidev-context'
export const SLIDEV_PAGE = '$$slidev-page'
export const SLIDEV_FRONTMATTER = '$$slidev-fontmatter' // sic: Slidev's key is spelled so

/** The deck's context, the number of the slide being rendered, and that slide's frontmatter. */
export function useSlideInfo() {
  const context = inject<SlidevContextLike | undefined>(SLIDEV_CONTEXT, undefined)
  const page = inject<Ref<number> | undefined>(SLIDEV_PAGE, undefined)
  const frontmatter = inject<Record<string, unknown> | undefined>(SLIDEV_FRONTMATTER, undefined)
  return {
    talk: computed(() => context?.configs?.talk),
    slides: computed(() => context?.nav?.slides ?? []),
    total: computed(() => context?.nav?.total ?? context?.nav?.slides?.length ?? 0),
    page: computed(() => page?.value ?? 0),
    frontmatter: computed(() => frontmatter ?? {}),
  }
}
