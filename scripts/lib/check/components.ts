/**
 * What a deck can use, as Slidev resolves it: components (the deck's and every addon's `components/`,
 * the theme's, Slidev's built-ins, icons of the installed Iconify collections) and layouts (Slidev's,
 * the theme's, every root's `layouts/`). And what the repo's own components do with the props a slide
 * gives them: each used component is rendered once in Node with Vue's server renderer (Vue's own prop
 * validation, so a wrong prop type is Vue's warning, word for word), recording its click steps and
 * whether it draws anything before the first click. The components are compiled once per change of
 * their sources into `.cache/check/` and every render's result is kept there, so an unchanged deck
 * costs a cache read.
 */
import type { ComponentSteps, ComponentUse } from './clicks.ts'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { basename, dirname, extname, join, relative, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { repoRoot } from '../paths.ts'
import { UNKNOWN } from './template.ts'

const require = createRequire(import.meta.url)
const slidevClient = dirname(require.resolve('@slidev/client/package.json'))

export const cacheDir = join(repoRoot, '.cache/check')

/** Vue's own components and elements that are never resolved from a folder. */
const VUE_BUILTINS = new Set([
  'Transition',
  'TransitionGroup',
  'KeepAlive',
  'Teleport',
  'Suspense',
  'Component',
  'Slot',
  'Template',
  'RouterLink',
  'RouterView',
])
const COMPONENT_EXT = new Set([
  '.vue',
  '.md',
  '.js',
  '.ts',
  '.jsx',
  '.tsx',
])

function filesUnder(dir: string, exts: Set<string>): string[] {
  if (!existsSync(dir))
    return []
  const out: string[] = []
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name)
    if (e.isDirectory() && e.name !== 'node_modules')
      out.push(...filesUnder(p, exts))
    else if (e.isFile() && exts.has(extname(e.name)))
      out.push(p)
  }
  return out
}

function nameOf(file: string): string {
  return basename(file, extname(file)).replace(/(?:^|[-_])(\w)/g, (_, c: string) => c.toUpperCase())
}

export interface Roots {
  /** The deck folder, its addons (resolved), its theme: every folder whose components/ and layouts/ count. */
  roots: string[]
  theme?: string
}

/** An addon or theme named by path rather than by package. */
export function isPathName(name: string): boolean {
  return name.startsWith('.') || name.startsWith('/') || name.startsWith('@/') || (!name.startsWith('@') && name.includes('/'))
}

/**
 * Where Slidev looks for an addon or theme named by path (its createResolver): relative to the folder
 * containing* the deck folder (so `..` in decks/x/slides.md is the repository root), `@/` from the deck.
 */
export function resolvePathName(deckDir: string, name: string): string {
  if (name.startsWith('/'))
    return name
  if (name.startsWith('@/'))
    return resolve(deckDir, name.slice(2))
  return resolve(dirname(deckDir), name)
}

/** The theme's folder: `theme: default` (Slidev's default) → node_modules/@slidev/theme-default; a path as it is. */
export function themeRoot(deckDir: string, theme: unknown): string | undefined {
  const name = typeof theme === 'string' && theme
    ? theme
    : 'default'
  if (name === 'none')
    return undefined
  if (isPathName(name))
    return resolvePathName(deckDir, name)
  for (const pkg of name.startsWith('@') || name.startsWith('slidev-theme-')
    ? [name]
    : [`@slidev/theme-${name}`, `slidev-theme-${name}`]) {
    try {
      return dirname(require.resolve(`${pkg}/package.json`))
    }
    catch {}
  }
  return undefined
}

/** An addon's folder: a path relative to the deck, or an installed package. */
export function addonRoot(deckDir: string, addon: string): string | undefined {
  if (isPathName(addon))
    return resolvePathName(deckDir, addon)
  for (const pkg of addon.startsWith('@') || addon.startsWith('slidev-addon-')
    ? [addon]
    : [`slidev-addon-${addon}`, addon]) {
    try {
      return dirname(require.resolve(`${pkg}/package.json`))
    }
    catch {}
  }
  return undefined
}

export interface Registry {
  components: Map<string, string>
  layouts: Map<string, string>
  iconCollections: string[]
}

