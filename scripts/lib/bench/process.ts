/**
 * Running a command as a user would, for the publishing benchmarks: its wall-clock time, the lines
 * it printed, and the peak memory of its whole process tree (the CLI, Slidev's builds, Chromium's
 * processes), sampled from /proc (every 200 ms; PSS less often, see SAMPLE_MS), three ways: the largest single process's RSS (what
 * `/usr/bin/time` reports, the measure of the first table), the tree's PSS (each shared
 * page split among the processes sharing it: the memory the command really holds), and the tree's
 * RSS (shared pages counted once per process: an upper bound). Each is measured the same way for
 * every tool compared.
 */
import { spawn } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import process from 'node:process'
import { repoRoot } from '../paths.ts'

export interface ProcessRun {
  ms: number
  /** Lines printed to stdout and stderr. */
  lines: number
  /** Peak RSS summed over the process tree, bytes (0 where /proc is not there). */
  peakRss: number
  /** Peak PSS summed over the process tree, bytes. */
  peakPss: number
  /** Peak RSS of the largest single process of the tree, bytes. */
  peakLargest: number
  output: string
}

/** Proportional set size of one process, bytes (its share of every page it maps). */
function pssOf(pid: number): number {
  try {
    const kb = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1]
    return Number(kb ?? 0) * 1024
  }
  catch {
    return 0
  }
}

/** Whether each pid seen is a build server (its command line read once: pids are not reused within a run). */
const serverPids = new Map<number, boolean>()

function isBuildServer(pid: number): boolean {
  let known = serverPids.get(pid)
  if (known === undefined) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8')
      known = cmdline.includes('slidev-build-worker.ts') && cmdline.includes('--listen')
    }
    catch {
      known = false
    }
    serverPids.set(pid, known)
  }
  return known
}

/**
 * The pids of `root`, every process under it, and every build server running (slidev-build.ts): a
 * command's builds run in one when it has one, outside its own process tree. With each one's RSS.
 */
function treeOf(root: number): Map<number, number> | undefined {
  let entries: string[]
  try {
    entries = readdirSync('/proc').filter(n => /^\d+$/.test(n))
  }
  catch {
    return undefined
  }
  const children = new Map<number, number[]>()
  const rss = new Map<number, number>()
  for (const name of entries) {
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8')
      // Fields after the command (which may hold spaces) start after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      const pid = Number(name)
      const ppid = Number(fields[1])
      // Field 24 of stat (rss, in pages) is the 22nd after the command.
      rss.set(pid, Number(fields[21]) * 4096)
      children.set(ppid, [
        ...(children.get(ppid) ?? []),
        pid,
      ])
    }
    catch {}
  }
  const stack = [
    root,
    ...entries.map(Number).filter(isBuildServer),
  ]
  // A server the command started is also its child until the command ends: counted once.
  const tree = new Map<number, number>()
  for (let pid = stack.pop(); pid !== undefined; pid = stack.pop()) {
    if (tree.has(pid))
      continue
    tree.set(pid, rss.get(pid) ?? 0)
    stack.push(...(children.get(pid) ?? []))
  }
  return tree
}

/**
 * How often memory is sampled, and how often at most its PSS: reading a process's smaps_rollup
 * walks its page tables, about 60 ms of kernel time for a build's ten processes on this machine
 * under load. Read every 200 ms, it took 10-15 % of a core from the command being timed; now it is
 * read only while the tree's RSS is near its peak so far (PSS never exceeds RSS), once a second at
 * most.
 */
const SAMPLE_MS = 200
const PSS_MS = 1000
const PSS_NEAR_PEAK = 0.9

/** Runs `cmd args` from the repo root; rejects (with its last output) when it exits non-zero. */
export function runMeasured(cmd: string, args: string[], env: Record<string, string> = {}): Promise<ProcessRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now()
    let output = ''
    const peak = { rss: 0, pss: 0, largest: 0 }
    const child = spawn(cmd, args, {
      cwd: repoRoot,
      env: {
        ...process.env,
        CI: '1',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let pssAt = -Infinity
    const sample = setInterval(() => {
      if (!child.pid)
        return
      const tree = treeOf(child.pid)
      if (!tree)
        return
      const rss = [
        ...tree.values(),
      ].reduce((a, b) => a + b, 0)
      peak.rss = Math.max(peak.rss, rss)
      peak.largest = Math.max(peak.largest, ...tree.values())
      const t = performance.now()
      if (rss >= peak.rss * PSS_NEAR_PEAK && t - pssAt >= PSS_MS) {
        pssAt = t
        peak.pss = Math.max(peak.pss, [
          ...tree.keys(),
        ].reduce((sum, pid) => sum + pssOf(pid), 0))
      }
    }, SAMPLE_MS)
    child.stdout!.on('data', (d: Buffer) => output += d.toString())
    child.stderr!.on('data', (d: Buffer) => output += d.toString())
    child.on('error', (e) => {
      clearInterval(sample)
      reject(e)
    })
    child.on('close', (code) => {
      clearInterval(sample)
      const ms = performance.now() - started
      if (code !== 0) {
        reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}\n${output.slice(-3000)}`))
        return
      }
      resolve({
        ms,
        lines: output.split('\n').filter(l => l.trim()).length,
        peakRss: peak.rss,
        peakPss: peak.pss,
        peakLargest: peak.largest,
        output,
      })
    })
  })
}
