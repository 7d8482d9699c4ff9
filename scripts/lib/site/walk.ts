/**
 * Walks a built deck with the keyboard as the audience would (ArrowRight and Space, alternately),
 * one click step at a time, until the deck stops moving. Shared by the browser test and the bench.
 */
import type { Page } from 'playwright-chromium'
import { waitForSlide } from './thumbs.ts'

export interface WalkStep {
  /** 1-based slide number shown after the key press. */
  slide: number
  url: string
  key: string
}

/** The slide number in a deck URL such as /talks/<slug>/12?clicks=2. */
export function slideOf(url: string, deckPath: string): number | undefined {
  const path = new URL(url).pathname
  if (!path.startsWith(deckPath))
    return undefined
  const n = Number.parseInt(path.slice(deckPath.length), 10)
  return Number.isFinite(n)
    ? n
    : undefined
}

export async function walkDeck(page: Page, deckPath: string, options: { maxSteps?: number, onStep?: (step: WalkStep) => Promise<void> | void } = {}): Promise<WalkStep[]> {
  const steps: WalkStep[] = []
  const keys = ['ArrowRight', 'Space']
  const max = options.maxSteps ?? 1000
  for (let i = 0; i < max; i++) {
    const before = page.url()
    const key = keys[i % keys.length]!
    await page.keyboard.press(key)
    try {
      await page.waitForURL(u => u.href !== before, { timeout: 1500 })
    }
    catch {
      // The last click of the last slide: the deck does not move any more.
      return steps
    }
    const slide = slideOf(page.url(), deckPath)
    if (slide === undefined)
      throw new Error(`${key} left the deck: ${before} → ${page.url()}`)
    await waitForSlide(page, slide)
    const step = {
      slide,
      url: page.url(),
      key,
    }
    steps.push(step)
    await options.onStep?.(step)
  }
  throw new Error(`the deck at ${deckPath} did not end after ${max} key presses`)
}
