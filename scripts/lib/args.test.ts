import { describe, expect, it } from 'vitest'
import { parseOptions, splitArgs, takeFlag, takeOption } from './args.ts'

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

describe('parseOptions', () => {
  const spec = {
    'force': { type: 'boolean' },
    'base': { type: 'string' },
    'no-pdf': { type: 'boolean' },
    'concurrency': { type: 'string', min: 1 },
  } as const
  const parse = (argv: string[]) => parseOptions('build', 'build [deck...] [--force]', argv, spec)

  it('reads deck queries and options in any order, --x value and --x=value', () => {
    expect(parse([
      '2024',
      '--base',
      '/talks/',
      '--no-pdf',
      'ssmjp',
      '--concurrency=3',
    ])).toEqual({
      positionals: ['2024', 'ssmjp'],
      values: { 'base': '/talks/', 'no-pdf': true, 'concurrency': '3' },
    })
  })

  it('names an unknown option and shows the usage', () => {
    expect(() => parse(['--forse'])).toThrow(/^build: unknown option --forse\nUsage: npm run build -- \[deck\.\.\.\] \[--force\]$/)
    expect(() => parse(['-x'])).toThrow(/unknown option -x/)
  })

  it('names an option missing its value, a flag given one, and a bad number', () => {
    expect(() => parse(['--base'])).toThrow(/build: option --base needs a value/)
    expect(() => parse(['--force=yes'])).toThrow(/build: option --force takes no value/)
    expect(() => parse(['--concurrency', '0'])).toThrow(/--concurrency must be an integer ≥ 1, got "0"/)
  })
})
