import QRCode from 'qrcode'
import { describe, expect, it } from 'vitest'
import { qrPath, resolveTalkLinks, slugFromEntryFile } from './links-kit.ts'

describe('resolveTalkLinks', () => {
  it('reads slug and site base from the build base /<site.base><slug>/', () => {
    expect(resolveTalkLinks({ baseUrl: '/talks/2024-09-20-serverless/' })).toEqual({
      slug: '2024-09-20-serverless',
      deckPath: '/talks/2024-09-20-serverless/',
      slides: '/talks/2024-09-20-serverless/',
      pdf: '/talks/2024-09-20-serverless/2024-09-20-serverless.pdf',
      transcript: '/talks/2024-09-20-serverless/transcript/',
      absolute: false,
    })
  })

  it('uses the entry file\'s folder on the dev server (base /) and the configured site base', () => {
    const links = resolveTalkLinks({ baseUrl: '/', entryFile: '/repo/decks/2025-01-01-x/slides.md', siteBase: '/talks' })
    expect(links?.slug).toBe('2025-01-01-x')
    expect(links?.pdf).toBe('/talks/2025-01-01-x/2025-01-01-x.pdf')
  })

  it('makes absolute URLs when a site URL is configured, and prefers an explicit slug', () => {
    const links = resolveTalkLinks({ slug: 'talk', baseUrl: '/', siteUrl: 'https://talks.example.com/' })
    expect(links?.slides).toBe('https://talks.example.com/talk/')
    expect(links?.transcript).toBe('https://talks.example.com/talk/transcript/')
    expect(links?.absolute).toBe(true)
  })

  it('gives up without a slug rather than inventing one', () => {
    expect(resolveTalkLinks({ baseUrl: '/' })).toBeUndefined()
    expect(slugFromEntryFile('slides.md')).toBeUndefined()
    expect(slugFromEntryFile('C:\\talks\\decks\\a\\slides.md')).toBe('a')
  })
})

describe('qrPath', () => {
  it('draws exactly the dark modules of the QR matrix', () => {
    const { modules } = QRCode.create('https://talks.example.com/talk/', { errorCorrectionLevel: 'M' })
    const path = qrPath(modules.size, (r, c) => Boolean(modules.get(r, c)))
    let dark = 0
    for (let r = 0; r < modules.size; r++) {
      for (let c = 0; c < modules.size; c++) {
        dark += modules.get(r, c)
          ? 1
          : 0
      }
    }
    const drawn = [
      ...path.matchAll(/h(\d+)/g),
    ].reduce((sum, m) => sum + Number(m[1]), 0)
    expect(drawn).toBe(dark)
    // Top-left finder pattern: a run of 7 dark modules starting at the origin.
    expect(path.startsWith('M0 0h7v1h-7z')).toBe(true)
  })
})