/** Components and layouts a deck can use (roots: theme, addons, the deck). */
export function registry(roots: string[]): Registry {
  const components = new Map<string, string>()
  const layouts = new Map<string, string>()
  for (const f of filesUnder(join(slidevClient, 'builtin'), COMPONENT_EXT))
    components.set(nameOf(f), f)
  for (const f of filesUnder(join(slidevClient, 'layouts'), new Set(['.vue'])))
    layouts.set(basename(f, '.vue'), f)
  for (const root of roots) {
    for (const f of filesUnder(join(root, 'components'), COMPONENT_EXT)) {
      if (!/\.test\.[jt]sx?$/.test(f))
        components.set(nameOf(f), f)
    }
    for (const f of filesUnder(join(root, 'layouts'), new Set(['.vue'])))
      layouts.set(basename(f, '.vue'), f)
  }
  const iconDir = join(repoRoot, 'node_modules/@iconify-json')
  const iconCollections = existsSync(iconDir)
    ? readdirSync(iconDir).sort((a, b) => b.length - a.length)
    : []
  return { components, layouts, iconCollections }
}

const iconSets = new Map<string, Set<string>>()
/** `<carbon-arrow-right />`, `<ph-cloud-bold />`: an icon of an installed collection (unplugin-icons, no prefix). */
export function iconExists(reg: Registry, tag: string): boolean | undefined {
  const kebab = tag.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase().replace(/^i-/, '')
  const collection = reg.iconCollections.find(c => kebab.startsWith(`${c}-`))
  if (!collection)
    return undefined
  let set = iconSets.get(collection)
  if (!set) {
    const json = JSON.parse(readFileSync(join(repoRoot, 'node_modules/@iconify-json', collection, 'icons.json'), 'utf8')) as { icons: object, aliases?: object }
    set = new Set([
      ...Object.keys(json.icons),
      ...Object.keys(json.aliases ?? {}),
    ])
    iconSets.set(collection, set)
  }
  return set.has(kebab.slice(collection.length + 1))
}

export function isKnownComponent(reg: Registry, tag: string, pascalName: string): boolean {
  return VUE_BUILTINS.has(pascalName) || reg.components.has(pascalName) || iconExists(reg, tag) === true
}

// ---------------------------------------------------------------------------------------------
// Rendering the repo's components in Node.

/** What one render of a component told: its steps, Vue's warnings, or the error it threw. */
export interface Rendered extends ComponentSteps {
  warnings: string[]
  error?: string
}

interface RenderCache { key: string, renders: Record<string, Rendered> }

function hashFiles(files: string[]): string {
  const h = createHash('sha256')
  for (const f of files.sort()) {
    h.update(relative(repoRoot, f))
    h.update(readFileSync(f))
  }
  h.update(readFileSync(join(repoRoot, 'package-lock.json')))
  return h.digest('hex').slice(0, 16)
}

/**
 * Renders repo components (the .vue files of the given folders, with the toolkit config they read).
 * Results are cached in `.cache/check/render.json` under a key of the sources; the compiled bundle in
 * `.cache/check/components-<key>.mjs`.
 */
export class ComponentRenderer {
  private readonly files: Map<string, string>
  private readonly key: string
  private cache: RenderCache
  private dirty = false
  private loaded?: Promise<Record<string, unknown>>

  constructor(componentFiles: Map<string, string>) {
    this.files = new Map([...componentFiles].filter(([, f]) => f.endsWith('.vue') && !f.startsWith(slidevClient) && f.startsWith(repoRoot) && !f.includes('/node_modules/')))
    const dirs = new Set([
      ...this.files.values(),
    ].map(f => dirname(f)))
    const sources = [...dirs].flatMap(d => filesUnder(d, new Set(['.vue', '.ts'])).filter(x => !/\.test\.ts$/.test(x)))
    sources.push(join(repoRoot, 'toolkit.config.ts'))
    this.key = hashFiles(sources)
    this.cache = { key: this.key, renders: {} }
    const file = join(cacheDir, 'render.json')
    if (existsSync(file)) {
      try {
        const old = JSON.parse(readFileSync(file, 'utf8')) as RenderCache
        if (old.key === this.key)
          this.cache = old
      }
      catch {}
    }
  }

  has(name: string): boolean {
    return this.files.has(name)
  }

  /** Renders `name` with props written in a slide (UNKNOWN values left out); undefined if not a repo component. */
  async render(use: ComponentUse): Promise<Rendered | undefined> {
    if (!this.files.has(use.name))
      return undefined
    const props = Object.fromEntries(Object.entries(use.props).filter(([, v]) => v !== UNKNOWN))
    const id = `${use.name} ${JSON.stringify(props)}`
    const hit = this.cache.renders[id]
    if (hit)
      return hit
    let result: Rendered
    try {
      result = await this.renderNow(use.name, props)
    }
    catch (e) {
      // The components do not compile: reported on the slide that uses them, never cached.
      const message = (e as Error).message.split('\n').slice(0, 3).join(' ').trim()
      return {
        clicks: [],
        visibleAtStart: true,
        warnings: [],
        error: `the repo's components do not compile (${message}); run npm run typecheck`,
      }
    }
    this.cache.renders[id] = result
    this.dirty = true
    return result
  }

