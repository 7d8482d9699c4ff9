/**
 * What a build or export prints while it works: one line per deck and stage with its time (ran or
 * reused), warnings as they come, and nothing of Slidev's own output unless a stage fails or
 * `--verbose` asks for it. On a terminal a status line at the bottom says what is running now;
 * in CI (no terminal, or CI set) only the plain lines are printed.
 */
import process from 'node:process'

export type StageStatus = 'ran' | 'reused'

export interface Progress {
  /** A stage of a deck started (the terminal's status line shows it). */
  start: (slug: string, stage: string) => void
  /** A stage of a deck finished. */
  done: (slug: string, stage: string, status: StageStatus, ms: number, detail?: string) => void
  /** A line of its own: a warning, a note. */
  note: (line: string) => void
  /** Clears the status line (before the summary). */
  end: () => void
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`
}

export interface ProgressOptions {
  /** Where lines go (default stdout). */
  write?: (text: string) => void
  /** A live status line; default: stdout is a terminal and CI is not set. */
  live?: boolean
  /** Nothing but warnings. */
  quiet?: boolean
}

export function createProgress(options: ProgressOptions = {}): Progress {
  const write = options.write ?? (text => process.stdout.write(text))
  const live = options.live ?? (Boolean(process.stdout.isTTY) && !process.env.CI)
  const running = new Map<string, { stage: string, since: number }>()
  const width = Math.max(20, Math.min(...[
    ...(process.stdout.columns
      ? [process.stdout.columns]
      : []),
    120,
  ]) - 1)
  let shown = false
  const clear = () => {
    if (live && shown)
      write('\r\u001B[2K')
    shown = false
  }
  const status = () => {
    if (!live || !running.size)
      return
    const now = Date.now()
    const text = [...running].map(([slug, r]) => `${slug} ${r.stage} ${seconds(now - r.since)}`).join(' · ')
    write(`\r\u001B[2K… ${text}`.slice(0, width + 6))
    shown = true
  }
  const timer = live
    ? setInterval(status, 500)
    : undefined
  timer?.unref()
  const line = (text: string) => {
    clear()
    write(`${text}\n`)
    status()
  }
  return {
    start(slug, stage) {
      running.set(slug, {
        stage,
        since: Date.now(),
      })
      status()
    },
    done(slug, stage, st, ms, detail) {
      running.delete(slug)
      if (!options.quiet) {
        line(st === 'ran'
          ? `  ✓ ${slug}  ${stage.padEnd(10)} ${seconds(ms).padStart(7)}${detail
            ? `  ${detail}`
            : ''}`
          : `  = ${slug}  ${stage} reused`)
      }
      else {
        status()
      }
    },
    note(text) {
      line(text)
    },
    end() {
      if (timer)
        clearInterval(timer)
      clear()
    },
  }
}

/** A progress that prints nothing (library calls and tests). */
export const silentProgress: Progress = {
  start() {},
  done() {},
  note() {},
  end() {},
}
