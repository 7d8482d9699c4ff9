import { describe, expect, it } from 'vitest'
import { LoginLimiter, passwordMatches, SESSION_COOKIE, SessionStore, sessionToken } from './auth.ts'

describe('passwordMatches', () => {
  it('accepts only the exact password, whatever the lengths', () => {
    expect(passwordMatches('s3cret', 's3cret')).toBe(true)
    expect(passwordMatches('s3cre', 's3cret')).toBe(false)
    expect(passwordMatches('s3cret ', 's3cret')).toBe(false)
    expect(passwordMatches('', 's3cret')).toBe(false)
    expect(passwordMatches('パスワード', 'パスワード')).toBe(true)
  })
})

describe('sessionStore', () => {
  it('hands out random HttpOnly SameSite=Strict cookies that expire', () => {
    let now = 1000
    const store = new SessionStore({
      ttlMs: 60_000,
      now: () => now,
    })
    const a = store.create()
    const b = store.create()
    expect(a).not.toBe(b)
    expect(a).toMatch(/^[\w-]{43}$/)
    expect(store.valid(a)).toBe(true)
    expect(store.valid('forged')).toBe(false)
    expect(store.valid(undefined)).toBe(false)
    expect(store.cookie(a)).toBe(`${SESSION_COOKIE}=${a}; HttpOnly; SameSite=Strict; Path=/; Max-Age=60`)
    now += 60_000
    expect(store.valid(a)).toBe(false)
  })

  it('reads the token from a Cookie header among others', () => {
    expect(sessionToken(`a=1; ${SESSION_COOKIE}=tok=en; b=2`)).toBe('tok=en')
    expect(sessionToken('a=1')).toBeUndefined()
    expect(sessionToken(undefined)).toBeUndefined()
  })
})

describe('loginLimiter', () => {
  it('allows three typos, then locks the address for a time that doubles with each wrong guess', () => {
    let now = 0
    const limiter = new LoginLimiter({
      now: () => now,
    })
    const locks = []
    for (let i = 0; i < 10; i++) {
      expect(limiter.check('192.0.2.9')).toEqual({ allowed: true })
      locks.push(limiter.failure('192.0.2.9'))
      now += locks.at(-1)!
    }
    expect(locks).toEqual([
      0,
      0,
      0,
      2000,
      4000,
      8000,
      16_000,
      32_000,
      64_000,
      128_000,
    ])
    // Ten wrong guesses in a row cost over four minutes instead of milliseconds.
    expect(now).toBeGreaterThan(4 * 60_000)
  })

  it('refuses every attempt while locked, tells how long, and caps the lock', () => {
    let now = 0
    const limiter = new LoginLimiter({
      now: () => now,
      maxMs: 10_000,
    })
    for (let i = 0; i < 20; i++)
      limiter.failure('192.0.2.9')
    expect(limiter.check('192.0.2.9')).toEqual({ allowed: false, retryAfterMs: 10_000 })
    now += 9_999
    expect(limiter.check('192.0.2.9')).toEqual({ allowed: false, retryAfterMs: 1 })
    now += 1
    expect(limiter.check('192.0.2.9')).toEqual({ allowed: true })
  })

  it('counts each address apart and forgets an address once it gets the password right', () => {
    const limiter = new LoginLimiter({
      now: () => 0,
    })
    for (let i = 0; i < 5; i++)
      limiter.failure('192.0.2.9')
    expect(limiter.check('192.0.2.10')).toEqual({ allowed: true })
    expect(limiter.check('192.0.2.9').allowed).toBe(false)
    limiter.success('192.0.2.9')
    expect(limiter.failures('192.0.2.9')).toBe(0)
    expect(limiter.check('192.0.2.9')).toEqual({ allowed: true })
  })
})
