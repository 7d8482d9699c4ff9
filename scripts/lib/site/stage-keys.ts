/**
 * The keys of the stage cache: for each stage of a deck's pipeline, a hash of what really shapes
 * its output, so an edit re-runs only the stages it can change.
 *
 * - build: the deck's slides without their speaker notes (the public build has none), the deck's
 *   other files except its README.md, the shared components this deck uses (followed through
 *   their imports), the shared styles, setup and config, the lockfile, the scripts that drive
 *   Slidev, and where the site is published.
 * - render (PDF, thumbnails, social card, laid-out text): the build's key and the render code.
 * - fonts: the render key and the subsetting code.
 * - transcript: the deck's Markdown with its notes, the config, the transcript code, where the
 *   site is published and whether the deck has a PDF to link to.
 */
import type { Deck } from '../decks.ts'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { basename, dirname, extname, join, relative, resolve, sep } from 'node:path'
import { parseSync } from '@slidev/parser'
import { repoRoot } from '../paths.ts'
import { hashInputs, listFiles } from './hash.ts'

/** Bumped by hand when a stage's output changes in a way its inputs below do not show. */
const STAGE_FORMAT = {
  build: 'build-v4',
  render: 'render-v2',
  fonts: 'fonts-v2',
  transcript: 'transcript-v2',
}

/** Shared inputs of every deck's build, relative to the repo root. Components are per deck (componentsUsed). */
export const SHARED_BUILD_INPUTS = [
  'layouts',
  'styles',
  'setup',
  'public',
  'global-top.vue',
  'global-bottom.vue',
  // The house-style footer lives in the per-slide layer.
  'slide-top.vue',
  'slide-bottom.vue',
  'package-lock.json',
  'toolkit.config.ts',
  'vite.config.ts',
  'uno.config.ts',
  'scripts/lib/slidev-build.ts',
  // The worker sets up Vite and Slidev for each build (roots, UnoCSS's shared tokens): what it does is in the output.
  'scripts/lib/slidev-build-worker.ts',
  'scripts/lib/unocss-tokens.ts',
  'scripts/lib/slidev.ts',
  'scripts/lib/theme-defaults.ts',
  'scripts/lib/meta.ts',
  'scripts/lib/site/social.ts',
  'scripts/lib/site/html.ts',
  'scripts/lib/site/font-css.ts',
  'scripts/lib/site/font-subset.ts',
  // The reading view's link label is part of the deck's font subset.
  'scripts/lib/site/reading-view.ts',
  'scripts/lib/transcript/provenance.ts',
]

const RENDER_INPUTS = [
  'scripts/lib/pdf/render.ts',
  // How the page is seen while printing (viewport, colour scheme, locale).
  'scripts/lib/pdf/printer.ts',
  'scripts/lib/pdf/document.ts',
  'scripts/lib/pdf/outline.ts',
  'scripts/lib/pdf/slides.ts',
  'scripts/lib/pdf/limits.ts',
  'scripts/lib/site/pictures.ts',
]

const FONT_INPUTS = [
  'scripts/lib/site/font-subset.ts',
]

const TRANSCRIPT_INPUTS = [
  'toolkit.config.ts',
  'scripts/lib/meta.ts',
  'scripts/lib/transcript',
  // The transcript page carries the reading view's script, JSON-LD and social tags.
  'scripts/lib/site/reading-view.ts',
  'scripts/lib/site/jsonld.ts',
  'scripts/lib/site/social.ts',
  'scripts/lib/pace',
  'scripts/lib/site/font-subset.ts',
  'package-lock.json',
]

/**
 * Folders inside a deck that are records about the talk, not inputs of its slides: rehearsals
 * (decks/<slug>/rehearsals/, written by `npm run rehearse`) rebuild no deck and no PDF; they only
 * reach the transcript, whose speaking-time line uses the rate they calibrate.
 */
export const DECK_RECORD_DIRS = ['rehearsals']

/** Files of a deck folder that are not inputs of its slides: the folder's own README and its records. */
function isDeckInput(deckDir: string, file: string): boolean {
  const rel = relative(deckDir, file)
  return rel !== 'README.md' && !DECK_RECORD_DIRS.some(d => rel.startsWith(`${d}${sep}`))
}

/** Shared files Slidev puts around every slide of every deck: their components are every deck's. */
const SHARED_LAYERS = [
  'layouts',
  'setup',
  'global-top.vue',
  'global-bottom.vue',
  'slide-top.vue',
  'slide-bottom.vue',
]

/** A Markdown file's slides as the public build sees them: frontmatter and content, no notes. */
function slidesWithoutNotes(file: string): string {
  const source = readFileSync(file, 'utf8')
  const data = parseSync(source, file)
  return data.slides.map(s => `${s.frontmatterRaw ?? ''}\n---content---\n${s.content}`).join('\n---slide---\n')
}

