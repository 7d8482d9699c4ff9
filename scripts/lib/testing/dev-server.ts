/** Starts `npm run dev`'s Slidev server for one deck in a test and waits until it answers. */
import type { ChildProcess } from 'node:child_process'
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { repoRoot } from '../paths.ts'

export interface RunningServer {
  url: string
  output: () => string
  stop: () => Promise<void>
}

export async function waitForHttp(url: string, timeoutMs: number, child?: ChildProcess, output?: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null)
      throw new Error(`server exited with code ${child.exitCode} before answering ${url}\n${output?.() ?? ''}`)
    try {
      const res = await fetch(url)
      if (res.ok)
        return
    }
    catch {}
    await new Promise(r => setTimeout(r, 250))
  }
  throw new Error(`no answer from ${url} after ${timeoutMs} ms\n${output?.() ?? ''}`)
}

/** Runs the toolkit's own CLI (`node scripts/cli.ts <args>`), as `npm run` would. */
export async function startCli(args: string[], url: string, env: Record<string, string> = {}): Promise<RunningServer> {
  let log = ''
  const child = spawn(process.execPath, [
    join(repoRoot, 'scripts/cli.ts'),
    ...args,
  ], {
    cwd: repoRoot,
    env: {
      ...process.env,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  })
  const append = (d: Buffer) => {
    log += d.toString()
  }
  child.stdout!.on('data', append)
  child.stderr!.on('data', append)
  const output = () => log
  const stop = async () => {
    if (child.exitCode !== null)
      return
    const exited = new Promise(r => child.once('exit', r))
    try {
      // The CLI spawns Slidev; kill the whole process group so no server outlives the test.
      process.kill(-child.pid!, 'SIGTERM')
    }
    catch {}
    await Promise.race([
      exited,
      new Promise(r => setTimeout(r, 5000)),
    ])
    if (child.exitCode === null) {
      try {
        process.kill(-child.pid!, 'SIGKILL')
      }
      catch {}
    }
  }
  try {
    await waitForHttp(url, 120_000, child, output)
  }
  catch (e) {
    await stop()
    throw e
  }
  return { url, output, stop }
}

export function startDevServer(deck: string, port: number, extraArgs: string[] = []): Promise<RunningServer> {
  return startCli([
    'dev',
    deck,
    '--port',
    String(port),
    ...extraArgs,
  ], `http://localhost:${port}/`)
}
