import { createServer } from 'node:net'
import { describe, expect, it } from 'vitest'
import { describeError } from '../lib/errors.ts'
import { ensurePortFree, remoteArgs } from './dev.ts'

describe('dev --remote', () => {
  it('refuses --remote without a password and explains why', () => {
    expect(() => remoteArgs(['--remote'], {})).toThrow(/presenter view[\s\S]*--remote <password>/)
    expect(() => remoteArgs(['--remote', '--open'], {})).toThrow(/password/)
  })

  it('passes a password through to Slidev', () => {
    expect(remoteArgs(['--remote', 'pw', '--open'], {})).toEqual(['--open', '--remote', 'pw'])
    expect(remoteArgs(['--remote=pw'], {})).toEqual(['--remote', 'pw'])
  })

  it('takes the password from SLIDEV_REMOTE_PASSWORD', () => {
    expect(remoteArgs(['--remote'], { SLIDEV_REMOTE_PASSWORD: 'env-pw' })).toEqual(['--remote', 'env-pw'])
  })

  it('leaves local presenting alone and refuses Internet tunnels', () => {
    expect(remoteArgs(['--port', '3031'], {})).toEqual(['--port', '3031'])
    expect(() => remoteArgs(['--tunnel'], {})).toThrow(/offline/)
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
