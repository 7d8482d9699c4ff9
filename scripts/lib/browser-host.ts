/**
 * Hosts the headless Chromium the build server keeps for printing (slidev-build-worker.ts forks
 * this): launches it with Playwright's `launchServer`, sends its endpoint to the parent, and ends
 * with the parent (its IPC channel closing, however the parent ended).
 *
 * A process of its own because a Playwright browser server relays every protocol message of the
 * commands printing in it (pictures and the PDF among them): inside the build server, that relay
 * would wait whenever its event loop is busy building, for seconds at a time. (The pipeline uses the
 * kept browser only when it has no deck left to build: beside a build, on 2 cores, the relay made a
 * cold 3-deck publish slower wherever it ran; BENCHMARKS.md.)
 */
import process from 'node:process'
import { launchBrowserServer } from './browser.ts'

/** What this process sends its parent once: the endpoint, or why the browser did not start. */
export type BrowserHostMessage = { endpoint: string } | { error: string, executable?: string }

const executablePath = process.argv[2]!
try {
  const server = await launchBrowserServer(executablePath)
  // Crashed or killed: this host has nothing left to do; its parent launches another on the next ask.
  server.on('close', () => process.exit(1))
  process.on('disconnect', () => void server.close().finally(() => process.exit(0)))
  process.send!({
    endpoint: server.wsEndpoint(),
  } satisfies BrowserHostMessage)
}
catch (e) {
  process.send!({ error: (e as Error).message, executable: executablePath } satisfies BrowserHostMessage, () => process.exit(1))
}
