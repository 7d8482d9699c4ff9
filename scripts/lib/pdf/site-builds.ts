/**
 * `npm run export` after `npm run build`: the site's cache (.cache/site/<slug>/out) already
 * holds a current build of each deck, so print from it instead of building again. The key is
 * the site build's own (deckCacheKey with the same options build-site.ts passes); when it does
 * not match, the PDF step builds its own copy.
 */
import type { Deck } from '../decks.ts'
import type { LinkTarget } from './cache.ts'
import { join } from 'node:path'
import { repoRoot } from '../paths.ts'
import { DeckCache } from '../site/cache.ts'
import { deckCacheKey } from '../site/hash.ts'

export async function currentSiteBuilds(decks: Deck[], site: LinkTarget): Promise<Map<string, string>> {
  const cache = new DeckCache(join(repoRoot, '.cache', 'site'))
  const found = new Map<string, string>()
  for (const deck of decks) {
    const dir = await cache.lookup(deck.slug, deckCacheKey(deck.dir, { base: site.base, siteUrl: site.url }))
    if (dir)
      found.set(deck.slug, dir)
  }
  return found
}
