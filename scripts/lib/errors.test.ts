import { describe, expect, it } from 'vitest'
import { annotateFault, describeError, describeFault, faultFromOutput, shownPath, UserError } from './errors.ts'

function errno(code: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(`${code}: something, open '/x'`), { code, ...extra })
}

describe('one line per fault from the machine', () => {
  it.each([
    ['ENOSPC', /^disk full: no space left to write \/out\/dist\/a\.css\. Free space on that disk \(df -h \/out\/dist\) or write elsewhere \(--out <dir>\)/],
    ['EACCES', /^cannot write \/out\/dist\/a\.css: permission denied\. Make \/out\/dist writable/],
    ['EROFS', /^cannot write \/out\/dist\/a\.css: the file system is read-only\./],
    ['ENOTDIR', /part of that path is a file, not a folder/],
    ['EEXIST', /a file of that name is in the way/],
  ])('%s', (code, line) => {
    const text = describeFault(errno(code, { path: '/out/dist/a.css', syscall: 'open' }))!
    expect(text).toMatch(line)
    expect(text).toMatch(/then run again$/)
    expect(text).not.toContain('\n')
  })

  it('names the port that is taken and what to do', () => {
    expect(describeFault(errno('EADDRINUSE', { address: '127.0.0.1', port: 4173 }))).toBe('port 4173 on 127.0.0.1 is already in use. Stop what is using it or pick another with --port N')
  })

  it('tells a browser that died from one that would not start', () => {
    expect(describeFault(new Error('page.pdf: Target page, context or browser has been closed\nBrowser logs: ...'))).toMatch(/^Chromium exited before it finished \(page\.pdf: Target page, context or browser has been closed\): it crashed, ran out of memory or was killed\./)
    expect(describeFault(new Error('page.evaluate: Target crashed'))).toMatch(/^Chromium crashed .*out of memory/)
    expect(describeFault(new Error('browserType.launch: Failed to launch: spawn /nope ENOENT'))).toMatch(/^Chromium failed to start \(Failed to launch: spawn \/nope ENOENT\)\. .*CHROME_PATH/)
    // The binary that was launched is the one to try by hand (the headless shell is not `chromium`).
    const shell = Object.assign(new Error('browserType.launch: Target page, context or browser has been closed'), { executable: '/usr/lib/chromium/chromium-headless-shell' })
    expect(describeFault(shell)).toMatch(/Check that it runs \(\/usr\/lib\/chromium\/chromium-headless-shell --version\) or point CHROME_PATH/)
  })

  it('says where (deck and stage) and what was kept, and shows staging paths where the file was headed', () => {
    const e = annotateFault(annotateFault(errno('ENOSPC', { path: '/o/.dist.staging-123-abc/deck/x.js' }), { during: 'deck 2024-x, fonts stage' }), { kept: '/o/dist/' })
    expect(describeFault(e)).toMatch(/^deck 2024-x, fonts stage: disk full: no space left to write \/o\/dist\/deck\/x\.js\. Free space on that disk \(df -h \/o;.*; \/o\/dist\/ is left as it was$/)
    expect(shownPath('/o/dist/deck/.deck.pdf.tmp-77-k3j2')).toBe('/o/dist/deck/deck.pdf')
  })

  it('leaves bugs alone: they keep their stack', () => {
    expect(describeError(new TypeError('x is undefined'))).toBeUndefined()
    expect(describeError(new UserError('deck x: bad field'))).toBe('deck x: bad field')
  })

  it('finds a full disk in what Slidev printed, with the file it was writing', () => {
    const output = '[UNHANDLEABLE_ERROR] Something went wrong inside rolldown\nFailed to write file in /c/build/deck/.tmp-1-2-ab/assets/x.woff\n\nCaused by:\n    No space left on device (os error 28)\n'
    expect(describeFault(faultFromOutput(output))).toMatch(/^disk full: no space left to write \/c\/build\/deck\/<new entry>\/assets\/x\.woff\. /)
    const inCache = annotateFault(faultFromOutput(output)!, { cache: '/c' })
    expect(describeFault(inCache)).toMatch(/Free space on that disk \(df -h \/c\) or keep the stage cache on another disk \(TALKS_CACHE_DIR=<dir>, or build --cache-dir <dir>\), then run again$/)
    expect(faultFromOutput('error: slide 3: unknown component <Foo>')).toBeUndefined()
  })
})
