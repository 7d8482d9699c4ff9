/**
 * Fault injection against the real CLI (`npm run test:faults`): a disk that fills up, an output
 * that cannot be written, a browser that dies mid-print, SIGINT/SIGTERM at random moments, two
 * builds at once. Each fault runs 20 times with different timing, and every run asserts the exit
 * code, exactly one `✖` line saying what failed and no stack trace, the previous output
 * byte-identical (or, when the run finished before the fault struck, the complete new output),
 * and nothing left behind (no staging folder, temporary file, lock or cache temp).
 *
 * One cold build of a small fixture deck fills a stage cache; every faulty run reuses it, so a run
 * is a no-op build (or, for the browser, the render stage alone). Faults that need root (mounting a
 * small tmpfs, a read-only remount, running as another user) are skipped with the reason printed
 * when the machine does not allow them: never a silent pass.
 */
import type { SpawnOptions } from 'node:child_process'
import { execFileSync, spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import process from 'node:process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findBrowser } from '../lib/browser.ts'
import { repoRoot } from '../lib/paths.ts'

const RUNS = 20
/** A run still going after this long hangs. */
const HANG_MS = 120_000
const DECK = '_pdf-basic'
const work = mkdtempSync(join(tmpdir(), 'faults-'))
const cacheDir = join(work, 'cache')
const ref = join(work, 'ref', 'dist')
const node = process.execPath
const cli = join(repoRoot, 'scripts/cli.ts')
const decksDir = join(repoRoot, 'scripts/fixtures')

interface Run {
  code: number | null
  signal: NodeJS.Signals | null
  output: string
}

/** The CLI as a user runs it; `onStart` gets the child once it printed its first line. */
function runCli(args: string[], options: SpawnOptions & { onStart?: (child: ReturnType<typeof spawn>) => void } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(node, [cli, ...args], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
      ...options,
      env: {
        ...process.env,
        NO_COLOR: '1',
        ...options.env,
      },
    })
    let output = ''
    let started = false
    const take = (d: Buffer) => {
      output += d.toString()
      if (!started) {
        started = true
        options.onStart?.(child)
      }
    }
    child.stdout!.on('data', take)
    child.stderr!.on('data', take)
    child.on('error', reject)
    // A run that hangs is a failure of its own (a leaked server or browser keeping it alive).
    const hang = setTimeout(() => child.kill('SIGKILL'), HANG_MS)
    child.on('close', (code, signal) => {
      clearTimeout(hang)
      resolve({
        code,
        signal,
        output: signal === 'SIGKILL'
          ? `${output}\n[still running after ${HANG_MS / 1000} s: killed]`
          : output,
      })
    })
  })
}

function buildArgs(out: string, cache = cacheDir): string[] {
  return [
    'build',
    DECK,
    '--decks-dir',
    decksDir,
    '--out',
    out,
    '--cache-dir',
    cache,
    '--quiet',
  ]
}

/** Every file under `dir` with the hash of its bytes (and every folder), for byte-for-byte comparison. */
function tree(dir: string): Record<string, string> {
  const files: Record<string, string> = {}
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name)
      if (e.isDirectory()) {
        files[`${relative(dir, p)}/`] = 'dir'
        walk(p)
      }
      else {
        files[relative(dir, p)] = createHash('sha256').update(readFileSync(p)).digest('hex')
      }
    }
  }
  walk(dir)
  return files
}

/** Temporaries the toolkit names (staging, old, tmp, lock) anywhere under `dir`. */
function leftovers(dir: string): string[] {
  if (!existsSync(dir))
    return []
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter(p => /(?:^|\/)\.(?:[^/]+\.(?:staging|old|tmp)-\d+-|tmp-\d+-|[^/]+\.lock$)/.test(p))
}

/** A previous site at `parent/dist`: the reference build plus a marker the next build would not write. */
function previousSite(parent: string): Record<string, string> {
  mkdirSync(parent, { recursive: true })
  cpSync(ref, join(parent, 'dist'), { recursive: true })
  writeFileSync(join(parent, 'dist', 'previous.txt'), `previous site ${Math.random()}\n`)
  return tree(join(parent, 'dist'))
}

