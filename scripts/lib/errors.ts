/**
 * What the CLI tells the user when something fails. Two kinds of failure get one `✖` line and no
 * stack trace: a UserError (a broken deck, a bad option: its message is already complete) and a
 * fault from the machine (disk full, output not writable, a file where a folder should be, the
 * browser missing, crashing or out of memory, a port taken), which describeFault() turns into one
 * line naming what failed, where, and what to do. Anything else is a bug and keeps its stack.
 */
import { dirname } from 'node:path'

/** An error whose message is complete for the user: the CLI prints it without a stack trace. */
export class UserError extends Error {
  readonly userFacing = true
  constructor(message: string) {
    super(message)
    this.name = 'UserError'
  }
}

/** "1 deck", "3 decks": counts in messages. */
export function countOf(n: number, noun: string): string {
  return `${n} ${noun}${n === 1
    ? ''
    : 's'}`
}

/** Where a fault happened, added by the code that knows (the pipeline: the deck and stage; publishing: the output kept). */
export interface FaultContext {
  /** The deck being processed, e.g. "deck 2024-09-20-x (render)". */
  during?: string
  /** The previous output that is left exactly as it was, e.g. "/work/dist/". */
  kept?: string
  /** What was being written, for errors that do not name it (a failed write() names no path). */
  target?: string
  /** The stage cache's root: a fault under it gets advice about the cache, not the output. */
  cache?: string
}

type Annotated = Error & {
  code?: string
  syscall?: string
  path?: string
  dest?: string
  address?: string
  port?: number
  fault?: FaultContext
  /** The browser executable that failed to launch (browser.ts): the headless shell or a full Chromium. */
  executable?: string
}

/** Attaches where a fault happened to the error (the first annotation of each field wins: the innermost knows best). */
export function annotateFault<E>(e: E, context: FaultContext): E {
  if (e instanceof Error) {
    const err = e as Annotated
    err.fault = {
      ...context,
      ...err.fault,
    }
  }
  return e
}

/** Errno codes that are the machine's doing, not the toolkit's or the deck's. */
const FS_FAULTS = new Set([
  'ENOSPC',
  'EDQUOT',
  'EACCES',
  'EPERM',
  'EROFS',
  'ENOTDIR',
  'EEXIST',
  'EISDIR',
  'EMFILE',
  'ENFILE',
  'ENOMEM',
  'EIO',
  'EADDRINUSE',
  'EADDRNOTAVAIL',
])

/** Playwright's ways of saying the browser went away or would not start. */
const BROWSER_GONE = /Target page, context or browser has been closed|Browser has been closed|browser has disconnected|Target closed|Page crashed|Target crashed|Browser closed|Connection closed|browserType\.launch/i

/** True for an environmental fault that describeFault() can put in one line. */
export function isFault(e: unknown): boolean {
  if (!(e instanceof Error))
    return false
  const err = e as Annotated
  return (err.code !== undefined && FS_FAULTS.has(err.code)) || BROWSER_GONE.test(err.message) || err.name === 'BrowserNotFoundError'
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.trim()
}

/**
 * The path the user knows: a file inside a staging folder or a temporary file (publish.ts names
 * them `.<name>.staging-<pid>-<id>`, `.<name>.tmp-<pid>-<id>`) is shown at the place it was headed for.
 */
