import type { Deck } from '../decks.ts'
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { repoRoot } from '../paths.ts'
import { buildInputHash, pdfInputHash } from './cache.ts'

const copies: string[] = []
afterAll(() => copies.forEach(dir => rmSync(dir, { recursive: true, force: true })))

/** A copy of a fixture deck inside the repo (the key records paths relative to it). */
function deckCopy(): Deck {
  mkdirSync(join(repoRoot, '.cache'), { recursive: true })
  const dir = mkdtempSync(join(repoRoot, '.cache', 'pdf-key-'))
  copies.push(dir)
  cpSync(join(repoRoot, 'scripts', 'fixtures', '_pdf-basic'), dir, { recursive: true })
  return {
    slug: '_pdf-basic',
    dir,
    entry: join(dir, 'slides.md'),
    hidden: true,
    meta: {} as Deck['meta'],
  }
}

const root = { base: '/', url: '' }

describe('pdfInputHash', () => {
  it('is the same for the same inputs', () => {
    const deck = deckCopy()
    expect(pdfInputHash(deck, { site: root })).toBe(pdfInputHash(deck, {
      site: { ...root },
    }))
  })

  // Closing slides print the hosted URLs: a PDF made for one site must not be reused for another.
  it('changes with where the site is published', () => {
    const deck = deckCopy()
    const keys = new Set([
      pdfInputHash(deck, { site: root }),
      pdfInputHash(deck, {
        site: { base: '/talks/', url: '' },
      }),
      pdfInputHash(deck, {
        site: { base: '/', url: 'https://talks.example.com' },
      }),
      pdfInputHash(deck, { site: root, perClick: true }),
    ])
    expect(keys.size).toBe(4)
  })

  it('changes when a file of the deck changes', () => {
    const deck = deckCopy()
    const before = pdfInputHash(deck, { site: root })
    writeFileSync(join(deck.dir, 'slides.md'), '\n# added\n', { flag: 'a' })
    expect(pdfInputHash(deck, { site: root })).not.toBe(before)
  })
})

describe('buildInputHash', () => {
  it('keys the exporter\'s own build by the site it links to', () => {
    const deck = deckCopy()
    expect(buildInputHash(deck, root)).toBe(buildInputHash(deck, { ...root }))
    expect(buildInputHash(deck, { base: '/talks/', url: '' })).not.toBe(buildInputHash(deck, root))
  })
})
