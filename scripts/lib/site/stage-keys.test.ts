import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { componentsUsed, SHARED_BUILD_INPUTS, stageKeys } from './stage-keys.ts'

let root: string
function slides(title: string, note: string) {
  return `---
title: ${title}
---

# ${title}

<Box />

<!--
${note}
-->

---

# two

<!--
two's note
-->
`
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'stage-keys-'))
  for (const dir of [
    'decks/a',
    'decks/b',
    'components',
    'styles',
    'setup',
  ])
    mkdirSync(join(root, dir), { recursive: true })
  writeFileSync(join(root, 'decks/a/slides.md'), slides('a', 'a note'))
  writeFileSync(join(root, 'decks/a/README.md'), '# about a')
  writeFileSync(join(root, 'decks/b/slides.md'), '# b\n\n<other-chart />\n')
  writeFileSync(join(root, 'components/Box.vue'), '<script setup>\nimport { size } from \'./kit\'\n</script>\n<template><DiagramArrow /></template>')
  writeFileSync(join(root, 'components/DiagramArrow.vue'), '<template><svg /></template>')
  writeFileSync(join(root, 'components/kit.ts'), 'export const size = 1')
  writeFileSync(join(root, 'components/OtherChart.vue'), '<template><div /></template>')
  writeFileSync(join(root, 'components/Unused.vue'), '<template><div /></template>')
  writeFileSync(join(root, 'styles/theme.css'), ':root{}')
  writeFileSync(join(root, 'package-lock.json'), '{}')
})
afterEach(() => rmSync(root, { recursive: true, force: true }))

function keys(slug: string, extra: { base?: string, siteUrl?: string, perClick?: boolean } = {}) {
  return stageKeys({
    dir: join(root, 'decks', slug),
  }, {
    base: '/',
    siteUrl: '',
    root,
    ...extra,
  })
}

/** Which stages' keys differ between two snapshots. */
function changed(before: ReturnType<typeof keys>, after: ReturnType<typeof keys>): string[] {
  return (Object.keys(before) as (keyof typeof before)[]).filter(k => before[k] !== after[k])
}

describe('stage keys', () => {
  it('are stable while nothing changes, and differ between decks', () => {
    expect(keys('a')).toEqual(keys('a'))
    expect(keys('a').build).not.toBe(keys('b').build)
  })

  it('a notes-only edit changes the transcript\'s key and nothing else', () => {
    const before = keys('a')
    writeFileSync(join(root, 'decks/a/slides.md'), slides('a', 'a reworded note, much longer than before'))
    expect(changed(before, keys('a'))).toEqual(['transcript'])
  })

  it('an edit to a slide changes every stage of that deck only', () => {
    const [a, b] = [
      keys('a'),
      keys('b'),
    ]
    writeFileSync(join(root, 'decks/a/slides.md'), slides('a, renamed', 'a note'))
    expect(changed(a, keys('a'))).toEqual([
      'build',
      'render',
      'renderPdf',
      'fonts',
      'transcript',
    ])
    expect(changed(b, keys('b'))).toEqual([])
  })

  it('the deck\'s README.md changes nothing', () => {
    const before = keys('a')
    writeFileSync(join(root, 'decks/a/README.md'), '# about a, edited')
    expect(changed(before, keys('a'))).toEqual([])
  })

  it('a shared component changes the decks that use it (through other components and imports), no other', () => {
    expect(componentsUsed(join(root, 'decks/a'), root).map(f => f.slice(root.length + 1))).toEqual([
      'components/Box.vue',
      'components/DiagramArrow.vue',
      'components/kit.ts',
    ])
    for (const [file, affected] of [
      [
        'components/Box.vue',
        ['a'],
      ],
      [
        'components/DiagramArrow.vue',
        ['a'],
      ],
      [
        'components/kit.ts',
        ['a'],
      ],
      [
        'components/OtherChart.vue',
        ['b'],
      ],
      ['components/Unused.vue', []],
    ] as const) {
      const [a, b] = [
        keys('a'),
        keys('b'),
      ]
      appendFileSync(join(root, file), '\n// changed\n')
      const rebuilt = [
        ['a', a],
        ['b', b],
      ].filter(([slug, k]) => keys(slug as string).build !== (k as typeof a).build).map(([slug]) => slug)
      expect(rebuilt, file).toEqual(affected)
    }
  })

  it('a shared style, setup file, the lockfile or the config rebuild every deck', () => {
    for (const file of [
      'styles/theme.css',
      'package-lock.json',
      'setup/main.ts',
      'toolkit.config.ts',
    ]) {
      const [a, b] = [
        keys('a'),
        keys('b'),
      ]
      writeFileSync(join(root, file), `changed ${file}`)
      expect(keys('a').build, file).not.toBe(a.build)
      expect(keys('b').build, file).not.toBe(b.build)
    }
  })

  it('change with the base path or site URL; per-click pages change the render only', () => {
    expect(keys('a', { base: '/talks/' }).build).not.toBe(keys('a').build)
    expect(keys('a', { siteUrl: 'https://talks.example' }).transcript).not.toBe(keys('a').transcript)
    expect(changed(keys('a'), keys('a', { perClick: true }))).toEqual(['render', 'renderPdf', 'fonts'])
  })

  it('ignore node_modules, tests and logs', () => {
    const before = keys('a')
    mkdirSync(join(root, 'decks/a/node_modules/x'), { recursive: true })
    writeFileSync(join(root, 'decks/a/node_modules/x/i.js'), '1')
    writeFileSync(join(root, 'components/Box.test.ts'), 'test')
    writeFileSync(join(root, 'decks/a/build.log'), 'log')
    expect(keys('a')).toEqual(before)
  })

  it('a rehearsal record re-runs the transcript (its calibrated rate) and rebuilds no deck or PDF', () => {
    const before = keys('a')
    mkdirSync(join(root, 'decks/a/rehearsals'), { recursive: true })
    writeFileSync(join(root, 'decks/a/rehearsals/20261201T050000Z.json'), '{"format":1}')
    expect(changed(before, keys('a'))).toEqual(['transcript'])
    // A folder of that name is only skipped as a whole: a file named so still counts.
    const withRecord = keys('a')
    writeFileSync(join(root, 'decks/a/rehearsals.md'), 'notes')
    expect(keys('a').build).not.toBe(withRecord.build)
  })

  it('the shared slide layers and layouts, and the components they use, rebuild every deck', () => {
    let [a, b] = [
      keys('a'),
      keys('b'),
    ]
    writeFileSync(join(root, 'slide-bottom.vue'), '<template><TalkFooter /></template>')
    expect(keys('a').build).not.toBe(a.build)
    expect(keys('b').build).not.toBe(b.build);
    [a, b] = [
      keys('a'),
      keys('b'),
    ]
    writeFileSync(join(root, 'components/TalkFooter.vue'), '<template><footer /></template>')
    expect(keys('a').build).not.toBe(a.build)
    expect(keys('b').build).not.toBe(b.build);
    [a, b] = [
      keys('a'),
      keys('b'),
    ]
    mkdirSync(join(root, 'layouts'))
    writeFileSync(join(root, 'layouts/cover.vue'), '<template><div /></template>')
    expect(keys('a').build).not.toBe(a.build)
    expect(keys('b').build).not.toBe(b.build)
  })

  it('cover the toolkit scripts that shape the build', () => {
    expect(SHARED_BUILD_INPUTS).toEqual(expect.arrayContaining([
      'styles',
      'setup',
      'package-lock.json',
      'toolkit.config.ts',
      'scripts/lib/slidev-build.ts',
      'scripts/lib/theme-defaults.ts',
    ]))
  })
})
