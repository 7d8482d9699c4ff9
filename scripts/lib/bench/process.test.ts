import { existsSync } from 'node:fs'
import process from 'node:process'
import { describe, expect, it } from 'vitest'
import { runMeasured } from './process.ts'

/** A child that holds `mb` of touched memory for `ms`, in a grandchild of the measured command. */
function holder(mb: number, ms: number): string {
  const inner = `const b = Buffer.alloc(${mb} * 2 ** 20, 1); setTimeout(() => b.length, ${ms})`
  return `require('node:child_process').spawnSync(process.execPath, ['-e', ${JSON.stringify(inner)}], { stdio: 'inherit' })`
}

describe.runIf(existsSync('/proc/self/smaps_rollup'))('runMeasured', () => {
  it('finds the peak of a grandchild process, its RSS and, sampled less often, its PSS', async () => {
    const run = await runMeasured(process.execPath, [
      '-e',
      holder(300, 2500),
    ])
    expect(run.peakLargest).toBeGreaterThan(290 * 2 ** 20)
    expect(run.peakRss).toBeGreaterThan(run.peakLargest)
    expect(run.peakPss).toBeGreaterThan(250 * 2 ** 20)
    expect(run.peakPss).toBeLessThanOrEqual(run.peakRss)
  })

  it('rejects a failing command with its output', async () => {
    await expect(runMeasured(process.execPath, ['-e', 'console.error("went wrong"); process.exit(3)']))
      .rejects
      .toThrow(/exited with 3[\s\S]*went wrong/)
  })
})
