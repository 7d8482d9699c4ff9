import { describe, expect, it } from 'vitest'
import { normalizeBase, normalizeSiteUrl, resolveSiteOptions, siteHref } from './options.ts'

describe('site options', () => {
  it('normalizes the base path', () => {
    expect(normalizeBase('')).toBe('/')
    expect(normalizeBase('/')).toBe('/')
    expect(normalizeBase('talks')).toBe('/talks/')
    expect(normalizeBase('/a/b')).toBe('/a/b/')
    expect(() => normalizeBase('https://x/')).toThrow(/not a URL/)
    expect(() => normalizeBase('/a/../b')).toThrow(/segment/)
  })

  it('normalizes the site URL', () => {
    expect(normalizeSiteUrl('')).toBe('')
    expect(normalizeSiteUrl('https://t.example/')).toBe('https://t.example')
    expect(() => normalizeSiteUrl('t.example')).toThrow(/absolute URL/)
  })

  it('accepts a site URL that already includes the base', () => {
    const site = resolveSiteOptions({ base: '/talks/', siteUrl: 'https://u.github.io/talks/' })
    expect(site.url).toBe('https://u.github.io')
    expect(siteHref(site, 'a/og.png')).toBe('https://u.github.io/talks/a/og.png')
  })
})
