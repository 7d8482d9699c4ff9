import { runInNewContext } from 'node:vm'
import { describe, expect, it } from 'vitest'
import { notFoundHtml, notFoundScript, redirectsFile, RESTORE_SCRIPT } from './fallbacks.ts'
import { matchRedirect, parseRedirects } from './redirects.ts'

const site = { base: '/talks/', url: '', title: 't' }

/** Runs a fallback script against a fake location; returns where it navigated or rewrote to. */
function run(script: string, href: string): { replaced?: string, state?: string } {
  const url = new URL(href)
  const out: { replaced?: string, state?: string } = {}
  runInNewContext(script, {
    URL,
    encodeURIComponent,
    location: {
      href,
      pathname: url.pathname,
      search: url.search,
      hash: url.hash,
      replace: (to: string) => {
        out.replaced = to
      },
    },
    history: {
      replaceState: (_s: unknown, _t: string, to: string) => {
        out.state = to
      },
    },
  })
  return out
}

describe('_redirects', () => {
  const text = redirectsFile(site, [
    { slug: 'a', slides: 3 },
    { slug: 'b', slides: 1 },
  ])
  const rules = parseRedirects(text)

  it('rewrites every slide of every deck to that deck, and nothing else', () => {
    expect(rules).toHaveLength(4)
    expect(matchRedirect(rules, '/talks/a/3')?.to).toBe('/talks/a/index.html')
    expect(matchRedirect(rules, '/talks/b/1')?.to).toBe('/talks/b/index.html')
    expect(matchRedirect(rules, '/talks/a/4')).toBeUndefined()
    expect(matchRedirect(rules, '/talks/a/assets/index.js')).toBeUndefined()
    expect(rules.every(r => r.status === 200 && !r.force)).toBe(true)
  })

  it('parses splats and comments', () => {
    const r = parseRedirects('# c\n/old/* /new/:splat 301\n\n/x /y')
    expect(matchRedirect(r, '/old/a/b')?.to).toBe('/new/a/b')
    expect(r[1]!.status).toBe(301)
  })
})

describe('404.html (GitHub Pages)', () => {
  const script = notFoundScript('/talks/', ['a', 'b'])

  it('sends a deck deep link to the deck with the path in ?p=', () => {
    expect(run(script, 'https://h.example/talks/a/12').replaced).toBe('/talks/a/?p=12')
    expect(run(script, 'https://h.example/talks/b/3?clicks=2#x').replaced).toBe('/talks/b/?p=3&clicks=2#x')
  })

  it('leaves unknown decks, missing assets and other paths on the 404 page', () => {
    expect(run(script, 'https://h.example/talks/zzz/1').replaced).toBeUndefined()
    expect(run(script, 'https://h.example/talks/a/assets/x.js').replaced).toBeUndefined()
    expect(run(script, 'https://h.example/other/a/1').replaced).toBeUndefined()
    expect(run(script, 'https://h.example/talks/a/').replaced).toBeUndefined()
  })

  it('the deck puts the path back before its router starts', () => {
    expect(run(RESTORE_SCRIPT, 'https://h.example/talks/a/?p=12').state).toBe('/talks/a/12')
    expect(run(RESTORE_SCRIPT, 'https://h.example/talks/a/?p=3&clicks=2#x').state).toBe('/talks/a/3?clicks=2#x')
    expect(run(RESTORE_SCRIPT, 'https://h.example/talks/a/').state).toBeUndefined()
    // Never turns into a path elsewhere on the origin.
    expect(run(RESTORE_SCRIPT, 'https://h.example/talks/a/?p=%2F%2Fevil.example').state).toBeUndefined()
  })

  it('is a Japanese page linking back to the index', () => {
    const html = notFoundHtml(site, ['a'])
    expect(html).toContain('<html lang="ja">')
    expect(html).toContain('href="/talks/"')
  })
})
