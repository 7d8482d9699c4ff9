/**
 * Replaces an output directory as a whole: the new site is assembled in a staging directory next
 * to it (same file system, so renames are atomic) and swapped in with two renames. A build that
 * fails or is interrupted before the swap never touches the old directory; the one instant between
 * the two renames is repaired by recoverOutput() at the start of the next build.
 */
import { existsSync, readdirSync } from 'node:fs'
import { mkdir, rename, rm } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'

function siblings(outDir: string, kind: 'staging' | 'old'): string[] {
  const parent = dirname(outDir)
  const prefix = `.${basename(outDir)}.${kind}-`
  if (!existsSync(parent))
    return []
  return readdirSync(parent).filter(n => n.startsWith(prefix)).map(n => join(parent, n))
}

/**
 * Puts back an output directory left moved aside by an interrupted swap, and removes stale staging
 * directories of builds that died. Returns what it did, for the build log.
 */
export async function recoverOutput(outDir: string, isAlive: (pid: number) => boolean = pidAlive): Promise<string[]> {
  const notes: string[] = []
  const stale = (path: string) => {
    const pid = Number(/-(\d+)-[^-]+$/.exec(basename(path))?.[1])
    return !pid || !isAlive(pid)
  }
  const olds = siblings(outDir, 'old').filter(stale)
  if (!existsSync(outDir) && olds.length) {
    await rename(olds[0]!, outDir)
    notes.push(`restored ${basename(outDir)}/ from an interrupted build`)
  }
  for (const dir of [
    ...siblings(outDir, 'old'),
    ...siblings(outDir, 'staging'),
  ].filter(stale)) {
    if (existsSync(dir)) {
      await rm(dir, { recursive: true, force: true })
      notes.push(`removed leftover ${basename(dir)}`)
    }
  }
  return notes
}

function pidAlive(pid: number): boolean {
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

export function stagingDirFor(outDir: string): string {
  return join(dirname(outDir), `.${basename(outDir)}.staging-${process.pid}-${Date.now().toString(36)}`)
}

/**
 * Runs `fill(staging)` and, if it succeeds, makes staging the new `outDir`. If `fill` throws (or
 * the process dies), `outDir` is left exactly as it was and the staging directory is removed.
 */
export async function publishAtomically<T>(outDir: string, fill: (staging: string) => Promise<T>): Promise<T> {
  await mkdir(dirname(outDir), { recursive: true })
  const staging = stagingDirFor(outDir)
  await mkdir(staging)
  let result: T
  try {
    result = await fill(staging)
  }
  catch (e) {
    await rm(staging, { recursive: true, force: true })
    throw e
  }
  const old = join(dirname(outDir), `.${basename(outDir)}.old-${process.pid}-${Date.now().toString(36)}`)
  const hadOld = existsSync(outDir)
  if (hadOld)
    await rename(outDir, old)
  try {
    await rename(staging, outDir)
  }
  catch (e) {
    if (hadOld)
      await rename(old, outDir)
    throw e
  }
  if (hadOld)
    await rm(old, { recursive: true, force: true })
  return result
}
