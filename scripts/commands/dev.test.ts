import { describe, expect, it } from 'vitest'
import { remoteArgs } from './dev.ts'

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