  save(): void {
    if (!this.dirty)
      return
    mkdirSync(cacheDir, { recursive: true })
    writeFileSync(join(cacheDir, 'render.json'), JSON.stringify(this.cache))
    this.dirty = false
  }

  private async bundle(): Promise<Record<string, unknown>> {
    const out = join(cacheDir, `components-${this.key}.mjs`)
    if (!existsSync(out) || statSync(out).size === 0) {
      const [{ build }, { default: vue }] = await Promise.all([import('vite'), import('@vitejs/plugin-vue')])
      mkdirSync(cacheDir, { recursive: true })
      const entry = join(cacheDir, `components-${this.key}.entry.ts`)
      writeFileSync(entry, [...this.files].map(([name, file]) => `export { default as ${name} } from ${JSON.stringify(file)}`).join('\n'))
      const result = await build({
        configFile: false,
        root: repoRoot,
        logLevel: 'silent',
        mode: 'development',
        plugins: [
          vue(),
        ],
        build: {
          ssr: entry,
          write: false,
          minify: false,
          rollupOptions: {
            output: { format: 'es', codeSplitting: false } as object,
          },
        },
      })
      const outputs = (Array.isArray(result)
        ? result
        : [result]) as { output: { type: string, code?: string }[] }[]
      const chunk = outputs.flatMap(r => r.output).find(o => o.type === 'chunk')
      mkdirSync(cacheDir, { recursive: true })
      writeFileSync(out, chunk?.code ?? '')
    }
    return await import(pathToFileURL(out).href) as Record<string, unknown>
  }

  private async renderNow(name: string, props: Record<string, unknown>): Promise<Rendered> {
    this.loaded ??= this.bundle()
    this.loaded.catch(() => {
      this.loaded = undefined
    })
    const mod = await this.loaded
    const [{ createSSRApp, h }, { renderToString }, { parse }] = await Promise.all([import('vue'), import('vue/server-renderer'), import('@vue/compiler-dom')])
    const clicks: unknown[] = []
    const warnings: string[] = []
    let error: string | undefined
    const app = createSSRApp({
      render: () => h(mod[name] as never, props),
    })
    const mark = (value: unknown) => {
      if (value === false || value === 'false')
        return {}
      clicks.push(value === undefined || value === true
        ? '+1'
        : value)
      return { 'data-check-click': '' }
    }
    app.directive('click', {
      getSSRProps: b => mark(b.value),
    })
    app.directive('after', {
      getSSRProps: () => mark('+0'),
    })
    app.config.warnHandler = msg => void warnings.push(msg)
    app.config.errorHandler = (e) => {
      error = (e as Error).message
    }
    let html = ''
    // Vue's server renderer reports prop validation outside any app context: straight to console.warn.
    const consoleWarn = console.warn
    console.warn = (...args: unknown[]) => void warnings.push(args.map(String).join(' '))
    try {
      html = await renderToString(app)
    }
    catch (e) {
      error = (e as Error).message
    }
    finally {
      console.warn = consoleWarn
    }
    return {
      clicks,
      visibleAtStart: drawsAtStart(parse(html, {
        onError: () => {},
      }).children),
      warnings: [
        ...new Set(warnings),
      ],
      ...(error
        ? { error }
        : {}),
    }
  }
}

const DRAWN = new Set([
  'rect',
  'text',
  'path',
  'polygon',
  'polyline',
  'line',
  'circle',
  'ellipse',
  'image',
  'img',
  'foreignObject',
])

/** Whether the rendered HTML draws anything outside the parts that wait for a click. */
function drawsAtStart(nodes: readonly { type: number }[]): boolean {
  for (const n of nodes as any[]) {
    if (n.type === 2 && n.content.trim())
      return true
    if (n.type !== 1 || [
      'title',
      'desc',
      'defs',
      'style',
      'script',
    ].includes(n.tag)) {
      continue
    }
    if (n.props.some((p: { name: string }) => p.name === 'data-check-click'))
      continue
    if (DRAWN.has(n.tag) || drawsAtStart(n.children))
      return true
  }
  return false
}
