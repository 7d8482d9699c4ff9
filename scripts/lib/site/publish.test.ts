import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DeckCache } from './cache.ts'
import { publishAtomically, recoverOutput } from './publish.ts'

let root: string
let out: string
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'site-publish-'))
  out = join(root, 'dist')
  mkdirSync(join(out, 'deck'), { recursive: true })
  writeFileSync(join(out, 'index.html'), 'old index')
  writeFileSync(join(out, 'deck', 'index.html'), 'old deck')
})
afterEach(() => rmSync(root, { recursive: true, force: true }))

describe('atomic publish', () => {
  it('replaces the output as a whole', async () => {
    await publishAtomically(out, async (staging) => {
      await writeFile(join(staging, 'index.html'), 'new index')
    })
    expect(readFileSync(join(out, 'index.html'), 'utf8')).toBe('new index')
    expect(existsSync(join(out, 'deck'))).toBe(false)
    expect(readdirSync(root)).toEqual(['dist'])
  })

  it('leaves the previous output whole when the build fails', async () => {
    await expect(publishAtomically(out, async (staging) => {
      await writeFile(join(staging, 'index.html'), 'half-built')
      throw new Error('slidev build failed')
    })).rejects.toThrow('slidev build failed')
    expect(readFileSync(join(out, 'index.html'), 'utf8')).toBe('old index')
    expect(readFileSync(join(out, 'deck', 'index.html'), 'utf8')).toBe('old deck')
    expect(readdirSync(root)).toEqual(['dist'])
  })

  it('creates the output when there was none', async () => {
    rmSync(out, { recursive: true })
    await publishAtomically(out, async staging => writeFile(join(staging, 'index.html'), 'first'))
    expect(readFileSync(join(out, 'index.html'), 'utf8')).toBe('first')
  })

  it('recovers from a build killed between the two renames, and clears dead staging dirs', async () => {
    // As if a build (pid 999999, no longer running) moved dist aside and died before the second rename.
    renameSync(out, join(root, '.dist.old-999999-abc'))
    mkdirSync(join(root, '.dist.staging-999999-abc'))
    const notes = await recoverOutput(out, () => false)
    expect(readFileSync(join(out, 'index.html'), 'utf8')).toBe('old index')
    expect(readdirSync(root)).toEqual(['dist'])
    expect(notes.join('\n')).toMatch(/restored/)
  })

  it('leaves the staging dir of a build still running alone', async () => {
    mkdirSync(join(root, '.dist.staging-4242-abc'))
    await recoverOutput(out, pid => pid === 4242)
    expect(existsSync(join(root, '.dist.staging-4242-abc'))).toBe(true)
  })
})

describe('deck cache', () => {
  it('returns a deck only under the key it was saved with, and keeps one entry per deck', async () => {
    const cache = new DeckCache(join(root, 'cache'))
    expect(await cache.lookup('deck', 'k1')).toBeUndefined()
    await cache.save('deck', 'k1', join(out, 'deck'))
    const hit = await cache.lookup('deck', 'k1')
    expect(hit && readFileSync(join(hit, 'index.html'), 'utf8')).toBe('old deck')
    expect(await cache.lookup('deck', 'k2')).toBeUndefined()
    writeFileSync(join(out, 'deck', 'index.html'), 'new deck')
    await cache.save('deck', 'k2', join(out, 'deck'))
    expect(await cache.lookup('deck', 'k1')).toBeUndefined()
    const hit2 = await cache.lookup('deck', 'k2')
    expect(readFileSync(join(hit2!, 'index.html'), 'utf8')).toBe('new deck')
    expect(readdirSync(join(root, 'cache'))).toEqual(['deck'])
    await cache.restore(hit2!, join(root, 'copy'))
    expect(readFileSync(join(root, 'copy', 'index.html'), 'utf8')).toBe('new deck')
  })
})
