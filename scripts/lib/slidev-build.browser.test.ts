/**
 * The Slidev build worker (slidev-build.ts): decks build one after another in one worker process,
 * each with its own folder's style.css, the publishing build leaves @fontsource's Japanese slices out while a build served as it is keeps
 * them, a worker whose memory grew too far is replaced, and a worker that dies mid-build fails
 * that build with a message naming the deck, after which the next build starts a new worker.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import process from 'node:process'
import { afterAll, describe, expect, it } from 'vitest'
import { loadDeck } from './decks.ts'
import { repoRoot } from './paths.ts'
import { closeSlidevBuilds, setWorkerRetireGrowth, slidevBuild, SlidevBuildError } from './slidev-build.ts'

const fixtures = join(repoRoot, 'scripts', 'fixtures')
const basic = loadDeck(join(fixtures, '_pdf-basic'), '_pdf-basic')
const other = loadDeck(join(fixtures, '_check-ok'), '_check-ok')
const ownStyle = loadDeck(join(fixtures, '_own-style'), '_own-style')
const out = mkdtempSync(join(repoRoot, '.cache', 'test-slidev-build-'))

/** Pids of this process's build workers, read from /proc. */
function workerPids(): number[] {
  return readdirSync('/proc').filter(n => /^\d+$/.test(n)).filter((pid) => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      return ppid === process.pid && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('slidev-build-worker.ts')
    }
    catch {
      return false
    }
  }).map(Number)
}

/** Every CSS file a build wrote, as one text. */
function builtCss(dir: string): string {
  return readdirSync(join(dir, 'assets')).filter(f => f.endsWith('.css')).map(f => readFileSync(join(dir, 'assets', f), 'utf8')).join('\n')
}

function japaneseFontFiles(dir: string): string[] {
  return readdirSync(join(dir, 'assets')).filter(f => f.startsWith('biz-udpgothic'))
}

afterAll(() => {
  closeSlidevBuilds()
  rmSync(out, { recursive: true, force: true })
})

describe('the Slidev build worker', () => {
  it('builds deck after deck in one worker process', async () => {
    const seen = new Set<number>()
    const watch = setInterval(() => workerPids().forEach(p => seen.add(p)), 50)
    try {
      await slidevBuild(basic, {
        base: '/a/',
        outDir: join(out, 'a'),
        withoutNotes: true,
      })
      await slidevBuild(other, {
        base: '/b/',
        outDir: join(out, 'b'),
        withoutNotes: true,
      })
    }
    finally {
      clearInterval(watch)
    }
    expect(seen.size).toBe(1)
    expect(readFileSync(join(out, 'a', 'index.html'), 'utf8')).toContain('/a/assets/')
    expect(readFileSync(join(out, 'b', 'index.html'), 'utf8')).toContain('/b/assets/')
  }, 180_000)

  it('gives each deck built in one worker its own style.css, not the one of the deck before it', async () => {
    const seen = new Set<number>()
    const watch = setInterval(() => workerPids().forEach(p => seen.add(p)), 50)
    // One worker for the three builds: it is not replaced for its memory meanwhile.
    const limit = setWorkerRetireGrowth(2 ** 40)
    try {
      // Slidev keeps the roots of the first deck it reads: each deck after it must still get its own.
      for (const [deck, name] of [
        [basic, 's1'],
        [ownStyle, 's2'],
        [basic, 's3'],
      ] as const) {
        await slidevBuild(deck, {
          base: `/${name}/`,
          outDir: join(out, name),
          withoutNotes: true,
        })
      }
    }
    finally {
      clearInterval(watch)
      setWorkerRetireGrowth(limit)
    }
    expect(seen.size).toBe(1)
    expect(builtCss(join(out, 's2'))).toContain('--own-style-marker:7px')
    expect(builtCss(join(out, 's1'))).not.toContain('own-style-marker')
    expect(builtCss(join(out, 's3'))).not.toContain('own-style-marker')
  }, 240_000)

  it('replaces a worker whose memory grew too far after a build; the next build runs in a new one', async () => {
    const seen = new Set<number>()
    const watch = setInterval(() => workerPids().forEach(p => seen.add(p)), 50)
    // Any growth at all is too far: every build's worker is replaced after it.
    const limit = setWorkerRetireGrowth(-Infinity)
    try {
      await slidevBuild(basic, {
        base: '/r1/',
        outDir: join(out, 'r1'),
        withoutNotes: true,
      })
      const first = new Set(seen)
      await slidevBuild(other, {
        base: '/r2/',
        outDir: join(out, 'r2'),
        withoutNotes: true,
      })
      expect(first.size).toBe(1)
      expect(seen.size).toBe(2)
    }
    finally {
      setWorkerRetireGrowth(limit)
      clearInterval(watch)
    }
    expect(readFileSync(join(out, 'r2', 'index.html'), 'utf8')).toContain('/r2/assets/')
  }, 180_000)

  it('leaves the Japanese font\'s slices out only when the fonts are cut after the build', async () => {
    await slidevBuild(basic, {
      base: '/full/',
      outDir: join(out, 'full'),
    })
    await slidevBuild(basic, {
      base: '/cut/',
      outDir: join(out, 'cut'),
      fontsCutAfter: true,
    })
    // @fontsource: ~120 unicode-range slices per weight, each as woff2 and woff.
    expect(japaneseFontFiles(join(out, 'full')).length).toBeGreaterThan(200)
    expect(japaneseFontFiles(join(out, 'cut')).sort()).toEqual([
      expect.stringMatching(/^biz-udpgothic-latin-400-normal-[\w-]+\.woff2$/),
      expect.stringMatching(/^biz-udpgothic-latin-700-normal-[\w-]+\.woff2$/),
    ])
  }, 180_000)

  it('a build right after the workers are closed starts a new worker (it never picks the closing one)', async () => {
    await slidevBuild(other, {
      base: '/c1/',
      outDir: join(out, 'c1'),
      withoutNotes: true,
    })
    const closing = workerPids()
    closeSlidevBuilds()
    await slidevBuild(other, {
      base: '/c2/',
      outDir: join(out, 'c2'),
      withoutNotes: true,
    })
    expect(readFileSync(join(out, 'c2', 'index.html'), 'utf8')).toContain('/c2/assets/')
    expect(workerPids().filter(p => closing.includes(p))).toEqual([])
  }, 180_000)

  it('a worker killed mid-build fails that build naming the deck; the next build starts a new worker', async () => {
    const building = slidevBuild(basic, {
      base: '/k/',
      outDir: join(out, 'killed'),
    })
    const failed = building.then(() => undefined, (e: unknown) => e)
    let pids: number[] = []
    for (let i = 0; i < 200 && !pids.length; i++) {
      await new Promise(r => setTimeout(r, 25))
      pids = workerPids()
    }
    expect(pids).toHaveLength(1)
    process.kill(pids[0]!, 'SIGKILL')
    const error = await failed
    expect(error).toBeInstanceOf(SlidevBuildError)
    expect((error as Error).message).toMatch(/deck _pdf-basic .*the Slidev build process ended \(signal SIGKILL\)/)
    await slidevBuild(basic, {
      base: '/again/',
      outDir: join(out, 'again'),
      withoutNotes: true,
    })
    expect(workerPids()).not.toContain(pids[0])
    expect(readFileSync(join(out, 'again', 'index.html'), 'utf8')).toContain('/again/assets/')
  }, 180_000)
})
