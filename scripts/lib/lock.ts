/**
 * A lock between processes of this toolkit: a file created exclusively, holding its holder's pid.
 * Two builds swapping into one output folder, or building one deck folder (Slidev writes shared
 * files into the deck's node_modules/.slidev), take turns instead of tripping over each other.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import process from 'node:process'
import { UserError } from './errors.ts'

export function pidAlive(pid: number): boolean {
  if (pid === process.pid)
    return true
  try {
    process.kill(pid, 0)
    return true
  }
  catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Runs `fn` while holding `lock`: other processes (and other calls in this one) wanting the same
 * lock take turns. A lock whose holder died is taken over; one held
 * longer than `waitMs` fails with a message saying `what` waits and how to clear it.
 */
export async function withLock<T>(lock: string, fn: () => T | Promise<T>, options: { waitMs: number, what: string }): Promise<T> {
  const deadline = Date.now() + options.waitMs
  mkdirSync(dirname(lock), { recursive: true })
  for (;;) {
    try {
      writeFileSync(lock, String(process.pid), { flag: 'wx' })
      break
    }
    catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST')
        throw e
      const holder = Number(readFileSync(lock, 'utf8').trim() || 'NaN')
      if (!holder || !pidAlive(holder)) {
        // Stale (its holder died, or it is being written this instant): take it over.
        rmSync(lock, { force: true })
        continue
      }
      if (Date.now() > deadline)
        throw new UserError(`another process (pid ${holder}) holds ${lock} and has not finished ${options.what} for ${Math.round(options.waitMs / 1000)} s: wait for it, or delete the lock if no such process runs`)
      await new Promise(r => setTimeout(r, 50))
    }
  }
  try {
    return await fn()
  }
  finally {
    rmSync(lock, { force: true })
  }
}
