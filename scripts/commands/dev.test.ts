import { createServer } from 'node:net'
import { describe, expect, it } from 'vitest'
import { describeError } from '../lib/errors.ts'
import { devExposure } from '../lib/remote/args.ts'
import { ensurePortFree } from './dev.ts'

describe('dev --remote', () => {
  it('refuses --remote without a password and explains why', () => {
    expect(() => devExposure(['--remote'], {})).toThrow(/presenter view[\s\S]*--remote <password>/)
    expect(() => devExposure(['--remote', '--open'], {})).toThrow(/password/)
  })

  it('keeps the password for the gate: Slidev never gets --remote, so it stays on loopback', () => {
    expect(devExposure(['--remote', 'pw', '--open'], {})).toEqual({
      password: 'pw',
      port: undefined,
      bind: '0.0.0.0',
      slidevArgs: ['--open'],
    })
    expect(devExposure(['--remote=pw'], {}).password).toBe('pw')
  })

  it('takes the password from SLIDEV_REMOTE_PASSWORD', () => {
    expect(devExposure(['--remote'], { SLIDEV_REMOTE_PASSWORD: 'env-pw' }).password).toBe('env-pw')
  })

  it('in remote mode, --port and --bind are the gate\'s; --base is refused', () => {
    expect(devExposure([
      '--remote',
      'pw',
      '--port',
      '3031',
      '--bind',
      '192.168.1.5',
      '--log',
      'warn',
    ], {}))
      .toEqual({
        password: 'pw',
        port: 3031,
        bind: '192.168.1.5',
        slidevArgs: ['--log', 'warn'],
      })
    expect(() => devExposure(['--remote', 'pw', '--port', 'x'], {})).toThrow(/--port needs a port number/)
    expect(() => devExposure(['--remote', 'pw', '--base', '/talks/'], {})).toThrow(/--base/)
  })

  it('leaves local presenting alone and refuses Internet tunnels', () => {
    expect(devExposure(['--port', '3031'], {})).toEqual({
      bind: 'localhost',
      slidevArgs: ['--port', '3031'],
    })
    expect(() => devExposure(['--tunnel'], {})).toThrow(/offline/)
    expect(() => devExposure(['--remote', 'pw', '--tunnel'], {})).toThrow(/offline/)
  })
})

describe('dev --port', () => {
  it('says in one line that the port is taken, before Slidev prints a stack trace', async () => {
    const holder = createServer()
    await new Promise<void>(resolve => holder.listen(0, () => resolve()))
    const port = (holder.address() as { port: number }).port
    try {
      const e = await ensurePortFree([
        '--port',
        String(port),
        '--open',
      ]).catch((err: unknown) => err)
      expect(describeError(e)).toMatch(new RegExp(`^port ${port} on .+ is already in use\\. Stop what is using it or pick another with --port N$`))
    }
    finally {
      holder.close()
    }
    await expect(ensurePortFree(['--open'])).resolves.toBeUndefined()
  })
})
