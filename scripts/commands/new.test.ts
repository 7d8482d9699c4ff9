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

  it('writes the hashtag and provenance the footer and the transcript read', () => {
    const dir = scaffoldDeck('tagged', { date: '2026-12-02', event: 'ServerlessDays Tokyo 2026', hashtag: '#serverlessjp' }, parent)
    const [deck] = discoverDecks({ dir: parent })
    expect(deck!.meta.talk.event.hashtag).toBe('#serverlessjp')
    expect(deck!.meta.talk.provenance).toBe('transcript')
    expect(deck!.meta.talk.questions).toBe(0)
    expect(dir).toBe(join(parent, '2026-12-02-tagged'))
    // Left empty, the hashtag is "not known": valid, and no footer hashtag.
    scaffoldDeck('untagged', { date: '2026-12-03' }, parent)
    expect(discoverDecks({ dir: parent }).find(d => d.slug.endsWith('untagged'))!.meta.talk.event.hashtag).toBeUndefined()
  })

  it('scaffolds a reconstruction only with its note, and refuses a malformed hashtag', () => {
    scaffoldDeck('rebuilt', { date: '2026-12-04', provenance: 'reconstruction', provenanceNote: '講演者のアウトラインから再構成' }, parent)
    const [deck] = discoverDecks({ dir: parent })
    expect(deck!.meta.talk).toMatchObject({ provenance: 'reconstruction', provenanceNote: '講演者のアウトラインから再構成' })
    expect(() => scaffoldDeck('no-note', { date: '2026-12-05', provenance: 'reconstruction' }, parent)).toThrow(/talk\.provenanceNote required when provenance is reconstruction/)
    expect(() => scaffoldDeck('bad-tag', { date: '2026-12-06', hashtag: 'serverlessjp' }, parent)).toThrow(/talk\.event\.hashtag must be one hashtag/)
    expect(() => scaffoldDeck('bad-kind', { date: '2026-12-07', provenance: 'guess' as never }, parent)).toThrow(/--provenance must be transcript or reconstruction/)
    expect(readdirSync(parent)).toEqual(['2026-12-04-rebuilt'])
  })
})
