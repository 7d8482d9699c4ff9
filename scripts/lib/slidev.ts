/**
 * Runs the Slidev CLI of this repo's node_modules with the Node that runs the toolkit
 * (Node >= 22.12 from the `node` devDependency), whatever `node` is first on the user's PATH.
 */
import type { ChildProcess, SpawnOptions } from 'node:child_process'
import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { trackChild } from './interrupt.ts'
import { repoRoot } from './paths.ts'
import { compileCacheDir } from './site/stage-cache.ts'

const require = createRequire(join(repoRoot, 'package.json'))

export function slidevBin(): string {
  const pkg = require.resolve('@slidev/cli/package.json')
  return join(dirname(pkg), 'bin', 'slidev.mjs')
}

export function spawnSlidev(args: string[], options: SpawnOptions = {}): ChildProcess {
  // Stopped by interrupt.ts on Ctrl+C, so it cannot keep writing into a folder being removed.
  return trackChild(spawn(process.execPath, [
    slidevBin(),
    ...args,
  ], {
    cwd: repoRoot,
    stdio: 'inherit',
    ...options,
    env: {
      // Slidev's start (Vite, Rolldown, UnoCSS, Vue's compiler) compiles less from the second run on.
      NODE_COMPILE_CACHE: compileCacheDir(),
      ...process.env,
      ...options.env,
    },
  }))
}

export interface SlidevRun {
  code: number
  /** What Slidev printed, when its stdout/stderr were piped ('' otherwise). */
  output: string
}

/** Runs Slidev to completion; resolves with its exit code and, with piped stdio, its output. */
export function runSlidev(args: string[], options: SpawnOptions = {}): Promise<SlidevRun> {
  return new Promise((resolve, reject) => {
    const child = spawnSlidev(args, options)
    let output = ''
    child.stdout?.on('data', (d: Buffer) => output += d.toString())
    child.stderr?.on('data', (d: Buffer) => output += d.toString())
    child.on('error', reject)
    // 'close', not 'exit': piped output is complete only once the streams have closed.
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), output }))
  })
}