const TAG = /<([A-Z]\w*|[a-z]\w*(?:-\w+)+)/g
const IMPORT = /(?:from\s+|import\s*\(\s*|import\s+)['"](\.{1,2}\/[^'"]+)['"]/g

function kebab(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase()
}

/**
 * The shared components (and the modules they import) a deck can pull into its build: every
 * component whose tag appears in the deck's files, followed through the components' own tags and
 * relative imports. Slidev bundles only the components a deck uses, so a change to another one
 * cannot change this deck.
 */
export function componentsUsed(deckDir: string, root = repoRoot): string[] {
  const dir = join(root, 'components')
  if (!existsSync(dir))
    return []
  const byTag = new Map<string, string>()
  for (const f of readdirSync(dir).filter(f => f.endsWith('.vue'))) {
    const name = basename(f, '.vue')
    byTag.set(name, join(dir, f))
    byTag.set(kebab(name), join(dir, f))
  }
  const used = new Set<string>()
  const queue: string[] = []
  const visit = (text: string, from?: string) => {
    for (const m of text.matchAll(TAG)) {
      const file = byTag.get(m[1]!)
      if (file && !used.has(file)) {
        used.add(file)
        queue.push(file)
      }
    }
    if (!from)
      return
    for (const m of text.matchAll(IMPORT)) {
      const target = resolve(dirname(from), m[1]!)
      const candidates = extname(target)
        ? [target]
        : [
            `${target}.ts`,
            `${target}.vue`,
            join(target, 'index.ts'),
          ]
      const file = candidates.find(c => existsSync(c))
      if (file && file.startsWith(dir + sep) && !used.has(file)) {
        used.add(file)
        queue.push(file)
      }
    }
  }
  const layers = SHARED_LAYERS.flatMap(p => listFiles(join(root, p)))
  for (const f of [
    ...listFiles(deckDir).filter(f => isDeckInput(deckDir, f)),
    ...layers,
  ].filter(f => /\.(?:md|vue|ts|js)$/.test(f))) {
    visit(readFileSync(f, 'utf8'), f.endsWith('.md')
      ? undefined
      : f)
  }
  for (let f = queue.shift(); f; f = queue.shift())
    visit(readFileSync(f, 'utf8'), f)
  return [...used].sort()
}

export interface StageKeyOptions {
  base: string
  siteUrl: string
  perClick?: boolean
  /** Whether the deck gets a PDF (its transcript links to it). */
  pdf?: boolean
  /** The repository the shared inputs are read from (tests use a temporary one). */
  root?: string
}

export interface StageKeys {
  build: string
  render: string
  /**
   * The render pass for the PDF alone (`npm run export`): no thumbnails or social card. A full
   * render entry (`render`) serves for it too; this one never serves the site.
   */
  renderPdf: string
  fonts: string
  transcript: string
}

export function stageKeys(deck: Pick<Deck, 'dir'>, options: StageKeyOptions): StageKeys {
  const root = options.root ?? repoRoot
  const at = (paths: string[]) => paths.map(p => join(root, p))
  const deckFiles = listFiles(deck.dir).filter(f => isDeckInput(deck.dir, f))
  const markdown = deckFiles.filter(f => f.endsWith('.md'))
  const site = { base: options.base, siteUrl: options.siteUrl }
  const build = hashInputs({
    root,
    paths: [
      ...deckFiles.filter(f => !f.endsWith('.md')),
      ...componentsUsed(deck.dir, root),
      ...at(SHARED_BUILD_INPUTS),
    ],
    extra: {
      format: STAGE_FORMAT.build,
      ...site,
      ...Object.fromEntries(markdown.map(f => [
        `slides ${relative(root, f)}`,
        slidesWithoutNotes(f),
      ])),
    },
  })
  const render = hashInputs({
    root,
    paths: at(RENDER_INPUTS),
    extra: {
      format: STAGE_FORMAT.render,
      build,
      pages: options.perClick ? 'per-click' : 'per-slide',
    },
  })
  const renderPdf = hashInputs({
    root,
    paths: [],
    extra: { render, pictures: 'none' },
  })
  const fonts = hashInputs({
    root,
    paths: at(FONT_INPUTS),
    extra: { format: STAGE_FORMAT.fonts, render },
  })
  const transcript = hashInputs({
    root,
    paths: [
      ...markdown,
      ...DECK_RECORD_DIRS.map(d => join(deck.dir, d)),
      ...at(TRANSCRIPT_INPUTS),
    ],
    extra: {
      format: STAGE_FORMAT.transcript,
      ...site,
      pdf: options.pdf === false
        ? 'no'
        : 'yes',
    },
  })
  return {
    build,
    render,
    renderPdf,
    fonts,
    transcript,
  }
}
