/**
 * A package's `browser` field, honoured for the files it maps. BudouX's ESM build imports
 * `./dom.js`, which loads linkedom (a DOM for Node, about 370 KB of the built chunk) unless the
 * bundler follows its package.json's map to `./dom-browser.js` (the browser's own DOMParser). Vite
 * 8's resolver does not follow it for BudouX, so the audiences that load BudouX at all (Safari and
 * Firefox: setup/main.ts) downloaded linkedom with it, and every build bundled 200 modules of it.
 */
import type { Plugin } from 'vite'
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, isAbsolute, join, relative, resolve } from 'node:path'

/** The folder of an installed package (its exports need not expose package.json). */
function packageDir(name: string, from: string): string {
  let dir = dirname(createRequire(from).resolve(name))
  while (!existsSync(join(dir, 'package.json')) || JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name !== name) {
    const up = dirname(dir)
    if (up === dir)
      throw new Error(`browser-map: no package.json of ${name} above ${createRequire(from).resolve(name)}`)
    dir = up
  }
  return dir
}

/** Redirects relative imports inside `name` that its `browser` field maps to another of its files. */
export function browserMapPlugin(name: string, from = import.meta.url): Plugin {
  const dir = packageDir(name, from)
  const browser = (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { browser?: unknown }).browser
  const map = new Map<string, string>()
  if (browser && typeof browser === 'object') {
    for (const [file, to] of Object.entries(browser as Record<string, unknown>)) {
      if (typeof to === 'string' && file.startsWith('./') && to.startsWith('./'))
        map.set(resolve(dir, file), resolve(dir, to))
    }
  }
  return {
    name: `talks:browser-map:${name}`,
    enforce: 'pre',
    resolveId(source, importer) {
      if (!importer || !source.startsWith('.'))
        return null
      const from = importer.split('?')[0]!
      const inside = relative(dir, from)
      if (inside.startsWith('..') || isAbsolute(inside))
        return null
      return map.get(resolve(dirname(from), source)) ?? null
    },
  }
}
