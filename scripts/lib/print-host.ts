/**
 * The print host the build server keeps for the render passes of the commands that build in it
 * (slidev-build-worker.ts forks this): launches headless Chromium, prints decks in it for whoever
 * connects to its Unix socket (pdf/printer.ts), tells the parent once it listens, and ends with
 * the parent (its IPC channel closing, however the parent ended) or with its browser.
 *
 * A process of its own, not the build server: printing (pictures, the PDF) needs an event loop
 * that answers Chromium at once, and the build server's is busy for seconds at a time while it
 * builds.
 */
import { rmSync } from 'node:fs'
import process from 'node:process'
import { launchPrinter, servePrinter } from './pdf/printer.ts'

/** What this process sends its parent once: it listens (on the socket it was given), or why its browser did not start. */
export type PrintHostMessage = { listening: true } | { error: string, executable?: string }

const [executablePath, socketPath] = process.argv.slice(2) as [string, string]
try {
  const printer = await launchPrinter({ executablePath })
  // Crashed or killed: this host has nothing left to do; its parent starts another on the next ask.
  printer.browser.on('disconnected', () => process.exit(1))
  const stop = await servePrinter(printer, socketPath)
  process.on('disconnect', () => {
    // Commands still connected learn at once that their prints are lost, before the browser closes under them.
    stop()
    rmSync(socketPath, { force: true })
    void printer.close().finally(() => process.exit(0))
  })
  process.send!({ listening: true } satisfies PrintHostMessage)
}
catch (e) {
  process.send!({ error: (e as Error).message, executable: executablePath } satisfies PrintHostMessage, () => process.exit(1))
}
