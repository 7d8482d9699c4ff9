import type { Deck } from '../decks.ts'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { builtBase, explainBuildFailure } from './index.ts'

const deck = { slug: '2024-09-20-x' } as Deck

describe('builtBase', () => {
  it('reads the base path a build was made for from its index.html', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pdf-base-'))
    writeFileSync(join(dir, 'index.html'), '<script type="module" crossorigin src="/talks/2024-09-20-x/assets/index-AbC.js"></script>')
    expect(builtBase(dir)).toBe('/talks/2024-09-20-x/')
  })
})

describe('explainBuildFailure', () => {
  it('names the slide of an unresolved image from Slidev\'s per-slide module name', () => {
    const out = [
      'Build failed with 1 error:',
      '',
      '\u001B[31m[UNRESOLVED_IMPORT] \u001B[0mCould not resolve \'/photo.png\' in decks/x/slides.md__slidev_7.md',
      '    at aggregateBindingErrorsIntoJsError (file:///x.mjs:1:1)',
    ].join('\n')
    const msg = explainBuildFailure(deck, out)
    expect(msg).toMatch(/^deck 2024-09-20-x: slidev build failed/)
    expect(msg).toContain('slide 7: Could not resolve \'/photo.png\'')
    expect(msg).not.toContain('aggregateBindingErrorsIntoJsError')
  })

  it('says when no slide can be named', () => {
    expect(explainBuildFailure(deck, 'Error: out of memory')).toContain('slide unknown: Error: out of memory')
  })
})