/** A failed run: exit 1, one ✖ line matching `line`, no stack trace, the previous site untouched, nothing left. */
function expectFailed(run: Run, parent: string, before: Record<string, string>, line: RegExp, orComplete?: Record<string, string>): void {
  const crosses = run.output.split('\n').filter(l => l.startsWith('✖'))
  expect(run.code, run.output).toBe(1)
  expect(crosses, run.output).toHaveLength(1)
  expect(crosses[0]).toMatch(line)
  expect(run.output).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m)
  const now = tree(join(parent, 'dist'))
  // A signal in the instant after the swap: the new site is whole, which the line allows for.
  expect(orComplete && JSON.stringify(now) === JSON.stringify(orComplete)
    ? orComplete
    : before).toEqual(now)
  expect(readdirSync(parent)).toEqual(['dist'])
}

/** A tree with the hashes of freshly rendered files (a PDF carries its creation time; pictures may differ by a pixel) left out. */
function withoutRendered(files: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(files).map(([p, h]) => [
    p,
    /\.(?:pdf|png)$/.test(p)
      ? 'rendered'
      : h,
  ]))
}

/**
 * A run that finished before the fault struck: exit 0, no ✖, the complete new site, nothing left.
 * `rendered`: the render stage ran again, so the PDF and pictures are new files (compared by name).
 */
function expectFinished(run: Run, parent: string, refTree: Record<string, string>, rendered = false): void {
  expect(run.code, run.output).toBe(0)
  expect(run.output).not.toMatch(/^✖/m)
  const now = tree(join(parent, 'dist'))
  expect(rendered
    ? withoutRendered(now)
    : now).toEqual(rendered
    ? withoutRendered(refTree)
    : refTree)
  expect(readdirSync(parent)).toEqual(['dist'])
}

/** Runs `task(i)` for i in 0..n-1, `width` at a time. */
async function pool(n: number, width: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0
  await Promise.all(Array.from({ length: width }, async () => {
    for (let i = next++; i < n; i = next++)
      await task(i)
  }))
}

/** Why a root-only fault cannot run here, or undefined when it can. */
function cannotMount(): string | undefined {
  if (process.getuid?.() !== 0)
    return 'not root: mounting a small tmpfs needs root'
  const probe = mkdtempSync(join(work, 'probe-'))
  try {
    execFileSync('mount', [
      '-t',
      'tmpfs',
      '-o',
      'size=1m',
      'tmpfs',
      probe,
    ], { stdio: 'pipe' })
    execFileSync('umount', [probe], { stdio: 'pipe' })
    return undefined
  }
  catch (e) {
    return `mount -t tmpfs is not permitted here (${String((e as { stderr?: Buffer }).stderr ?? e).trim()})`
  }
  finally {
    rmSync(probe, { recursive: true, force: true })
  }
}

function mountTmpfs(dir: string, bytes: number): void {
  mkdirSync(dir, { recursive: true })
  execFileSync('mount', [
    '-t',
    'tmpfs',
    '-o',
    `size=${bytes}`,
    'tmpfs',
    dir,
  ])
}

function freeBytes(dir: string): number {
  return Number(execFileSync('df', ['--output=avail', '-B1', dir], { encoding: 'utf8' }).split('\n')[1]!.trim())
}

function skipped(fault: string, why: string): void {
  // Printed, not silent: the summary shows the test as skipped and this line says why.
  console.warn(`SKIPPED fault "${fault}": ${why}`)
}

let refTree: Record<string, string>
let mountWhy: string | undefined
const mounts: string[] = []

beforeAll(async () => {
  // The cold build that fills the cache every fault below reuses.
  const run = await runCli(buildArgs(ref))
  expect(run.code, run.output).toBe(0)
  refTree = tree(ref)
  mountWhy = cannotMount()
  // Unprivileged runs (nobody) read the repo, the cache and the work folder.
  chmodSync(work, 0o755)
}, 600_000)

afterAll(() => {
  for (const m of mounts.reverse()) {
    try {
      execFileSync('umount', ['-l', m], { stdio: 'pipe' })
    }
    catch {}
  }
  rmSync(work, { recursive: true, force: true })
})

