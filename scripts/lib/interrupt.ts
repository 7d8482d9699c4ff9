/**
 * Ctrl+C and SIGTERM in the middle of a command: the temporary files and folders it was filling
 * (staging site, cache entry, PDF or transcript temp file) are removed, the processes it started
 * (Slidev, Chromium) are stopped, one `✖` line says what happened, and it exits with code 1.
 * Signal handlers run between two turns of the event loop, so an interrupt never lands inside a
 * synchronous step (the two renames that swap a site in are synchronous for this reason).
 */
import type { ChildProcess } from 'node:child_process'
import { rmSync } from 'node:fs'
import process from 'node:process'

const temps = new Set<string>()
const children = new Set<ChildProcess>()

/** Registers a temporary path to remove on interrupt; call the result once it is renamed or removed. */
export function trackTemp(path: string): () => void {
  temps.add(path)
  return () => temps.delete(path)
}

/** Registers a child process to stop on interrupt (forgotten by itself when it exits). */
export function trackChild(child: ChildProcess): ChildProcess {
  children.add(child)
  child.once('exit', () => children.delete(child))
  return child
}

const kills = new Set<() => void>()

/** Registers a way to stop a process this command did not start (the build server mid-build); call the result once it is no longer needed. */
export function trackKill(kill: () => void): () => void {
  kills.add(kill)
  return () => kills.delete(kill)
}

/** Stops the children and removes the temporaries, synchronously. */
export function cleanUpNow(): void {
  for (const kill of kills) {
    try {
      kill()
    }
    catch {}
  }
  kills.clear()
  for (const child of children) {
    try {
      child.kill('SIGKILL')
    }
    catch {}
  }
  children.clear()
  for (const path of temps) {
    try {
      // Retried: a write still finishing in libuv's thread pool can add an entry while the folder is emptied (ENOTEMPTY).
      rmSync(path, {
        recursive: true,
        force: true,
        maxRetries: 20,
        retryDelay: 5,
      })
    }
    catch {}
  }
  temps.clear()
}

export interface SignalHandling {
  /** Hands the signals back (dev, preview: Ctrl+C is their normal end). */
  stop: () => void
  /** The command is over with `code`: a signal from now on only ends the process with that code, quietly. */
  finish: (code: number) => void
}

/**
 * Makes SIGINT/SIGTERM/SIGHUP end `command` with one line and exit code 1, after cleaning up. Once
 * the command is over (finish), a signal during the last moments of teardown exits with the
 * command's own code and says nothing: its output is complete.
 */
export function exitCleanlyOnSignal(command: string, print: (line: string) => void = line => console.error(line)): SignalHandling {
  let finished: number | undefined
  const handler = (signal: NodeJS.Signals) => {
    cleanUpNow()
    if (finished === undefined)
      print(`✖ ${command} interrupted (${signal}): stopped before finishing; no output is half-written (each is as it was, or complete) and no temporary file is left. Run it again to finish`)
    process.exit(finished ?? 1)
  }
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP']
  for (const s of signals)
    process.on(s, handler)
  return {
    stop: () => {
      for (const s of signals)
        process.off(s, handler)
    },
    finish: (code) => {
      finished = code
    },
  }
}
