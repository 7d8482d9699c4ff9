/**
 * Hosts the headless Chromium the build server keeps for printing (slidev-build-worker.ts forks
 * this): launches it with Playwright's `launchServer`, sends its endpoint to the parent, and ends
 * with the parent (its IPC channel closing, however the parent ended).
 *
 * A process of its own because a Playwright browser server relays every protocol message of the
 * commands printing in it: inside the build server, whose event loop is busy for seconds at a time
 * building the next deck, a render beside a build crawled (a cold 3-deck publish 32.9 s -> 36.9 s).
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
