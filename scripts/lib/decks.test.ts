import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DeckError, decksForCommand, discoverDecks, lineOfField, matchDeck, matchScanned, scanDecks, selectDecks, shortName } from './decks.ts'

function valid(title: string, date: string, extra = '') {
  return `---
title: ${title}
addons:
  - ..
talk:
  date: "${date}"
  event:
    name: Test Event
    url: https://example.com/event
  slot: 20
  speaker: nekoruri
${extra}---

# ${title}

<!--
ノート
-->
`
}

let dir: string
function deck(slug: string, content: string) {
  mkdirSync(join(dir, slug), { recursive: true })
  writeFileSync(join(dir, slug, 'slides.md'), content)
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'decks-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

describe('discoverDecks', () => {
  it('finds decks newest first, with slug from the folder name and hidden decks left out', () => {
    deck('2023-02-16-old-talk', valid('Old', '2023-02-16'))
    deck('2024-09-20-new-talk', valid('New', '2024-09-20'))
    deck('_gallery', valid('Gallery', '2024-01-01'))
    const decks = discoverDecks({ dir })
    expect(decks.map(d => d.slug)).toEqual(['2024-09-20-new-talk', '2023-02-16-old-talk'])
    expect(decks[0]!.meta.title).toBe('New')
    expect(decks[0]!.meta.talk.lang).toBe('ja')
    expect(decks[0]!.meta.talk.dateStatus).toBe('confirmed')
    expect(discoverDecks({ dir, hidden: true }).map(d => d.slug)).toContain('_gallery')
  })

  it('ignores folders starting with a dot and reports a folder without slides.md', () => {
    mkdirSync(join(dir, '.cache'))
    mkdirSync(join(dir, '2024-01-01-empty'))
    expect(() => discoverDecks({ dir })).toThrow(/2024-01-01-empty: no slides\.md/)
  })

  it('names file, line and field of invalid metadata', () => {
    deck('2024-01-01-bad', valid('Bad', '2024-01-01').replace('slot: 20', 'slot: twenty').replace('name: Test Event', 'name: ""'))
    const err = (() => {
      try {
        discoverDecks({ dir })
      }
      catch (e) {
        return e as DeckError
      }
    })()
    expect(err).toBeInstanceOf(DeckError)
    expect(err!.message).toMatch(/2024-01-01-bad\/slides\.md:10: talk\.slot .*got "twenty"/)
    expect(err!.message).toMatch(/slides\.md:8: talk\.event\.name must not be empty/)
  })

  it('requires a note for dates that are not confirmed, and a day for confirmed ones', () => {
    deck('2023-09-unsure', valid('Unsure', '2023-09', '  dateStatus: unconfirmed\n'))
    deck('2023-10-short', valid('Short', '2023-10'))
    const { invalid } = scanDecks({ dir })
    expect(invalid.get('2023-09-unsure')!.message).toMatch(/talk\.dateNote required when dateStatus is unconfirmed/)
    expect(invalid.get('2023-10-short')!.message).toMatch(/talk\.date a confirmed date needs the day/)
  })

  it('rejects an unknown speaker and made-up non-URLs', () => {
    deck('2024-01-01-x', valid('X', '2024-01-01').replace('speaker: nekoruri', 'speaker: someone').replace('url: https://example.com/event', 'url: example.com'))
    const message = scanDecks({ dir }).invalid.get('2024-01-01-x')!.message
    expect(message).toMatch(/talk\.speaker unknown speaker "someone"/)
    expect(message).toMatch(/talk\.event\.url/)
  })

  it('treats empty links as unknown, not as errors', () => {
    deck('2024-01-01-links', valid('Links', '2024-01-01', '  links:\n    docswell: ""\n    video: null\n'))
    const [d] = discoverDecks({ dir })
    expect(d!.meta.talk.links.docswell).toBeUndefined()
    expect(d!.meta.talk.links.video).toBeUndefined()
  })
})

describe('matchDeck', () => {
  beforeEach(() => {
    deck('2024-09-20-serverless-update-2024', valid('A', '2024-09-20'))
    deck('2023-09-serverless-update-2023', valid('B', '2023-09-01'))
    deck('2023-02-16-ssmjp-serverless', valid('C', '2023-02-16'))
    deck('_starter', valid('S', '2026-01-01'))
  })

  it('accepts a unique prefix of the slug or of the dateless name', () => {
    const decks = discoverDecks({ dir, hidden: true })
    expect(matchDeck(decks, '2024').slug).toBe('2024-09-20-serverless-update-2024')
    expect(matchDeck(decks, 'ssmjp').slug).toBe('2023-02-16-ssmjp-serverless')
    expect(matchDeck(decks, 'serverless-update-2023').slug).toBe('2023-09-serverless-update-2023')
    expect(matchDeck(decks, 'starter').slug).toBe('_starter')
  })

  it('refuses an ambiguous prefix and lists the candidates', () => {
    const decks = discoverDecks({ dir })
    expect(() => matchDeck(decks, 'serverless')).toThrow(/matches 2 decks[\s\S]*2024-09-20-serverless-update-2024[\s\S]*2023-09-serverless-update-2023/)
    expect(() => matchDeck(decks, '2023')).toThrow(/matches 2 decks/)
  })

  it('says when nothing matches and lists the decks', () => {
    expect(() => matchDeck(discoverDecks({ dir }), 'kubernetes')).toThrow(/no deck matches "kubernetes"[\s\S]*ssmjp/)
  })

  it('reports the errors of an invalid deck the query names', () => {
    deck('2022-01-01-broken', valid('Broken', '2022-01-01').replace('  slot: 20\n', ''))
    expect(() => matchScanned(scanDecks({ dir }), 'broken')).toThrow(/2022-01-01-broken\/slides\.md:5: talk\.slot is required/)
  })

  it('selects every public deck when no query is given, and de-duplicates', () => {
    const decks = discoverDecks({ dir, hidden: true })
    expect(selectDecks(decks, []).map(d => d.slug)).not.toContain('_starter')
    expect(selectDecks(decks, ['2024', '2024-09']).length).toBe(1)
  })
})

describe('helpers', () => {
  it('shortName drops the date and a leading underscore', () => {
    expect(shortName('2024-09-20-serverless-update-2024')).toBe('serverless-update-2024')
    expect(shortName('2023-09-serverless-update-2023')).toBe('serverless-update-2023')
    expect(shortName('_gallery')).toBe('gallery')
  })

  it('lineOfField finds nested keys inside the headmatter only', () => {
    const src = valid('T', '2024-01-01')
    expect(lineOfField(src, 'talk.event.name')).toBe(8)
    expect(lineOfField(src, 'talk.slot')).toBe(10)
    expect(lineOfField(src, 'nothing.here')).toBeUndefined()
  })
})

describe('decksForCommand', () => {
  it('takes every public deck by default, and named hidden ones on request', () => {
    deck('2024-01-01-a', valid('A', '2024-01-01'))
    deck('_fixture', valid('F', '2024-01-02'))
    expect(decksForCommand([], 'export', { dir }).map(d => d.slug)).toEqual(['2024-01-01-a'])
    expect(decksForCommand(['fixture', '_fix'], 'export', { dir }).map(d => d.slug)).toEqual(['_fixture'])
  })

  it('says what to do when there is no public deck', () => {
    deck('_only', valid('O', '2024-01-01'))
    expect(() => decksForCommand([], 'transcribe', { dir })).toThrow(/no public deck to transcribe: create one/)
  })
})
