import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { describeError } from '../errors.ts'
import { publishAtomically, recoverOutput, writeFileAtomically, writeFilesAtomically } from './publish.ts'
import { StageCache } from './stage-cache.ts'

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

describe('atomic files', () => {
  it('writes a file whole, through a temporary file that does not stay', async () => {
    await writeFileAtomically(join(out, 'deck', 'deck.pdf'), new Uint8Array([1, 2, 3]))
    expect([
      ...readFileSync(join(out, 'deck', 'deck.pdf')),
    ]).toEqual([1, 2, 3])
    expect(readdirSync(join(out, 'deck')).sort()).toEqual(['deck.pdf', 'index.html'])
  })

  it('replaces several files together or none: a failure leaves every one as it was, and no temporary file', async () => {
    writeFileSync(join(out, 'a.md'), 'old a')
    // The second target is a folder: its write fails after the first one's temporary file is written.
    await expect(writeFilesAtomically([
      {
        path: join(out, 'a.md'),
        data: 'new a',
      },
      {
        path: join(out, 'deck', 'index.html', 'x'),
        data: 'new x',
      },
    ])).rejects.toThrow()
    expect(readFileSync(join(out, 'a.md'), 'utf8')).toBe('old a')
    expect(readdirSync(out).sort()).toEqual(['a.md', 'deck', 'index.html'])
  })

  it('says in one line which output was kept when a site fails to publish', async () => {
    const full = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write' })
    const e = await publishAtomically(out, async () => {
      throw full
    }).catch((err: unknown) => err)
    const line = describeError(e)!
    expect(line).toMatch(new RegExp(`^disk full: no space left to write ${out}/\\. Free space on that disk \\(df -h ${root};`))
    expect(line).toMatch(new RegExp(`; ${out}/ is left as it was$`))
    expect(line).not.toContain('\n')
    expect(readdirSync(root)).toEqual(['dist'])
  })

  it('refuses to replace a file with the site', async () => {
    rmSync(out, { recursive: true })
    writeFileSync(out, 'not a folder')
    await expect(publishAtomically(out, async () => {})).rejects.toThrow(/it is a file, not a folder/)
    expect(readFileSync(out, 'utf8')).toBe('not a folder')
  })
})

describe('stage cache', () => {
  it('returns an entry only under the key it was filled for, and keeps the newest two per deck and stage', async () => {
    const cache = new StageCache(join(root, 'cache'))
    expect(await cache.get('build', 'deck', 'k1')).toBeUndefined()
    const fill = (text: string) => async (dir: string) => writeFile(join(dir, 'index.html'), text)
    await cache.put('build', 'deck', 'k1', fill('one'))
    const hit = await cache.get('build', 'deck', 'k1')
    expect(hit && readFileSync(join(hit, 'index.html'), 'utf8')).toBe('one')
    expect(await cache.get('build', 'deck', 'k2')).toBeUndefined()
    expect(await cache.get('render', 'deck', 'k1'), 'stages do not share entries').toBeUndefined()
    await new Promise(r => setTimeout(r, 20))
    await cache.put('build', 'deck', 'k2', fill('two'))
    await new Promise(r => setTimeout(r, 20))
    await cache.put('build', 'deck', 'k3', fill('three'))
    expect(readdirSync(join(root, 'cache', 'build', 'deck')).sort()).toEqual(['k2', 'k3'])
    // What a build killed mid-stage left behind goes with the next entry written.
    mkdirSync(join(root, 'cache', 'build', 'deck', '.tmp-999999999-1-x'))
    await cache.put('build', 'deck', 'k4', fill('four'))
    expect(readdirSync(join(root, 'cache', 'build', 'deck')).sort()).toEqual(['k3', 'k4'])
    expect(readFileSync(join((await cache.get('build', 'deck', 'k3'))!, 'index.html'), 'utf8')).toBe('three')
  })

  it('leaves no entry when filling it fails', async () => {
    const cache = new StageCache(join(root, 'cache'))
    await expect(cache.put('render', 'deck', 'k1', async (dir) => {
      await writeFile(join(dir, 'half.png'), 'x')
      throw new Error('slide 3 failed')
    })).rejects.toThrow('slide 3 failed')
    expect(await cache.get('render', 'deck', 'k1')).toBeUndefined()
    expect(readdirSync(join(root, 'cache', 'render', 'deck'))).toEqual([])
  })
})
