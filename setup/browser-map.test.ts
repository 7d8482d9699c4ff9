import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { browserMapPlugin } from './browser-map.ts'

type Resolve = (source: string, importer?: string) => string | null

describe('browserMapPlugin', () => {
  const root = mkdtempSync(join(tmpdir(), 'browser-map-'))
  afterAll(() => rmSync(root, { recursive: true, force: true }))

  it('sends BudouX\'s DOM module to its browser build, which exists', () => {
    const plugin = browserMapPlugin('budoux')
    const resolveId = plugin.resolveId as Resolve
    const dir = join(import.meta.dirname, '..', 'node_modules', 'budoux', 'module')
    const to = resolveId('./dom.js', join(dir, 'html_processor.js'))
    expect(to).toBe(join(dir, 'dom-browser.js'))
    expect(existsSync(to!)).toBe(true)
    // A query on the importer (Vite's ?v=…) does not hide it.
    expect(resolveId('./dom.js', `${join(dir, 'html_processor.js')}?v=1`)).toBe(join(dir, 'dom-browser.js'))
  })

  it('leaves alone what the map does not name, and the same name outside the package', () => {
    const resolveId = browserMapPlugin('budoux').resolveId as Resolve
    const dir = join(import.meta.dirname, '..', 'node_modules', 'budoux', 'module')
    expect(resolveId('./parser.js', join(dir, 'index.js'))).toBeNull()
    expect(resolveId('./dom.js', join(root, 'module', 'html_processor.js'))).toBeNull()
    expect(resolveId('budoux', join(dir, 'index.js'))).toBeNull()
    expect(resolveId('./dom.js')).toBeNull()
  })

  it('reads any package\'s map, and fails naming a package it cannot find', () => {
    const pkg = join(root, 'node_modules', 'mapped')
    mkdirSync(join(pkg, 'lib'), { recursive: true })
    writeFileSync(join(pkg, 'package.json'), JSON.stringify({
      name: 'mapped',
      main: './lib/index.js',
      browser: { './lib/node.js': './lib/web.js', './lib/gone.js': false },
    }))
    writeFileSync(join(pkg, 'lib', 'index.js'), '')
    const from = pathToFileURL(join(root, 'entry.js')).href
    const resolveId = browserMapPlugin('mapped', from).resolveId as Resolve
    expect(resolveId('./node.js', join(pkg, 'lib', 'index.js'))).toBe(join(pkg, 'lib', 'web.js'))
    expect(resolveId('./gone.js', join(pkg, 'lib', 'index.js'))).toBeNull()
    expect(() => browserMapPlugin('not-installed-anywhere', from)).toThrow(/not-installed-anywhere/)
  })
})
