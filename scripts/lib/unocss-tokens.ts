/**
 * UnoCSS's parsed tokens, kept across the builds of one build worker (slidev-build-worker.ts).
 *
 * Every Slidev build makes a new UnoCSS generator, which parses each of the ~8,500 class-like
 * tokens Slidev's client and the deck hold from scratch: about 0.5 s of a 3 s warm build (1.2 s
 * cold), the same every build, although almost every token is the client's and means the same
 * thing as last time. A token's result depends only on the generator's configuration, so builds
 * whose configuration is the same (`configKey`) share the results here.
 *
 * Parsing a token also leaves two marks on the generator's token processor that later shape the
 * CSS: the rules it activated (presets emit preflight variables for activated rules only) and the
 * order of the at-rule parents it used. Those are recorded per token (through an
 * AsyncLocalStorage, as tokens are parsed concurrently) and replayed when the token's result is
 * taken from here, so the generator ends a build in the state a fresh parse would have left it
 * in, and its CSS is byte for byte the same (unocss-tokens.test.ts).
 */
import { AsyncLocalStorage } from 'node:async_hooks'

/** What parsing one token gave and did: its result, the rules it activated, the parent orders it set. */
interface Parsed {
  data: unknown
  blocked: boolean
  rules: unknown[]
  orders: [string, number][]
}

/** The token processor of an UnoCSS generator (@unocss/core 66), as far as used here. */
interface TokenProcessor {
  cache: Map<string, unknown>
  blocked: Set<string>
  activateRule: (rule: unknown) => void
  setParentOrder: (parent: string, order: number) => void
}

/** An UnoCSS generator, as far as used here. */
export interface Generator {
  tokenProcessor: TokenProcessor
  parseToken: (raw: string, alias?: string) => Promise<unknown>
}

const recording = new AsyncLocalStorage<Parsed>()
/** Results by configuration key, newest configuration last. */
const shared = new Map<string, Map<string, Parsed>>()
/** Configurations kept at once: decks with a typeface of their own each have one. */
const MAX_CONFIGS = 4
const patchedProcessors = new WeakSet<object>()

/** Records, into the token being parsed, what the token processor is told to remember. */
function recordMarks(processor: TokenProcessor): void {
  const proto = Object.getPrototypeOf(processor) as TokenProcessor
  if (patchedProcessors.has(proto))
    return
  patchedProcessors.add(proto)
  const { activateRule, setParentOrder } = proto
  proto.activateRule = function (this: TokenProcessor, rule) {
    recording.getStore()?.rules.push(rule)
    return activateRule.call(this, rule)
  }
  proto.setParentOrder = function (this: TokenProcessor, parent, order) {
    recording.getStore()?.orders.push([parent, order])
    return setParentOrder.call(this, parent, order)
  }
}

/**
 * Lets `generator` take token results from, and give them to, the earlier generators made with
 * the same `configKey`. Call it once per generator, before it generates anything.
 */
export function shareTokens(generator: Generator, configKey: string): void {
  let results = shared.get(configKey)
  shared.delete(configKey)
  results ??= new Map()
  shared.set(configKey, results)
  while (shared.size > MAX_CONFIGS)
    shared.delete(shared.keys().next().value!)
  recordMarks(generator.tokenProcessor)
  const parseToken = generator.parseToken
  generator.parseToken = async function (this: Generator, raw, alias) {
    // As @unocss/core keys its own cache.
    const key = `${raw}${alias
      ? ` ${alias}`
      : ''}`
    // The processor is replaced when the configuration is set again: read it at each call.
    const processor = this.tokenProcessor
    // `@apply` (transformer-directives, the only caller with an alias) parses its classes
    // concurrently and writes each one's CSS as its parse completes: a result that came back
    // sooner than a parse would reorder its rules. The whole sheet (no alias) is sorted after.
    if (alias || processor.cache.has(key) || processor.blocked.has(raw))
      return parseToken.call(this, raw, alias)
    const known = results.get(key)
    if (known) {
      for (const rule of known.rules)
        processor.activateRule(rule)
      for (const [parent, order] of known.orders)
        processor.setParentOrder(parent, order)
      if (known.blocked)
        processor.blocked.add(raw)
      processor.cache.set(key, known.data)
      return known.data ?? undefined
    }
    const parsed: Parsed = {
      data: null,
      blocked: false,
      rules: [],
      orders: [],
    }
    const data = await recording.run(parsed, () => parseToken.call(this, raw, alias))
    parsed.data = processor.cache.has(key)
      ? processor.cache.get(key)
      : data ?? null
    parsed.blocked = processor.blocked.has(raw)
    results.set(key, parsed)
    return data
  }
}

/** Forgets every shared result (tests). */
export function forgetSharedTokens(): void {
  shared.clear()
}
