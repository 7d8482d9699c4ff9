import { describe, expect, it } from 'vitest'
import { createProgress } from './progress.ts'

describe('progress output in CI mode', () => {
  it('prints one plain line per deck and stage, with its time or "reused", and no terminal control codes', () => {
    let out = ''
    const p = createProgress({
      live: false,
      write: (t) => {
        out += t
      },
    })
    p.start('2024-x', 'build')
    p.done('2024-x', 'build', 'ran', 5234)
    p.done('2024-x', 'render, fonts', 'reused', 3)
    p.note('⚠ 2024-x: a warning')
    p.end()
    expect(out).toBe([
      '  ✓ 2024-x  build        5.2 s',
      '  = 2024-x  render, fonts reused',
      '⚠ 2024-x: a warning',
      '',
    ].join('\n'))
  })

  it('keeps warnings and drops stage lines when quiet', () => {
    let out = ''
    const p = createProgress({
      live: false,
      quiet: true,
      write: (t) => {
        out += t
      },
    })
    p.done('a', 'build', 'ran', 1000)
    p.note('✖ deck a: slide 2 failed')
    p.end()
    expect(out).toBe('✖ deck a: slide 2 failed\n')
  })

  it('on a terminal, redraws one status line in place and clears it before the next line', () => {
    let out = ''
    const p = createProgress({
      live: true,
      write: (t) => {
        out += t
      },
    })
    p.start('a', 'render')
    expect(out).toBe('\r\u001B[2K… a render 0.0 s')
    p.done('a', 'render', 'ran', 1500)
    p.end()
    expect(out).toContain('\r\u001B[2K  ✓ a  render       1.5 s\n')
  })
})
