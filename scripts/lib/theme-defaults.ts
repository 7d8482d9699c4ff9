/**
 * Slidev settings every deck gets unless its headmatter says otherwise. Slidev's own defaults
 * fetch fonts from Google Fonts, the favicon from a CDN and diagrams from a PlantUML server:
 * on a stage with no Wi-Fi those requests stall or fail, so the shared theme turns them off.
 * Applied by setup/preparser.ts; kept here so scripts and tests read the same values.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { repoRoot } from './paths.ts'

export const FONT_SANS = 'BIZ UDPGothic'
export const FONT_MONO = 'JetBrains Mono'

export function faviconDataUri(): string {
  const svg = readFileSync(join(repoRoot, 'styles/favicon.svg'), 'utf8').trim()
  return `data:image/svg+xml,${encodeURIComponent(svg)}`
}

export function themeDefaults(lang = 'ja'): Record<string, unknown> {
  return {
    fonts: {
      // Self-hosted from @fontsource (imported by styles/index.ts), never a web font service.
      provider: 'none',
      sans: `${FONT_SANS}`,
      mono: `${FONT_MONO}`,
      local: `${FONT_SANS},${FONT_MONO}`,
      weights: '400,700',
    },
    favicon: faviconDataUri(),
    htmlAttrs: { lang },
    remoteAssets: false,
    plantUmlServer: '',
    // Monaco's editor and its type acquisition are heavy and unused by talks.
    monaco: false,
    mcp: false,
    // Keeps Slidev's /export print page in built sites, so PDFs print from the built site in one pass.
    browserExporter: true,
    // The presenter view (notes, timer, slide control) exists only in `npm run dev`: the public build has none.
    presenter: 'dev',
    colorSchema: 'auto',
    aspectRatio: '16/9',
    canvasWidth: 980,
    transition: 'fade',
    selectable: true,
    highlighter: 'shiki',
  }
}

/** Fills in what the headmatter leaves unset (a shallow merge; objects merge one level). */
export function applyThemeDefaults(headmatter: Record<string, any>): Record<string, any> {
  const lang = headmatter.talk?.lang ?? 'ja'
  for (const [key, value] of Object.entries(themeDefaults(lang))) {
    const own = headmatter[key]
    if (own === undefined) {
      headmatter[key] = value
    }
    else if (value && typeof value === 'object' && own && typeof own === 'object' && !Array.isArray(own)) {
      headmatter[key] = {
        ...value,
        ...own,
      }
    }
  }
  return headmatter
}
