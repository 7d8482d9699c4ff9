import type { Deck } from '../decks.ts'
import type { Talk } from './model.ts'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import markdownToHtml from 'zenn-markdown-html'
import { discoverDecks, loadDeck } from '../decks.ts'
import { repoRoot } from '../paths.ts'
import { indexEntries, renderIndexHtml } from '../site/index-page.ts'
import { loadTalk, renderTranscripts } from './index.ts'

const options = { base: '/', siteUrl: 'https://talks.example.com' }
const site = { base: '/', url: '', title: 'トーク' }

/** Every place a label shows: titles, descriptions, headings, link labels and the opening lines. */
function labelled(talk: Talk) {
  const out = renderTranscripts(talk, options)
  const index = renderIndexHtml(indexEntries([talk.deck], () => true), site)
  const entry = index.slice(index.indexOf(`id="${talk.deck.slug}"`), index.indexOf('</li>', index.indexOf(`id="${talk.deck.slug}"`)))
  const body = out.html.slice(out.html.indexOf('<body>'))
  return {
    out,
    html: {
      title: out.html.match(/<title>(.*)<\/title>/)![1]!,
      description: out.html.match(/<meta name="description" content="([^"]*)"/)![1]!,
      h1: out.html.match(/<h1>(.*)<\/h1>/)![1]!,
      // What a reader sees before the first slide's words.
      top: body.slice(0, body.indexOf('<main')),
      footer: out.html.slice(out.html.indexOf('<footer>')),
    },
    zenn: {
      title: out.zenn.match(/^title: (.*)$/m)![1]!,
      // The post's opening, before the first section heading.
      top: out.zenn.split(/^## /m)[0]!.replace(/^---[\s\S]*?---\n/, ''),
    },
    hatena: {
      title: out.hatena.match(/^Title: (.*)$/m)![1]!,
      top: out.hatena.split('[:contents]')[0]!.replace(/^---[\s\S]*?---\n/, ''),
    },
    index: {
      link: entry.match(/<a href="[^"]*\/transcript\/">([^<]*)<\/a>/)![1]!,
      entry,
      description: index.match(/<meta name="description" content="([^"]*)"/)![1]!,
    },
  }
}

/** What a reconstruction must say and a transcript must not, on every output. */
function expectTruthful(talk: Talk) {
  const l = labelled(talk)
  const t = talk.deck.meta.talk
  if (t.provenance === 'transcript') {
    expect(l.html.title).toContain('文字起こし')
    expect(l.html.h1).toContain('文字起こし')
    expect(l.html.description).toContain('の文字起こし')
    expect(l.html.top).not.toMatch(/再構成した|の再構成/)
    expect(l.zenn.top).toContain('の文字起こしです')
    expect(l.hatena.top).toContain('の文字起こしです')
    for (const text of [l.zenn.top, l.hatena.top, l.index.entry])
      expect(text).not.toMatch(/再構成した|の再構成/)
    expect(l.index.link).toBe('文字起こし')
    return
  }
  // A reconstruction: never named 文字起こし where a label stands, and said plainly at the top, with its source.
  const note = t.provenanceNote!
  expect(note.length).toBeGreaterThan(10)
  for (const label of [
    l.html.title,
    l.html.h1,
    l.zenn.title,
    l.hatena.title,
    l.index.link,
  ]) {
    expect(label).not.toContain('文字起こし')
    expect(label).toContain('再構成')
  }
  expect(l.html.description).toContain('講演内容の再構成')
  expect(l.html.description).not.toMatch(/の文字起こし(?:。|です)/)
  expect(l.html.top).toMatch(/<div class="provenance" role="note">\n<p><strong>これは講演で話した言葉そのものではなく、講演後に再構成した内容です。<\/strong><\/p>/)
  expect(l.html.top).toContain(note.replace(/&/g, '&amp;').replace(/</g, '&lt;'))
  expect(l.html.footer).not.toContain('作った文字起こし')
  for (const top of [l.zenn.top, l.hatena.top]) {
    // The notice comes first, before the line that says which talk this is.
    expect(top.indexOf('再構成した内容です')).toBeGreaterThanOrEqual(0)
    expect(top.indexOf('再構成した内容です')).toBeLessThan(top.indexOf('で発表した'))
    expect(top).toContain('の講演内容の再構成です')
    expect(top).not.toMatch(/の文字起こしです|並べた文字起こし/)
    expect(top.replace(/[\\>\n ]/g, '')).toContain(note.replace(/[\\\n ]/g, ''))
  }
  expect(l.zenn.top).toMatch(/^\n?:::message\n\*\*/)
  expect(l.index.entry).toContain('<p class="prov"><strong>これは講演で話した言葉そのものではなく、講演後に再構成した内容です。</strong>')
}

