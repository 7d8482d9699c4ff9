import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { discoverDecks } from '../lib/decks.ts'
import { scaffoldDeck } from './new.ts'

let parent: string
beforeEach(() => {
  parent = mkdtempSync(join(tmpdir(), 'new-'))
})
afterEach(() => rmSync(parent, { recursive: true, force: true }))

describe('npm run new', () => {
  it('scaffolds a deck that discovery accepts, with notes on every slide', () => {
    const dir = scaffoldDeck('edge-functions', {
      title: 'エッジの話: 2026',
      date: '2026-12-01',
      event: 'Tokyo #1',
      slot: 15,
    }, parent)
    expect(dir).toBe(join(parent, '2026-12-01-edge-functions'))
    const [deck] = discoverDecks({ dir: parent })
    expect(deck!.meta.title).toBe('エッジの話: 2026')
    expect(deck!.meta.talk).toMatchObject({
      date: '2026-12-01',
      slot: 15,
      speaker: 'nekoruri',
      event: { name: 'Tokyo #1' },
    })
    expect(existsSync(join(dir, 'README.md'))).toBe(true)
  })

  it('refuses bad slugs, dates, slots and existing folders without leaving anything behind', () => {
    expect(() => scaffoldDeck('Bad Slug', {}, parent)).toThrow(/lowercase/)
    expect(() => scaffoldDeck('ok', { date: '2026/12/01' }, parent)).toThrow(/YYYY-MM-DD/)
    expect(() => scaffoldDeck('ok', { slot: Number.NaN }, parent)).toThrow(/whole number/)
    expect(() => scaffoldDeck('ok', { speaker: 'nobody' }, parent)).toThrow(/unknown speaker "nobody"/)
    scaffoldDeck('ok', { date: '2026-01-01' }, parent)
    expect(() => scaffoldDeck('ok', { date: '2026-01-01' }, parent)).toThrow(/already exists/)
    expect(readdirSync(parent)).toEqual(['2026-01-01-ok'])
  })
})