export function shownPath(path: string): string {
  return path
    .replace(/\.([^/\\]+)\.(?:staging|tmp)-\d+-[a-z0-9]+/gi, '$1')
    .replace(/\/\.tmp-\d+-\d+-[a-z0-9]+\//gi, '/<new entry>/')
}

function where(err: Annotated): string {
  return shownPath(err.dest ?? err.path ?? err.fault?.target ?? '(unknown path)')
}

/** One line for a fault (without the ✖), or undefined when `e` is not one. */
export function describeFault(e: unknown): string | undefined {
  if (!isFault(e))
    return undefined
  const err = e as Annotated
  if (err.name === 'BrowserNotFoundError')
    return err.message
  const path = where(err)
  // The folder to free space in or make writable: the stage cache's or the output's when the path is theirs.
  const cache = err.fault?.cache
  const inCache = Boolean(cache && path.startsWith(`${cache}/`))
  const folder = inCache
    ? cache!
    : err.fault?.kept
      ? dirname(err.fault.kept.replace(/\/$/, ''))
      : err.path || err.fault?.target
        ? dirname(path)
        : path
  const elsewhere = inCache
    ? 'keep the stage cache on another disk (TALKS_CACHE_DIR=<dir>, or build --cache-dir <dir>)'
    : 'write elsewhere (--out <dir>)'

  let line: string
  switch (err.code) {
    case 'ENOSPC':
    case 'EDQUOT':
      line = `disk full: no space left to write ${path}. Free space on that disk (df -h ${folder}${!inCache && err.fault?.kept
        ? '; the new output is written beside the old one before replacing it, so it needs room for both'
        : ''}) or ${elsewhere}, then run again`
      break
    case 'EACCES':
    case 'EPERM':
      line = `cannot write ${path}: permission denied. Make ${folder} writable for this user or ${elsewhere}, then run again`
      break
    case 'EROFS':
      line = `cannot write ${path}: the file system is read-only. Remount it writable or ${elsewhere}, then run again`
      break
    case 'ENOTDIR':
      line = `cannot write ${path}: part of that path is a file, not a folder. Move the file away or choose another --out, then run again`
      break
    case 'EEXIST':
      line = `cannot create the folder ${path}: a file of that name is in the way. Move it away or choose another --out, then run again`
      break
    case 'EISDIR':
      line = `cannot write ${path}: it is a folder, not a file. Move it away or choose another output, then run again`
      break
    case 'EMFILE':
    case 'ENFILE':
      line = `too many open files while reading or writing ${path}. Raise the limit (ulimit -n 4096), then run again`
      break
    case 'ENOMEM':
      line = `out of memory (${err.syscall ?? 'allocation'} ${path === '(unknown path)'
        ? ''
        : path}). Close other programs or build fewer decks at once (--concurrency 1), then run again`
      break
    case 'EIO':
      line = `input/output error on ${path}: the disk or its connection failed. Check the disk (dmesg), then run again`
      break
    case 'EADDRINUSE':
    case 'EADDRNOTAVAIL':
      line = `port ${err.port ?? '?'} on ${!err.address || err.address === '::' || err.address === '0.0.0.0'
        ? 'this machine'
        : err.address} is ${err.code === 'EADDRINUSE'
        ? 'already in use'
        : 'not available'}. Stop what is using it or pick another with --port N`
      break
    default: {
      // The browser: would not start, crashed (most often out of memory) or was killed.
      const message = firstLine(err.message)
      if (/browserType\.launch/i.test(message))
        line = `Chromium failed to start (${message.replace(/^browserType\.launch:\s*/i, '')}). Check that it runs (${err.executable ?? 'chromium'} --version) or point CHROME_PATH at a working Chrome/Chromium, then run again`
      else if (/crashed/i.test(message))
        line = `Chromium crashed (${message}), most often out of memory. Close other programs or use --concurrency 1, then run again`
      else
        line = `Chromium exited before it finished (${message}): it crashed, ran out of memory or was killed. Close other programs or use --concurrency 1, then run again`
    }
  }
  const context = err.fault
  return `${context?.during
    ? `${context.during}: `
    : ''}${line}${context?.kept
    ? `; ${context.kept} is left as it was`
    : ''}`
}

/** What a child process (Slidev, Vite, Rolldown) prints when the machine fails it, by errno code. */
const OUTPUT_FAULTS: [RegExp, string][] = [
  [/ENOSPC|No space left on device|os error 28\b/i, 'ENOSPC'],
  [/EDQUOT|Disk quota exceeded/i, 'EDQUOT'],
  [/EROFS|Read-only file system/i, 'EROFS'],
  [/EACCES|Permission denied \(os error 13\)/i, 'EACCES'],
  [/ENOMEM|Cannot allocate memory|JavaScript heap out of memory/i, 'ENOMEM'],
]

/**
 * A fault hidden in a child process's output (a `slidev build` that ran out of disk), as an error
 * describeFault() can put in one line, with the path it was writing when the output names one.
 */
export function faultFromOutput(output: string): Error | undefined {
  const hit = OUTPUT_FAULTS.find(([re]) => re.test(output))
  if (!hit)
    return undefined
  const path = /(?:Failed to write file in|, (?:open|write|mkdir|copyfile|rename) ')\s*'?([^'\n]+)/.exec(output)?.[1]?.trim()
  return Object.assign(new Error(`${hit[1]} in a child process${path
    ? `: ${path}`
    : ''}`), {
    code: hit[1],
    ...(path
      ? { path }
      : {}),
  })
}

/** The one line the CLI prints (without the ✖) for an error it knows, or undefined for a bug. */
export function describeError(e: unknown): string | undefined {
  if (e instanceof Error && (e as { userFacing?: boolean }).userFacing)
    return e.message
  return describeFault(e)
}
