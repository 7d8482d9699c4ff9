/**
 * What every talk deck in decks/ must satisfy (discovered, so a new talk is covered the day it is
 * added): valid metadata, speaker notes on every slide, every section slide followed by content.
 */
import { describe, expect, it } from 'vitest'
import { scanDecks } from '../decks.ts'
import { loadSlides } from '../transcript/model.ts'
import { checkDecks } from './index.ts'

const scan = scanDecks()

describe('talk decks', () => {
  it('all have valid metadata', () => {
    expect([
      ...scan.invalid.values(),
    ].map(e => e.message)).toEqual([])
  })

  for (const deck of scan.decks) {
    describe(deck.slug, async () => {
      const { slides, errors } = await loadSlides(deck.entry, deck.dir)

      it('parses without Slidev errors and has slides', () => {
        expect(errors).toEqual([])
        expect(slides.length).toBeGreaterThan(1)
      })

      it('has non-empty speaker notes on every slide', () => {
        expect(slides.filter(s => !s.prose.length).map(s => `slide ${s.no} ${s.title}`)).toEqual([])
      })

      it('follows every section slide with a content slide', () => {
        const bad = slides.filter((s, i) => s.section && (!slides[i + 1] || slides[i + 1]!.section)).map(s => `slide ${s.no} ${s.title}`)
        expect(bad).toEqual([])
        expect(slides.some(s => s.section)).toBe(true)
      })

      it('passes the static checks without errors', async () => {
        const result = await checkDecks([
          { slug: deck.slug, dir: deck.dir },
        ], { textlint: false })
        expect(result.findings.filter(f => f.severity === 'error').map(f => `${f.line}: ${f.rule} ${f.message}`)).toEqual([])
      })
    })
  }
})