describe('faults from the machine', () => {
  it('disk full at different points of a build or a transcript: one line, the previous output kept', async (ctx) => {
    if (mountWhy) {
      skipped('disk full', mountWhy)
      ctx.skip()
    }
    const distBytes = Number(execFileSync('du', ['-sb', ref], { encoding: 'utf8' }).split('\t')[0])
    await pool(RUNS, 3, async (i) => {
      const parent = join(work, `full-${i}`)
      // Room for the previous site and a part of the new one that grows with i: the disk fills up
      // at a different file each time (the build's copy of the deck, the PDF, the index, the transcript).
      mountTmpfs(parent, distBytes * 2 + 2 * 1024 * 1024)
      mounts.push(parent)
      const before = previousSite(parent)
      const transcriptOnly = i % 4 === 3
      const need = transcriptOnly
        ? 40 * 1024
        : distBytes
      const free = Math.floor(need * (i / RUNS))
      // The filler lives on the small disk but outside dist/; it is removed before the listing.
      const fill = join(parent, 'filler')
      writeFileSync(fill, Buffer.alloc(Math.max(0, freeBytes(parent) - free)))
      const run = transcriptOnly
        ? await runCli([
            'transcript',
            DECK,
            '--decks-dir',
            decksDir,
            '--out',
            join(parent, 'dist'),
          ])
        : await runCli(buildArgs(join(parent, 'dist')))
      rmSync(fill)
      expectFailed(run, parent, before, /^✖ .*disk full: no space left to write .*\/dist\/.*df -h .*then run again/)
      expect(leftovers(cacheDir)).toEqual([])
      execFileSync('umount', [parent])
      mounts.splice(mounts.indexOf(parent), 1)
    })
  })

  it('an output that cannot be written (read-only disk, or another user\'s folder): one line, nothing touched', async (ctx) => {
    if (mountWhy) {
      skipped('unwritable output', mountWhy)
      ctx.skip()
    }
    // Root ignores permission bits, so: half the runs write to a read-only mount (EROFS), the
    // other half run as `nobody` (setpriv) into root's folder (EACCES).
    const ro = join(work, 'ro')
    mountTmpfs(ro, 64 * 1024 * 1024)
    mounts.push(ro)
    const roBefore = previousSite(ro)
    execFileSync('mount', ['-o', 'remount,ro', ro])
    await pool(RUNS, 3, async (i) => {
      if (i % 2 === 0) {
        const run = await runCli(buildArgs(join(ro, 'dist')))
        expectFailed(run, ro, roBefore, /^✖ cannot write .*: the file system is read-only\. .*then run again; .*\/dist\/ is left as it was$/)
        return
      }
      const parent = join(work, `locked-${i}`)
      const before = previousSite(parent)
      chmodSync(parent, 0o755)
      // A cache of nobody's own, copied from the warm one: nobody may write there, not in dist's folder.
      const cache = join(work, `cache-nobody-${i}`)
      cpSync(cacheDir, cache, { recursive: true })
      execFileSync('chown', ['-R', 'nobody', cache])
      const asNobody = await new Promise<Run>((resolve, reject) => {
        const child = spawn('setpriv', [
          '--reuid=nobody',
          '--regid=nogroup',
          '--clear-groups',
          node,
          cli,
          ...buildArgs(join(parent, 'dist'), cache),
        ], {
          cwd: repoRoot,
          stdio: ['ignore', 'pipe', 'pipe'],
          env: { ...process.env, HOME: work },
        })
        let output = ''
        child.stdout.on('data', d => output += d)
        child.stderr.on('data', d => output += d)
        child.on('error', reject)
        child.on('close', (code, signal) => resolve({ code, signal, output }))
      })
      expectFailed(asNobody, parent, before, /^✖ cannot write .*: permission denied\. Make .* writable .*; .*\/dist\/ is left as it was$/)
      rmSync(cache, { recursive: true, force: true })
    })
  })

  it('a browser that exits or whose page crashes (out of memory) mid-print: one line naming Chromium, the previous site kept', async () => {
    const chromium = await findBrowser({ print: true })
    await pool(RUNS, 2, async (i) => {
      const parent = join(work, `browser-${i}`)
      const before = previousSite(parent)
      // The deck's render entry is dropped from a copy of the cache, so the render stage runs.
      const cache = join(work, `cache-browser-${i}`)
      cpSync(cacheDir, cache, { recursive: true })
      rmSync(join(cache, 'render'), { recursive: true, force: true })
      rmSync(join(cache, 'fonts'), { recursive: true, force: true })
      // A browser that dies after 0.3 s to 6 s: while starting, loading the deck or printing. Every
      // other run, only its page renderers die, as when the kernel's OOM killer picks them (the
      // browser process lives on and reports the page crashed): only this run's own processes,
      // found by walking down from the browser it started.
      const delay = (0.3 + (5.7 * i) / RUNS).toFixed(2)
      const wrapper = join(work, `chromium-dies-${i}.sh`)
      const kill = i % 2
        ? `for p in $(pgrep -P $pid) $(for c in $(pgrep -P $pid); do pgrep -P $c; done) $(for c in $(pgrep -P $pid); do for g in $(pgrep -P $c); do pgrep -P $g; done; done); do grep -q -- --type=renderer /proc/$p/cmdline 2>/dev/null && kill -9 $p; done`
        : 'kill -9 $pid'
      writeFileSync(wrapper, `#!/bin/sh\n"${chromium}" "$@" &\npid=$!\n( sleep ${delay}; ${kill} ) &\nwait $pid\n`, { mode: 0o755 })
      const run = await runCli(buildArgs(join(parent, 'dist'), cache), {
        env: { CHROME_PATH: wrapper },
      })
      if (run.code === 0) {
        expectFinished(run, parent, refTree, true)
      }
      else {
        expectFailed(run, parent, before, /^✖ deck _pdf-basic, render stage: Chromium (?:exited before it finished|crashed|failed to start).*then run again; .*\/dist\/ is left as it was$/)
      }
      expect(leftovers(cache)).toEqual([])
      rmSync(cache, { recursive: true, force: true })
    })
  })

  it('signals (SIGINT, SIGTERM) at random moments: one line, exit 1, the previous site kept, nothing left', async () => {
    let interrupted = 0
    // How long a no-op build runs after its first line on this machine now, loaded as the runs below will be.
    const timed = join(work, 'signal-timed')
    previousSite(timed)
    // Timed twice, the shorter kept: the first run also fills Node's compile cache, and a span
    // longer than the runs below would send most signals after they finished.
    let span = Infinity
    for (let k = 0; k < 2; k++) {
      let firstLine = 0
      const started = Date.now()
      await runCli(buildArgs(join(timed, 'dist')).filter(a => a !== '--quiet'), {
        onStart: () => {
          firstLine = Date.now()
        },
      })
      span = Math.min(span, Math.max(100, Date.now() - (firstLine || started)))
    }
    await pool(RUNS, 3, async (i) => {
      const parent = join(work, `signal-${i}`)
      const before = previousSite(parent)
      const signal = i % 2
        ? 'SIGTERM'
        : 'SIGINT'
      // Timed from the first line the command prints (a signal before Node runs the CLI's first
      // line meets Node's default: exit 130, nothing written yet) to about the build's end.
      const delay = Math.floor((i / RUNS) * span * 0.6 + Math.random() * span * 0.1)
      const run = await runCli(buildArgs(join(parent, 'dist')).filter(a => a !== '--quiet'), {
        onStart: child => setTimeout(() => child.kill(signal), delay),
      })
      // The build finished, and the signal came in the last milliseconds of Node's own teardown,
      // after every JavaScript handler has run (Node's default then ends it): the site is whole.
      if (run.code === null && run.signal === signal && /^Site: /m.test(run.output) && !/^✖/m.test(run.output)) {
        expectFinished({ ...run, code: 0 }, parent, refTree)
        return
      }
      if (run.code === 0) {
        expectFinished(run, parent, refTree)
        return
      }
      interrupted++
      expectFailed(run, parent, before, new RegExp(`^✖ build interrupted \\(${signal}\\): stopped before finishing; no output is half-written`), refTree)
      expect(leftovers(cacheDir)).toEqual([])
    })
    // The timing has to hit the build most of the time, or this proves little.
    expect(interrupted).toBeGreaterThanOrEqual(RUNS / 2)
  })

  it('two builds at once into one folder: both finish, the site is whole, nothing left', async () => {
    await pool(RUNS, 2, async (i) => {
      const parent = join(work, `twice-${i}`)
      previousSite(parent)
      const offset = Math.floor(Math.random() * 1500)
      const [a, b] = await Promise.all([
        runCli(buildArgs(join(parent, 'dist'))),
        new Promise<Run>(resolve => setTimeout(() => resolve(runCli(buildArgs(join(parent, 'dist')))), offset)),
      ])
      expectFinished(a, parent, refTree)
      expectFinished(b, parent, refTree)
      expect(statSync(join(parent, 'dist')).isDirectory()).toBe(true)
    })
    expect(leftovers(cacheDir)).toEqual([])
  })
})
