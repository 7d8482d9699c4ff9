import type { Generator } from './unocss-tokens.ts'
import { createGenerator, presetAttributify, presetWind3 } from 'unocss'
import { beforeEach, describe, expect, it } from 'vitest'
import { forgetSharedTokens, shareTokens } from './unocss-tokens.ts'

// Preflight variables on demand: emitted only for the rules a build activated.
const config = {
  presets: [
    presetWind3({ preflight: 'on-demand' }),
    presetAttributify(),
  ],
}

/** Tokens that activate preset rules with preflight variables (ring, shadow, transform) and breakpoint parents. */
const many = [
  'p-1',
  'md:p-2',
  'lt-md:m-1',
  'ring-2',
  'shadow-lg',
  'translate-x-2',
  'hover:bg-red-500',
  'dark:text-white',
  'not-a-token',
  'text-[#123456]',
]
const few = [
  'p-1',
  'md:p-2',
  'text-[#123456]',
  'xl:m-4',
]

/** A generator whose real parses are counted. */
async function counted() {
  const uno = await createGenerator(config) as unknown as Generator & { generate: (tokens: Set<string>) => Promise<{ css: string }> }
  const parse = uno.parseToken
  const calls: string[] = []
  uno.parseToken = function (this: Generator, raw, alias) {
    calls.push(raw)
    return parse.call(this, raw, alias)
  }
  return { uno, calls }
}

async function fresh(tokens: string[]): Promise<string> {
  const { uno } = await counted()
  return (await uno.generate(new Set(tokens))).css
}

describe('shareTokens', () => {
  beforeEach(forgetSharedTokens)

  it('gives a later generator of the same configuration the tokens parsed before, with byte-identical CSS', async () => {
    const first = await counted()
    shareTokens(first.uno, 'config-a')
    expect((await first.uno.generate(new Set(many))).css).toBe(await fresh(many))

    const second = await counted()
    shareTokens(second.uno, 'config-a')
    const css = (await second.uno.generate(new Set(many))).css
    expect(css).toBe(await fresh(many))
    // Nothing was parsed again (the preset's safelist is empty here).
    expect(second.calls).toEqual([])
  })

  it('replays only what the tokens of this build did: fewer tokens, no preflight variables of the others', async () => {
    const first = await counted()
    shareTokens(first.uno, 'config-a')
    await first.uno.generate(new Set(many))

    const second = await counted()
    shareTokens(second.uno, 'config-a')
    const css = (await second.uno.generate(new Set(few))).css
    expect(css).toBe(await fresh(few))
    expect(css).not.toContain('--un-ring')
    expect(css).toContain('@media (min-width: 768px)')
    // Only the token the first build never saw was parsed.
    expect(second.calls).toEqual(['xl:m-4'])
  })

  it('keeps configurations apart, and parses @apply\'s aliased tokens afresh', async () => {
    const first = await counted()
    shareTokens(first.uno, 'config-a')
    await first.uno.generate(new Set(many))
    await first.uno.parseToken('md:p-2', '-')

    const other = await counted()
    shareTokens(other.uno, 'config-b')
    await other.uno.generate(new Set(few))
    expect(other.calls).toEqual(few)

    const again = await counted()
    shareTokens(again.uno, 'config-a')
    await again.uno.parseToken('md:p-2', '-')
    expect(again.calls).toEqual(['md:p-2'])
  })
})
