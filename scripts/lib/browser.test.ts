import { describe, expect, it } from 'vitest'
import { BrowserNotFoundError, findBrowser, SYSTEM_BROWSER_PATHS } from './browser.ts'

const none = () => undefined

describe('findBrowser', () => {
  it('prefers CHROME_PATH when it points at a file', async () => {
    const path = await findBrowser({
      env: { CHROME_PATH: '/opt/my/chrome' },
      exists: p => p === '/opt/my/chrome' || p === '/usr/bin/chromium',
      playwrightPath: none,
    })
    expect(path).toBe('/opt/my/chrome')
  })

  it('stops with a clear error when CHROME_PATH points nowhere', async () => {
    await expect(findBrowser({
      env: { CHROME_PATH: '/nope' },
      exists: p => p === '/usr/bin/chromium',
      playwrightPath: none,
    }))
      .rejects
      .toThrow(/CHROME_PATH=\/nope \(set, but no file there\)/)
  })

  it('falls back to the system paths in order', async () => {
    expect(await findBrowser({
      env: {},
      exists: p => p === '/usr/bin/google-chrome',
      playwrightPath: none,
    })).toBe('/usr/bin/google-chrome')
    expect(await findBrowser({
      env: {},
      exists: p => p === '/usr/bin/chromium' || p === '/usr/bin/google-chrome',
      playwrightPath: none,
    })).toBe('/usr/bin/chromium')
  })

  it('prefers the headless shell for printing, and only then', async () => {
    const exists = (p: string) => p === '/usr/bin/chromium' || p === '/usr/lib/chromium/chromium-headless-shell'
    expect(await findBrowser({
      env: {},
      exists,
      playwrightPath: none,
      print: true,
    })).toBe('/usr/lib/chromium/chromium-headless-shell')
    expect(await findBrowser({ env: {}, exists, playwrightPath: none })).toBe('/usr/bin/chromium')
    // Without the shell printing takes the full browser; CHROME_PATH still wins over the shell.
    expect(await findBrowser({
      env: {},
      exists: p => p === '/usr/bin/chromium',
      playwrightPath: none,
      print: true,
    })).toBe('/usr/bin/chromium')
    expect(await findBrowser({
      env: { CHROME_PATH: '/usr/bin/chromium' },
      exists,
      playwrightPath: none,
      print: true,
    })).toBe('/usr/bin/chromium')
  })

  it('uses Playwright\'s own browser last', async () => {
    expect(await findBrowser({
      env: {},
      exists: p => p === '/pw/chrome',
      playwrightPath: () => '/pw/chrome',
    })).toBe('/pw/chrome')
  })

  it('names what to install when nothing is found', async () => {
    const error = await findBrowser({
      env: {},
      exists: () => false,
      playwrightPath: () => '/pw/chrome',
    }).catch(e => e)
    expect(error).toBeInstanceOf(BrowserNotFoundError)
    expect(error.message).toContain('apt-get install chromium')
    expect(error.message).toContain(SYSTEM_BROWSER_PATHS[0])
    expect(error.message).toContain('/pw/chrome')
  })
})
