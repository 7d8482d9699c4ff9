import { describe, expect, it } from 'vitest'
import { parseUnicodeRange, pruneFontFaces, usedCodepoints } from './font-css.ts'

const css = [
  '.a{color:red}',
  '@font-face{font-family:BIZ UDPGothic;font-weight:400;src:url(/d/assets/jp-0.woff2) format("woff2"),url(/d/assets/jp-0.woff) format("woff");unicode-range:U+3042,U+3044-3046}',
  '@font-face{font-family:BIZ UDPGothic;font-weight:400;src:url(/d/assets/jp-1.woff2) format("woff2"),url(/d/assets/jp-1.woff) format("woff");unicode-range:U+4E00-4E0F}',
  '@font-face{font-family:Mono;src:url(/d/assets/mono.woff2) format("woff2")}',
].join('')

describe('pruning @font-face rules', () => {
  it('parses unicode ranges', () => {
    expect(parseUnicodeRange('U+0025-00FF, U+4??, U+3042')).toEqual([
      [0x25, 0xFF],
      [0x400, 0x4FF],
      [0x3042, 0x3042],
    ])
  })

  it('keeps the slices holding a used character, drops the others and the .woff fallbacks', () => {
    const r = pruneFontFaces(css, usedCodepoints(['いう']))
    expect(r.removed).toBe(1)
    expect(r.kept).toBe(2)
    expect(r.css).toContain('jp-0.woff2')
    expect(r.css).not.toContain('jp-0.woff)')
    expect(r.css).not.toContain('jp-1')
    expect(r.css).toContain('mono.woff2')
    expect(r.css).toContain('.a{color:red}')
  })

  it('keeps a slice for a character of any of the texts', () => {
    const r = pruneFontFaces(css, usedCodepoints(['x', '一']))
    expect(r.css).toContain('jp-1.woff2')
    expect(r.css).not.toContain('jp-0')
  })
})
