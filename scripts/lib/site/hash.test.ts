import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { deckCacheKey, SHARED_INPUTS } from './hash.ts'

let root: string
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'site-hash-'))
  for (const dir of [
    'decks/a',
    'decks/b',
    'components',
    'styles',
    'setup',
  ])
    mkdirSync(join(root, dir), { recursive: true })
  writeFileSync(join(root, 'decks/a/slides.md'), '# a')
  writeFileSync(join(root, 'decks/b/slides.md'), '# b')
  writeFileSync(join(root, 'components/Box.vue'), '<template><div /></template>')
  writeFileSync(join(root, 'styles/theme.css'), ':root{}')
  writeFileSync(join(root, 'package-lock.json'), '{}')
})
afterEach(() => rmSync(root, { recursive: true, force: true }))

const key = (slug: string, extra = { base: '/' }) => deckCacheKey(join(root, 'decks', slug), extra, root)

describe('deck cache key', () => {
  it('is stable while nothing changes', () => {
    expect(key('a')).toBe(key('a'))
    expect(key('a')).not.toBe(key('b'))
  })

  it('changes only for the deck whose folder changed', () => {
    const [a, b] = [
      key('a'),
      key('b'),
    ]
    writeFileSync(join(root, 'decks/a/image.svg'), '<svg/>')
    expect(key('a')).not.toBe(a)
    expect(key('b')).toBe(b)
  })

  it('changes for every deck when a shared component, style or the lockfile changes', () => {
    for (const file of [
      'components/Box.vue',
      'styles/theme.css',
      'package-lock.json',
      'setup/main.ts',
      'toolkit.config.ts',
    ]) {
      const [a, b] = [
        key('a'),
        key('b'),
      ]
      writeFileSync(join(root, file), `changed ${file}`)
      expect(key('a'), file).not.toBe(a)
      expect(key('b'), file).not.toBe(b)
    }
  })

  it('changes with the base path or site URL', () => {
    expect(key('a', { base: '/' })).not.toBe(key('a', { base: '/talks/' }))
  })

  it('ignores node_modules, tests and logs', () => {
    const a = key('a')
    mkdirSync(join(root, 'decks/a/node_modules/x'), { recursive: true })
    writeFileSync(join(root, 'decks/a/node_modules/x/i.js'), '1')
    writeFileSync(join(root, 'components/Box.test.ts'), 'test')
    writeFileSync(join(root, 'decks/a/build.log'), 'log')
    expect(key('a')).toBe(a)
  })

  it('ignores rehearsal records: adding one rebuilds no deck', () => {
    const a = key('a')
    mkdirSync(join(root, 'decks/a/rehearsals'), { recursive: true })
    writeFileSync(join(root, 'decks/a/rehearsals/20261201T050000Z.json'), '{"format":1}')
    expect(key('a')).toBe(a)
    // A folder of that name is only skipped as a whole: a file named so still counts.
    writeFileSync(join(root, 'decks/a/rehearsals.md'), 'notes')
    expect(key('a')).not.toBe(a)
  })

  it('covers the toolkit scripts that shape the output', () => {
    expect(SHARED_INPUTS).toEqual(expect.arrayContaining([
      'components',
      'styles',
      'setup',
      'package-lock.json',
      'toolkit.config.ts',
      'scripts/lib/site',
      'scripts/lib/theme-defaults.ts',
    ]))
  })

  it('changes when the shared slide layers or layouts change (the house-style footer, cover and section)', () => {
    const before = key('a')
    writeFileSync(join(root, 'slide-bottom.vue'), '<template><footer /></template>')
    const withFooter = key('a')
    expect(withFooter).not.toBe(before)
    mkdirSync(join(root, 'layouts'))
    writeFileSync(join(root, 'layouts/cover.vue'), '<template><div /></template>')
    expect(key('a')).not.toBe(withFooter)
  })
})
