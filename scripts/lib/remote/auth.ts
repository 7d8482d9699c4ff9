/**
 * The remote-control password, held by the server: compared in constant time, exchanged once for
 * a random session token (the HttpOnly cookie), and guarded against guessing by a per-address
 * lock that doubles with every wrong guess. Slidev's own `--remote` password is only compared in
 * the page; this is what makes it a real lock.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'

export const SESSION_COOKIE = 'talks_remote'

/** Constant-time comparison: both sides hashed to the same length first, so neither length nor prefix leaks. */
export function passwordMatches(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given, 'utf8').digest()
  const b = createHash('sha256').update(expected, 'utf8').digest()
  return timingSafeEqual(a, b)
}

export interface SessionStoreOptions {
  /** How long a session lasts (default 24 hours: a conference day). */
  ttlMs?: number
  now?: () => number
}

/** Random opaque tokens handed out for the password; nothing about the password is in them. */
export class SessionStore {
  private readonly tokens = new Map<string, number>()
  private readonly ttlMs: number
  private readonly now: () => number

  constructor(options: SessionStoreOptions = {}) {
    this.ttlMs = options.ttlMs ?? 24 * 60 * 60 * 1000
    this.now = options.now ?? Date.now
  }

  create(): string {
    const token = randomBytes(32).toString('base64url')
    this.tokens.set(token, this.now() + this.ttlMs)
    return token
  }

  valid(token: string | undefined): boolean {
    if (!token)
      return false
    const expires = this.tokens.get(token)
    if (expires === undefined)
      return false
    if (expires <= this.now()) {
      this.tokens.delete(token)
      return false
    }
    return true
  }

  /** The Set-Cookie header value for a token. */
  cookie(token: string): string {
    return `${SESSION_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${Math.floor(this.ttlMs / 1000)}`
  }
}

/** The session token from a Cookie header, if any. */
export function sessionToken(cookieHeader: string | undefined): string | undefined {
  for (const part of (cookieHeader ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=')
    if (name === SESSION_COOKIE)
      return value.join('=')
  }
  return undefined
}

export interface LoginLimiterOptions {
  /** Wrong guesses allowed before the lock starts (typos happen on a phone keyboard). Default 3. */
  free?: number
  /** First lock, doubled with every further wrong guess. Default 2 s. */
  baseMs?: number
  /** Longest lock. Default 10 minutes. */
  maxMs?: number
  now?: () => number
}

export type LoginVerdict = { allowed: true } | { allowed: false, retryAfterMs: number }

/**
 * Per source address: after `free` wrong guesses in a row, each further one locks the address out
 * for baseMs·2^(n−free−1), up to maxMs. While locked, no guess is even compared (a right password
 * included), so a guesser gets a handful of tries per hour instead of thousands per second.
 * A right password clears the address's count.
 */
export class LoginLimiter {
  private readonly state = new Map<string, { fails: number, lockedUntil: number }>()
  private readonly free: number
  private readonly baseMs: number
  private readonly maxMs: number
  private readonly now: () => number

  constructor(options: LoginLimiterOptions = {}) {
    this.free = options.free ?? 3
    this.baseMs = options.baseMs ?? 2000
    this.maxMs = options.maxMs ?? 10 * 60 * 1000
    this.now = options.now ?? Date.now
  }

  /** May this address try a password now? */
  check(address: string): LoginVerdict {
    const s = this.state.get(address)
    const wait = s
      ? s.lockedUntil - this.now()
      : 0
    return wait > 0
      ? { allowed: false, retryAfterMs: wait }
      : { allowed: true }
  }

  /** Records a wrong guess; returns how long the address is now locked out (0: not yet). */
  failure(address: string): number {
    const s = this.state.get(address) ?? { fails: 0, lockedUntil: 0 }
    s.fails++
    const over = s.fails - this.free
    const lockMs = over > 0
      ? Math.min(this.maxMs, this.baseMs * 2 ** (over - 1))
      : 0
    s.lockedUntil = this.now() + lockMs
    this.state.set(address, s)
    return lockMs
  }

  success(address: string): void {
    this.state.delete(address)
  }

  failures(address: string): number {
    return this.state.get(address)?.fails ?? 0
  }
}
