/**
 * Every output the toolkit publishes is written here, whole or not at all:
 * - a directory (the site) is assembled in a staging directory next to it (same file system, so
 *   renames are atomic) and swapped in with two synchronous renames, under a lock so two builds at
 *   once take turns; a build that fails or is interrupted before the swap never touches the old
 *   directory, and the one instant between the two renames (a SIGKILL there) is repaired by
 *   recoverOutput() at the start of the next build;
 * - a file (a PDF, a transcript) is written to a temporary file beside it and renamed over it;
 *   several files of one result (a talk's three transcripts) are renamed in together.
 * Temporaries are registered with interrupt.ts, so Ctrl+C removes them; a failure removes them too
 * and marks the error with the output it left as it was (errors.ts prints that in its one line).
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs'
import { mkdir, rename, rm } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import process from 'node:process'
import { annotateFault, UserError } from '../errors.ts'
import { trackTemp } from '../interrupt.ts'
import { pidAlive, withLock } from '../lock.ts'

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

export function stagingDirFor(outDir: string): string {
  return join(dirname(outDir), `.${basename(outDir)}.staging-${process.pid}-${Date.now().toString(36)}`)
}

function tempName(path: string, kind: string): string {
  return join(dirname(path), `.${basename(path)}.${kind}-${process.pid}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`)
}

/** How long a build waits for another one's swap of the same directory (a swap takes milliseconds). */
const LOCK_WAIT_MS = 60_000

/** Two builds into one directory take turns at the swap (`<parent>/.<name>.lock`). */
async function withSwapLock(outDir: string, swap: () => void): Promise<void> {
  await withLock(join(dirname(outDir), `.${basename(outDir)}.lock`), swap, { waitMs: LOCK_WAIT_MS, what: `swapping ${outDir} in` })
}

/**
 * Runs `fill(staging)` and, if it succeeds, makes staging the new `outDir`. If `fill` throws (or
 * the process is interrupted), `outDir` is left exactly as it was and the staging directory is removed.
 */
export async function publishAtomically<T>(outDir: string, fill: (staging: string) => Promise<T>): Promise<T> {
  const hadOld = existsSync(outDir)
  if (hadOld && !statSync(outDir).isDirectory())
    throw new UserError(`cannot write the site to ${outDir}: it is a file, not a folder. Move the file away or choose another --out, then run again`)
  const kept = hadOld
    ? { kept: `${outDir}/`, target: `${outDir}/` }
    : { target: `${outDir}/` }
  const staging = stagingDirFor(outDir)
  const untrack = trackTemp(staging)
  let result: T
  try {
    await mkdir(dirname(outDir), { recursive: true })
    // Synchronous, as every temporary's creation: an interrupt's clean-up cannot race a mkdir
    // still running in libuv's thread pool (which would bring the folder back after its removal).
    mkdirSync(staging)
    result = await fill(staging)
    await withSwapLock(outDir, () => {
      // Synchronous: no signal handler can run between the two renames.
      const old = tempName(outDir, 'old')
      const replacing = existsSync(outDir)
      if (replacing)
        renameSync(outDir, old)
      try {
        renameSync(staging, outDir)
      }
      catch (e) {
        if (replacing)
          renameSync(old, outDir)
        throw e
      }
      if (replacing)
        rmSync(old, { recursive: true, force: true })
    })
  }
  catch (e) {
    await rm(staging, { recursive: true, force: true }).catch(() => {})
    throw annotateFault(e, kept)
  }
  finally {
    untrack()
  }
  return result
}

/** Writes several files, each through a temporary file beside it; they are renamed in together once all are written. */
export async function writeFilesAtomically(files: { path: string, data: string | Uint8Array }[]): Promise<void> {
  const temps: { tmp: string, path: string, untrack: () => void }[] = []
  try {
    for (const { path, data } of files) {
      await mkdir(dirname(path), { recursive: true })
      const tmp = tempName(path, 'tmp')
      temps.push({
        tmp,
        path,
        untrack: trackTemp(tmp),
      })
      // Synchronous (see publishAtomically): the temporary exists whole, or is removed, when a signal is handled.
      try {
        writeFileSync(tmp, data)
      }
      catch (e) {
        throw annotateFault(e, { target: path })
      }
    }
    for (const { tmp, path } of temps)
      renameSync(tmp, path)
  }
  catch (e) {
    for (const { tmp } of temps) {
      try {
        unlinkSync(tmp)
      }
      catch {}
    }
    throw annotateFault(e, {
      kept: files.length === 1
        ? files[0]!.path
        : `${files.map(f => basename(f.path)).join(', ')}`,
    })
  }
  finally {
    for (const { untrack } of temps)
      untrack()
  }
}

/** Writes a file through a temporary file and a rename: a reader (or a failure) never sees half a file. */
export async function writeFileAtomically(path: string, data: string | Uint8Array): Promise<void> {
  await writeFilesAtomically([
    { path, data },
  ])
}
