/**
 * One cached build per deck: `.cache/site/<slug>/key` and `.cache/site/<slug>/out/`. Only the
 * latest build of a deck is kept; a new one replaces it with renames, so a crash mid-save leaves
 * either the old entry or none, never a half-written one under a valid key.
 */
import { cp, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

export interface CachedDeck {
  key: string
  dir: string
}

export class DeckCache {
  readonly root: string
  constructor(root: string) {
    this.root = root
  }

  private entry(slug: string) {
    return join(this.root, slug)
  }

  /** The cached output directory for `slug` if it was built from `key`. */
  async lookup(slug: string, key: string): Promise<string | undefined> {
    const stored = await readFile(join(this.entry(slug), 'key'), 'utf8').catch(() => undefined)
    return stored?.trim() === key
      ? join(this.entry(slug), 'out')
      : undefined
  }

  /** Copies a built deck into the cache under `key`. */
  async save(slug: string, key: string, builtDir: string): Promise<void> {
    await mkdir(this.root, { recursive: true })
    const tmp = join(this.root, `.${slug}.tmp-${process.pid}-${Date.now()}`)
    await rm(tmp, { recursive: true, force: true })
    await cp(builtDir, join(tmp, 'out'), { recursive: true })
    await writeFile(join(tmp, 'key'), `${key}\n`)
    const old = join(this.root, `.${slug}.old-${process.pid}-${Date.now()}`)
    await rename(this.entry(slug), old).catch(() => undefined)
    await rename(tmp, this.entry(slug))
    await rm(old, { recursive: true, force: true })
  }

  /** Copies a cached deck to `dest`. */
  async restore(cachedDir: string, dest: string): Promise<void> {
    await cp(cachedDir, dest, { recursive: true })
  }
}
