import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { discoverDecks } from '../decks.ts'
import { loadTalk } from '../transcript/model.ts'
import { blocksText } from '../transcript/prose.ts'
import { searchRecords, writeSearchIndex } from './search.ts'

const tmp = mkdtempSync(join(tmpdir(), 'search-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))
const decks = discoverDecks()

function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter(f => f.isFile()).map(f => relative(dir, join(f.parentPath, f.name))).sort()
}

describe('search records', async () => {
  const talks = await Promise.all(decks.map(loadTalk))
  const records = searchRecords(talks, {
    transcript: () => true,
  })

  it('one record per talk (title, event, description) and one per slide with words, linking its place in the transcript', () => {
    for (const talk of talks) {
      const { slug } = talk.deck
      const own = records.filter(r => r.url.startsWith(`${slug}/`))
      expect(own[0]!.url).toBe(`${slug}/`)
      expect(own[0]!.content).toContain(talk.deck.meta.title)
      expect(own[0]!.content).toContain(talk.deck.meta.talk.event.name)
      const withWords = talk.slides.filter(s => blocksText(s.prose).trim())
      expect(own.slice(1).map(r => r.url)).toEqual(withWords.map(s => `${slug}/transcript/#slide-${s.no}`))
      for (const r of own.slice(1)) {
        const no = Number(r.meta.slide)
        const section = talk.sections.find(s => s.slides.some(x => x.no === no))!
        expect(r.meta.section).toBe(section.title ?? '冒頭')
        expect(r.meta.slides).toBe(`${slug}/${no}`)
        expect(r.meta.text).toBe(talk.deck.meta.talk.provenance === 'reconstruction'
          ? '講演内容の再構成'
          : '文字起こし')
        expect(r.language).toBe('ja')
      }
    }
  })

  it('only the talk\'s own record when its transcript page is not built', () => {
    const none = searchRecords(talks, {
      transcript: () => false,
    })
    expect(none.map(r => r.url)).toEqual(decks.map(d => `${d.slug}/`))
  })

  it('pagefind writes the same index twice, without its unused UI files', async () => {
    const a = await writeSearchIndex(records, join(tmp, 'a'))
    const b = await writeSearchIndex(records, join(tmp, 'b'))
    expect(a).toEqual(b)
    const list = files(join(tmp, 'a', 'pagefind'))
    expect(list).toEqual(files(join(tmp, 'b', 'pagefind')))
    expect(list).toContain('pagefind.js')
    expect(list.some(f => f.startsWith('index/ja_'))).toBe(true)
    expect(list.some(f => /-ui\.(?:js|css)$/.test(f))).toBe(false)
    for (const f of list)
      expect(readFileSync(join(tmp, 'a', 'pagefind', f)).equals(readFileSync(join(tmp, 'b', 'pagefind', f))), f).toBe(true)
  }, 60_000)
})
