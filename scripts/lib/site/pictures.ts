/**
 * Pictures and text of every slide, taken during the render pass from Slidev's `/export` page,
 * where every slide is already laid out with all its clicks shown and no transition running (the
 * page the PDF is printed from): `thumbs/<n>.png` (480 px wide), `og.png` (1200x675, slide 1, for
 * social cards) and the text each slide lays out (the font subsets are cut to it). One visit
 * replaces a walk through the live deck that waited out every slide's transition.
 */
import type { Page } from 'playwright-chromium'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { OG_WIDTH } from './social.ts'

export const THUMB_WIDTH = 480
export const THUMB_HEIGHT = 270

export interface PictureTargets {
  /** thumbs/<n>.png are written here. */
  thumbsDir: string
  /** The social card (slide 1). */
  ogFile: string
}

interface SlideBox {
  no: number
  id: string
  text: string
}

/**
 * The last printed container of each slide (its final click), and the text it lays out: its text
 * content, SVG labels included, and the generated content of its pseudo-elements.
 */
function slideBoxes(): SlideBox[] {
  const last = new Map<number, HTMLElement>()
  for (const c of document.querySelectorAll<HTMLElement>('#export-content .print-slide-container')) {
    if (getComputedStyle(c).display === 'none')
      continue
    last.set(Number(c.id.split('-')[0]), c)
  }
  return [...last].sort(([a], [b]) => a - b).map(([no, c]) => {
    const parts = [c.textContent ?? '']
    for (const el of c.querySelectorAll('*')) {
      if (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement)
        parts.push(el.placeholder, el.value)
      for (const pseudo of ['::before', '::after']) {
        for (const m of getComputedStyle(el, pseudo).content.matchAll(/"((?:[^"\\]|\\.)*)"/g))
          parts.push(m[1]!)
      }
    }
    return {
      no,
      id: c.id,
      text: parts.join('\n'),
    }
  })
}

/**
 * Takes the pictures from a page showing `/export` (laid out for print, as the PDF sees it) and
 * returns the text of each slide (index 0 is slide 1). Each picture is drawn by Chromium at its own
 * scale from the slide's box, so a thumbnail is as sharp as a screenshot made at that size.
 */
export async function capturePictures(page: Page, targets: PictureTargets): Promise<string[]> {
  const boxes = await page.evaluate(slideBoxes)
  await mkdir(targets.thumbsDir, { recursive: true })
  const cdp = await page.context().newCDPSession(page)
  try {
    const shoot = async (id: string, width: number): Promise<Buffer> => {
      // Scrolled into view first: capturing beyond the viewport would lay the long page out again for every picture.
      const rect = await page.evaluate((sel) => {
        const el = document.getElementById(sel)!
        el.scrollIntoView({ block: 'start' })
        const r = el.getBoundingClientRect()
        return { x: r.left + window.scrollX, y: r.top + window.scrollY, width: r.width }
      }, id)
      // 16:9 from the slide's width: Slidev's canvas is a fraction of a pixel taller, which would show as a line.
      const { data } = await cdp.send('Page.captureScreenshot', {
        format: 'png',
        clip: {
          x: rect.x,
          y: rect.y,
          width: rect.width,
          height: rect.width * 9 / 16,
          scale: width / rect.width,
        },
      })
      return Buffer.from(data, 'base64')
    }
    for (const box of boxes)
      await writeFile(join(targets.thumbsDir, `${box.no}.png`), await shoot(box.id, THUMB_WIDTH))
    if (boxes[0])
      await writeFile(targets.ogFile, await shoot(boxes[0].id, OG_WIDTH))
  }
  finally {
    await cdp.detach().catch(() => {})
  }
  const texts: string[] = []
  for (const box of boxes)
    texts[box.no - 1] = box.text
  return texts
}
