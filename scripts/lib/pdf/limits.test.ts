import { describe, expect, it } from 'vitest'
import { checkSize, formatBytes, MAX_BYTES, WARN_BYTES } from './limits.ts'

describe('checkSize', () => {
  it('passes a few-MB deck, warns above 50 MB and fails above Docswell\'s 100 MB', () => {
    expect(checkSize(3 * 1024 * 1024)).toEqual({ level: 'ok', message: '3.00 MB' })
    expect(checkSize(WARN_BYTES).level).toBe('ok')
    expect(checkSize(WARN_BYTES + 1).level).toBe('warn')
    expect(checkSize(MAX_BYTES).level).toBe('warn')
    const fail = checkSize(MAX_BYTES + 1)
    expect(fail.level).toBe('fail')
    expect(fail.message).toMatch(/100\.00 MB/)
  })

  it('takes other limits', () => {
    expect(checkSize(2000, { warn: 1000, max: 5000 }).level).toBe('warn')
    expect(checkSize(6000, { warn: 1000, max: 5000 }).level).toBe('fail')
  })
})

describe('formatBytes', () => {
  it('picks a readable unit', () => {
    expect(formatBytes(512)).toBe('512 B')
    expect(formatBytes(1536)).toBe('1.5 KB')
    expect(formatBytes(5 * 1024 * 1024)).toBe('5.00 MB')
  })
})
