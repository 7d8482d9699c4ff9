/**
 * `npm run check -- --render` on a fixture deck with small text and an overflowing line: each found
 * on its slide with file and line; a clean deck renders without findings.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { repoRoot } from '../paths.ts'
import { formatFinding, targetFromDir } from './index.ts'
import { renderCheck } from './render.ts'

const small = join(repoRoot, 'scripts/fixtures/_check-small-text')
const ok = join(repoRoot, 'scripts/fixtures/_check-ok')
const line = readFileSync(join(small, 'slides.md'), 'utf8').split('\n').findIndex(l => l === '# 注記の多いスライド') + 1

describe('check --render', () => {
  it('finds overflow and text below the minimum, naming deck, slide and line; a clean deck has none', async () => {
    const findings = await renderCheck([
      targetFromDir(small),
      targetFromDir(ok),
    ])
    const shown = findings.map(f => formatFinding(f))
    expect(findings.filter(f => f.deck === '_check-ok'), shown.join('\n')).toEqual([])
    const mine = findings.filter(f => f.deck === '_check-small-text')
    expect(mine.map(f => [f.rule, f.file, f.line, f.slide]), shown.join('\n')).toEqual([
      [
        'render/overflow',
        join(small, 'slides.md'),
        line,
        4,
      ],
      [
        'render/text-size',
        join(small, 'slides.md'),
        line,
        4,
      ],
    ])
    expect(mine[0]!.message).toMatch(/1 element overflows the slide with every step shown, e\.g\. <div>この行は折り返されないので.* by \d+ px across: split the slide/)
    expect(mine[1]!.message).toMatch(/1 body text below 24 px on the 980 px canvas, e\.g\. 「この注記は後ろの席からは読めない大きさです」 16 px/)
  })
})