describe('every real deck is labelled truthfully everywhere', () => {
  const decks = discoverDecks()
  it('the site has both kinds (2024 a transcript; 2023 and ssmjp reconstructions)', () => {
    const kind = (prefix: string) => decks.find(d => d.slug.startsWith(prefix))?.meta.talk.provenance
    expect(kind('2024-09-20-serverless-update-2024')).toBe('transcript')
    expect(kind('2023-09-serverless-update-2023')).toBe('reconstruction')
    expect(kind('2023-02-16-ssmjp-serverless')).toBe('reconstruction')
  })
  for (const deck of decks) {
    it(`${deck.slug} (${deck.meta.talk.provenance}): transcript page, Zenn, Hatena and index`, async () => {
      expectTruthful(await loadTalk(deck))
    })
  }

  it('the index describes the site with both nouns when both kinds are published', () => {
    const html = renderIndexHtml(indexEntries(decks, () => true), site)
    expect(html).toMatch(/<meta name="description" content="[^"]*文字起こし・講演内容の再構成の一覧">|<meta name="description" content="[^"]*講演内容の再構成・文字起こしの一覧">/)
  })
})

describe('fixtures of both kinds', () => {
  const fixture = (name: string): Deck => loadDeck(join(repoRoot, 'scripts/fixtures', name), name)
  it('a transcript is called 文字起こし', async () => {
    const talk = await loadTalk(fixture('_transcript'))
    expect(talk.deck.meta.talk.provenance).toBe('transcript')
    expectTruthful(talk)
  })
  it('a reconstruction says so first, and from what', async () => {
    const talk = await loadTalk(fixture('_reconstruction'))
    expect(talk.deck.meta.talk.provenance).toBe('reconstruction')
    expectTruthful(talk)
    const { zenn, hatena } = renderTranscripts(talk, options)
    expect(zenn).toContain('title: "再構成のテスト（講演内容の再構成）"')
    expect(hatena).toContain('> **これは講演で話した言葉そのものではなく、講演後に再構成した内容です。**\n>\n> 講演者のブログ記事に書かれた構成から組み立て直したノートです。')
    expect(zenn).toContain(':::message\n**これは講演で話した言葉そのものではなく、講演後に再構成した内容です。**\n\n講演者のブログ記事に書かれた構成から組み立て直したノートです。\n:::')
  })
  it('zenn shows the notice as its message box, first', async () => {
    const { zenn } = renderTranscripts(await loadTalk(fixture('_reconstruction')), options)
    const html = await markdownToHtml(zenn.replace(/^---\n[\s\S]*?\n---\n/, ''), { embedOrigin: 'https://embed.zenn.studio' })
    expect(html).toMatch(/^<aside class="msg message">[\s\S]*?<strong>これは講演で話した言葉そのものではなく、講演後に再構成した内容です。<\/strong>[\s\S]*?講演者のブログ記事に書かれた構成から組み立て直したノートです。[\s\S]*?<\/aside>/)
  })

  it('the same notes as a transcript read differently: the label follows the metadata alone', async () => {
    const talk = await loadTalk(fixture('_reconstruction'))
    const asTranscript: Talk = {
      ...talk,
      deck: {
        ...talk.deck,
        meta: {
          ...talk.deck.meta,
          talk: { ...talk.deck.meta.talk, provenance: 'transcript' },
        },
      },
    }
    expectTruthful(asTranscript)
    expect(renderTranscripts(asTranscript, options).zenn).not.toContain(':::message')
  })
})
