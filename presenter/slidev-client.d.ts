/**
 * The part of @slidev/client's public API (its index.ts) the presenter pieces use. @slidev/client
 * ships TypeScript sources that do not typecheck under this repo's strict settings, so tsconfig.json
 * maps the import here for vue-tsc; Vite still loads the real module.
 */
import type { ComputedRef, Ref } from 'vue'

export interface SharedTimer {
  status: 'stopped' | 'running' | 'paused'
  slides: Record<number, { start?: number, end?: number }>
  startedAt: number
  pausedAt: number
}

export declare const sharedState: { page: number, clicks: number, timer: SharedTimer }

export declare function useNav(): {
  currentSlideNo: ComputedRef<number>
  total: ComputedRef<number>
  isPresenter: ComputedRef<boolean>
  clicks: Ref<number>
}
