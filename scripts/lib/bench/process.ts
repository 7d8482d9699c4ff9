/**
 * Running a command as a user would, for the publishing benchmarks: its wall-clock time, the lines
 * it printed, and the peak memory of its whole process tree (the CLI, Slidev's builds, Chromium's
 * processes), sampled from /proc. RSS is summed over the tree, so shared pages count once per
 * process: an upper bound, measured the same way for every tool compared.
 */
import { spawn } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import process from 'node:process'
import { repoRoot } from '../paths.ts'

export interface ProcessRun {
  ms: number
  /** Lines printed to stdout and stderr. */
  lines: number
  /** Peak RSS of the process tree, bytes (0 where /proc is not there). */
  peakRss: number
  output: string
}

/** RSS in bytes of `root` and every process under it. */
export function treeRss(root: number): number {
  let entries: string[]
  try {
    entries = readdirSync('/proc').filter(n => /^\d+$/.test(n))
  }
  catch {
    return 0
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
  let total = 0
  const stack = [root]
  for (let pid = stack.pop(); pid !== undefined; pid = stack.pop()) {
    total += rss.get(pid) ?? 0
    stack.push(...(children.get(pid) ?? []))
  }
  return total
}

/** Runs `cmd args` from the repo root; rejects (with its last output) when it exits non-zero. */
export function runMeasured(cmd: string, args: string[], env: Record<string, string> = {}): Promise<ProcessRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now()
    let output = ''
    let peakRss = 0
    const child = spawn(cmd, args, {
      cwd: repoRoot,
      env: {
        ...process.env,
        CI: '1',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const sample = setInterval(() => {
      if (child.pid)
        peakRss = Math.max(peakRss, treeRss(child.pid))
    }, 200)
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
        peakRss,
        output,
      })
    })
  })
}
