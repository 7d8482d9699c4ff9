/**
 * Finds a Chromium-family browser for screenshots, PDF export and browser tests.
 * Playwright's own download is unavailable on the machines we target, so a system browser comes first.
 * Printing (the render pass on Slidev's /export page: PDF, thumbnails, social card) prefers
 * Chromium's headless shell where it is installed (Debian's chromium-headless-shell; what Playwright
 * itself launches for headless runs): the same Blink and Skia without the full browser's UI layers,
 * it starts and lays out a deck in about half the time (one render pass of a 25-slide deck 2.0 s
 * instead of 4.0 s, BENCHMARKS.md). Pages used as the audience uses them (the slides, the presenter,
 * the checker's walk) stay in the full browser: the shell has no screen, so it refuses the wake
 * lock Slidev's slides ask for, an error no audience's browser shows.
 */
import { existsSync } from 'node:fs'

export const BROWSER_ENV_VARS = ['CHROME_PATH', 'CHROMIUM_PATH', 'PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH'] as const

export const SYSTEM_BROWSER_PATHS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/opt/google/chrome/chrome',
  '/snap/bin/chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
] as const

/** Chromium's headless shell (Debian: chromium-headless-shell), the binary itself rather than its wrapper script. */
export const HEADLESS_SHELL_PATHS = [
  '/usr/lib/chromium/chromium-headless-shell',
  '/usr/bin/chromium-headless-shell',
] as const

/** Flags for headless runs on a closed network: without them Chromium's background services retry and log noisily. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
]

export interface BrowserLookup {
  env?: Record<string, string | undefined>
  exists?: (path: string) => boolean
  /** Playwright's bundled browser path, if any (injected for tests). */
  playwrightPath?: () => string | undefined
  /** For printing: the headless shell, when installed, before the full browsers. */
  print?: boolean
}

export class BrowserNotFoundError extends Error {
  readonly userFacing = true
  constructor(tried: string[]) {
    // One line (the CLI's ✖ line): what is missing, where it looked, what to do.
    super(`no Chromium-family browser found (tried ${tried.join('; ')}). Install one (Debian/Ubuntu: sudo apt-get install chromium) or point CHROME_PATH at a Chrome/Chromium executable, then run again`)
    this.name = 'BrowserNotFoundError'
  }
}

async function defaultPlaywrightPath(): Promise<string | undefined> {
  try {
    const { chromium } = await import('playwright-chromium')
    return chromium.executablePath()
  }
  catch {
    return undefined
  }
}

/**
 * Environment variable first (always what it names), then for printing the headless shell, then
 * the usual system paths, then Playwright's own browser.
 */
export async function findBrowser(lookup: BrowserLookup = {}): Promise<string> {
  const env = lookup.env ?? process.env
  const exists = lookup.exists ?? existsSync
  const tried: string[] = []
  for (const name of BROWSER_ENV_VARS) {
    const value = env[name]
    if (!value)
      continue
    if (exists(value))
      return value
    // An explicit setting that points nowhere is a mistake worth stopping on, not skipping silently.
    throw new BrowserNotFoundError([`${name}=${value} (set, but no file there)`])
  }
  tried.push(`${BROWSER_ENV_VARS.join(' / ')} (not set)`)
  for (const path of [
    ...(lookup.print
      ? HEADLESS_SHELL_PATHS
      : []),
    ...SYSTEM_BROWSER_PATHS,
  ]) {
    if (exists(path))
      return path
    tried.push(path)
  }
  const bundled = lookup.playwrightPath
    ? lookup.playwrightPath()
    : await defaultPlaywrightPath()
  if (bundled && exists(bundled))
    return bundled
  tried.push(`Playwright's browser${bundled
    ? ` (${bundled})`
    : ''}`)
  throw new BrowserNotFoundError(tried)
}

/** How every Chromium here is launched, in this process or in the build server's print host. */
function launchOptions(executablePath: string, headless = true) {
  return {
    executablePath,
    headless,
    args: CHROMIUM_ARGS,
    // Signals are the CLI's (interrupt.ts): it cleans up, then exits, and Playwright's exit hook
    // kills the browser. Playwright's own SIGINT handler would exit with 130 before the clean-up.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  }
}

/** Names the binary that would not start (the headless shell or a full browser) in its error: errors.ts reads it. */
function naming(executablePath: string) {
  return (e: unknown): never => {
    if (e instanceof Error)
      Object.assign(e, { executable: executablePath })
    throw e
  }
}

/**
 * Launches headless Chromium through Playwright with the system browser (`print`: the headless shell
 * when installed), or with `executablePath` when the caller found it already.
 */
export async function launchBrowser(options: { headless?: boolean, print?: boolean, executablePath?: string } = {}) {
  const { chromium } = await import('playwright-chromium')
  const executablePath = options.executablePath ?? await findBrowser({ print: options.print && (options.headless ?? true) })
  return chromium.launch(launchOptions(executablePath, options.headless)).catch(naming(executablePath))
}
