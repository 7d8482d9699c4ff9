import { describe, expect, it } from 'vitest'
import { splitArgs, takeFlag, takeOption } from './args.ts'

describe('splitArgs', () => {
  it('separates deck queries from options passed through, keeping option values', () => {
    expect(splitArgs(['2024', '--port', '3031', '--open'], ['--port'])).toEqual({
      positionals: ['2024'],
      rest: ['--port', '3031', '--open'],
    })
    expect(splitArgs(['--port=3031', 'ssmjp'], ['--port'])).toEqual({
      positionals: ['ssmjp'],
      rest: ['--port=3031'],
    })
  })

  it('passes everything after -- through untouched', () => {
    expect(splitArgs(['a', '--', 'b', '--x'])).toEqual({
      positionals: ['a'],
      rest: ['b', '--x'],
    })
  })
})

describe('takeOption / takeFlag', () => {
  it('removes what it reads', () => {
    const args = ['--remote', 'secret', '--open']
    expect(takeOption(args, '--remote')).toEqual({ present: true, value: 'secret' })
    expect(args).toEqual(['--open'])
    expect(takeFlag(args, '--open')).toBe(true)
    expect(args).toEqual([])
  })

  it('tells a bare option from an absent one', () => {
    expect(takeOption(['--remote', '--open'], '--remote')).toEqual({ present: true })
    expect(takeOption(['--remote=pw'], '--remote')).toEqual({ present: true, value: 'pw' })
    expect(takeOption(['--open'], '--remote')).toEqual({ present: false })
  })
})
