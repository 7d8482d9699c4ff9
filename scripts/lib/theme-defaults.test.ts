import { describe, expect, it } from 'vitest'
import { applyThemeDefaults, themeDefaults } from './theme-defaults.ts'

describe('theme defaults', () => {
  it('turn off every default that would fetch from another origin', () => {
    const d = themeDefaults() as Record<string, any>
    expect(d.fonts.provider).toBe('none')
    expect(d.favicon).toMatch(/^data:image\/svg\+xml,/)
    expect(d.remoteAssets).toBe(false)
    expect(JSON.stringify(d)).not.toMatch(/https?:\/\//)
  })

  it('fill only what the headmatter leaves unset, merging objects one level', () => {
    const hm = applyThemeDefaults({
      talk: { lang: 'en' },
      fonts: { sans: 'Other' },
      transition: 'slide-left',
    })
    expect(hm.transition).toBe('slide-left')
    expect(hm.fonts).toMatchObject({ sans: 'Other', provider: 'none', mono: 'JetBrains Mono' })
    expect(hm.htmlAttrs).toEqual({ lang: 'en' })
  })
})
