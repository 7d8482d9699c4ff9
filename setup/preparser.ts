// Gives every deck the shared theme's offline-safe defaults (fonts, favicon, lang...) before Slidev reads its config.
import { definePreparserSetup } from '@slidev/types'
import { applyThemeDefaults } from '../scripts/lib/theme-defaults.ts'

export default definePreparserSetup(() => [
  {
    name: 'talks-theme-defaults',
    async transformSlide(_content, frontmatter) {
      // Only the headmatter (first slide) carries deck config; Slidev reads it after this hook.
      if ('talk' in frontmatter || 'addons' in frontmatter)
        applyThemeDefaults(frontmatter)
      return undefined
    },
  },
])
