import { describe, expect, it } from 'vitest'
import exportCommand from './export.ts'

describe('export --base / --site-url', () => {
  // The options are read (and checked) before any deck is built or printed.
  it('refuses a site URL that is not an absolute http(s) URL', async () => {
    await expect(exportCommand.run(['--site-url', 'talks.example.com'])).rejects.toThrow(/site URL "talks\.example\.com" is not an absolute URL/)
  })

  it('refuses a base that is a URL rather than a path', async () => {
    await expect(exportCommand.run(['--base=https://talks.example.com/'])).rejects.toThrow(/site base must be a path/)
  })
})
