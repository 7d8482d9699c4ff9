/**
 * The toolkit's one cache: every stage of the publishing pipeline (a deck's Slidev build, its
 * render pass, its font subsets, its transcript) keeps its output in
 * `<root>/<stage>/<slug>/<key>/`, where the key is the hash of the stage's real inputs. An entry
 * is written in a temporary folder and renamed into place once complete, so a crash leaves either
 * a whole entry or none; a reader never sees half of one. Only the newest few entries of each deck
 * and stage are kept, so switching a deck back and forth stays cached without the cache growing.
 */
import { existsSync, mkdirSync } from 'node:fs'
import { mkdir, readdir, rename, rm, stat, utimes } from 'node:fs/promises'
import { join } from 'node:path'
import process from 'node:process'
import { trackTemp } from '../interrupt.ts'
import { repoRoot } from '../paths.ts'

/**
 * A deck's stages, `index` for the site's index page with its font cut, and `font` for font
 * subsets by the characters they hold (font-subset.ts).
 */
export type StageName = 'build' | 'render' | 'fonts' | 'transcript' | 'index' | 'font'

/** Entries kept per deck and stage (the current one and the one before it). */
const KEEP = 2

/** TALKS_CACHE_DIR moves the cache (tests and the benchmark's cold runs start from an empty one). */
export function defaultCacheRoot(): string {
  return process.env.TALKS_CACHE_DIR || join(repoRoot, '.cache')
}

/**
 * Node's compile cache (V8 code for the modules the toolkit and Slidev load: Vite, Rolldown, UnoCSS,
 * Playwright…), kept beside the stages and, like them, empty when TALKS_CACHE_DIR points at a new
 * folder. It saves most of the compiling on every start after the first; Node checks each entry
 * against the source it was made from, so a stale one is never used.
 */
export function compileCacheDir(): string {
  return join(defaultCacheRoot(), 'node-compile')
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  }
  catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}

export class StageCache {
  readonly root: string
  constructor(root = defaultCacheRoot()) {
    this.root = root
  }

  dir(stage: StageName, slug: string, key: string): string {
    return join(this.root, stage, slug, key)
  }

  /** The complete entry for `key`, if there is one. */
  async get(stage: StageName, slug: string, key: string): Promise<string | undefined> {
    const dir = this.dir(stage, slug, key)
    if (!existsSync(dir))
      return undefined
    // Most recently used first when pruning.
    const now = new Date()
    await utimes(dir, now, now).catch(() => {})
    return dir
  }

  /** The complete entries of a deck's stage, most recently used first. */
  async entries(stage: StageName, slug: string): Promise<string[]> {
    const parent = join(this.root, stage, slug)
    const names = await readdir(parent).catch(() => [] as string[])
    const dated = await Promise.all(names.filter(n => !n.startsWith('.')).map(async n => ({
      dir: join(parent, n),
      mtime: await stat(join(parent, n)).then(s => s.mtimeMs, () => 0),
    })))
    return dated.sort((a, b) => b.mtime - a.mtime).map(d => d.dir)
  }

  /**
   * Fills a fresh entry for `key` through `fill` (given an empty folder) and returns its path.
   * A failing `fill` leaves no entry.
   */
  async put(stage: StageName, slug: string, key: string, fill: (dir: string) => Promise<void>, options: { keep?: number } = {}): Promise<string> {
    const parent = join(this.root, stage, slug)
    await mkdir(parent, { recursive: true })
    const tmp = join(parent, `.tmp-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`)
    // Ctrl+C removes it (interrupt.ts).
    const untrack = trackTemp(tmp)
    try {
      // Synchronous: an interrupt's clean-up cannot race a mkdir still in libuv's thread pool.
      mkdirSync(tmp)
      await fill(tmp)
      const dest = join(parent, key)
      // Another build may have written the same key meanwhile: same inputs, same output.
      await rm(dest, { recursive: true, force: true })
      try {
        await rename(tmp, dest)
      }
      catch (e) {
        // ...and may have renamed its entry in between: keep that one.
        if (!['ENOTEMPTY', 'EEXIST'].includes((e as NodeJS.ErrnoException).code ?? '') || !existsSync(dest))
          throw e
      }
      await this.prune(parent, options.keep ?? KEEP)
      return dest
    }
    finally {
      await rm(tmp, { recursive: true, force: true })
      untrack()
    }
  }

  private async prune(parent: string, keep: number): Promise<void> {
    const all = await readdir(parent, { withFileTypes: true })
    // Half-filled entries of builds that died (killed mid-stage) are removed; a running build's are left alone.
    for (const e of all.filter(e => e.name.startsWith('.tmp-'))) {
      const pid = Number(e.name.split('-')[1])
      if (pid && pid !== process.pid && !alive(pid))
        await rm(join(parent, e.name), { recursive: true, force: true })
    }
    const entries = all.filter(e => e.isDirectory() && !e.name.startsWith('.'))
    if (entries.length <= keep)
      return
    const dated = await Promise.all(entries.map(async e => ({ name: e.name, mtime: (await stat(join(parent, e.name))).mtimeMs })))
    dated.sort((a, b) => b.mtime - a.mtime)
    for (const old of dated.slice(keep))
      await rm(join(parent, old.name), { recursive: true, force: true })
  }
}
