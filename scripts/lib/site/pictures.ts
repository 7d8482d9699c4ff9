/**
 * Pictures and text of every slide, taken during the render pass from Slidev's `/export` page,
 * where every slide is already laid out with all its clicks shown and no transition running (the
 * page the PDF is printed from): `thumbs/<n>.png` (480 px wide), `og.png` (1200x675, slide 1, for
 * social cards) and the text each slide lays out (the font subsets are cut to it). One visit
 * replaces a walk through the live deck that waited out every slide's transition.
 *
 * Each picture has a fingerprint of everything that draws it: the slide's markup (canvases drawn
 * included), every style rule of the page, the page's own attributes, the browser's version, the
 * picture's size and the deck's public files. A picture whose fingerprint an earlier render of the
 * deck already has is copied from it instead of taken again: an edit to one slide retakes that
 * slide's picture (and any other slide it shows in), not all of them.
 */
import type { Page } from 'playwright-chromium'
import { createHash } from 'node:crypto'
import { copyFile, mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { OG_WIDTH } from './social.ts'

export const THUMB_WIDTH = 480
export const THUMB_HEIGHT = 270

export interface PictureTargets {
  /** The render entry being filled: thumbs/<n>.png and og.png (the social card, slide 1) are written here. */
  dir: string
  /** What else draws the pictures (the deck's public files): part of every fingerprint. */
  salt: string
  /** An earlier render entry of the deck and its pictures' fingerprints, to copy unchanged pictures from. */
  earlier?: { dir: string, prints: Record<string, string> }
}

export interface Pictures {
  /** The text each slide lays out (index 0 is slide 1). */
  texts: string[]
  /** Each picture's fingerprint, by its path in the entry (`thumbs/3.png`, `og.png`). */
  prints: Record<string, string>
  /** Pictures copied from the earlier render instead of taken. */
  reused: number
}

/** Bumped by hand when the pictures change in a way their fingerprints do not show. */
const PICTURES_FORMAT = 'pictures-v1'

interface SlideBox {
  no: number
  id: string
  text: string
  /** The slide's markup with its canvases' pixels; undefined when it shows something live (video, frame) that is never reused. */
  markup?: string
}

/** What every picture of the page shares: its style rules and its root's attributes. */
function pageLook(): string {
  const rules = [...document.styleSheets].map((sheet) => {
    try {
      return [...sheet.cssRules].map(r => r.cssText).join('\n')
    }
    catch {
      return `unreadable sheet ${sheet.href}`
    }
  })
  const attrs = (el: Element) => [...el.attributes].map(a => `${a.name}=${a.value}`).join(' ')
  return [
    attrs(document.documentElement),
    attrs(document.body),
    `${innerWidth}x${innerHeight}@${devicePixelRatio}`,
    ...rules,
  ].join('\n')
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
    const live = c.querySelector('video, iframe, object, embed, audio')
    return {
      no,
      id: c.id,
      text: parts.join('\n'),
      markup: live
        ? undefined
        : [
            c.outerHTML,
            ...[
              ...c.querySelectorAll('canvas'),
            ].map(k => k.toDataURL()),
          ].join('\n'),
    }
  })
}

/**
 * Takes the pictures from a page showing `/export` (laid out for print, as the PDF sees it), or
 * copies those an earlier render has with the same fingerprint, and returns the text of each slide
 * with the pictures' fingerprints. Each picture is drawn by Chromium at its own scale from the
 * slide's box, so a thumbnail is as sharp as a screenshot made at that size.
 */
export async function capturePictures(page: Page, targets: PictureTargets): Promise<Pictures> {
  const [boxes, look] = await Promise.all([
    page.evaluate(slideBoxes),
    page.evaluate(pageLook),
  ])
  const shared = createHash('sha256').update(`${PICTURES_FORMAT}\n${page.context().browser()?.version()}\n${targets.salt}\n${look}`).digest('hex')
  const print = (box: SlideBox, width: number) => box.markup === undefined
    ? `live ${Math.random()}`
    : createHash('sha256').update(`${shared}\n${width}\n${box.markup}`).digest('hex')
  const thumbsDir = join(targets.dir, 'thumbs')
  await mkdir(thumbsDir, { recursive: true })
  const prints: Record<string, string> = {}
  let reused = 0
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
    const take = async (file: string, box: SlideBox, width: number) => {
      prints[file] = print(box, width)
      // (An earlier entry pruned meanwhile by another build leaves the picture to be taken.)
      if (targets.earlier?.prints[file] === prints[file] && await copyFile(join(targets.earlier.dir, file), join(targets.dir, file)).then(() => true, () => false)) {
        reused++
        return
      }
      await writeFile(join(targets.dir, file), await shoot(box.id, width))
    }
    for (const box of boxes)
      await take(`thumbs/${box.no}.png`, box, THUMB_WIDTH)
    if (boxes[0])
      await take('og.png', boxes[0], OG_WIDTH)
  }
  finally {
    await cdp.detach().catch(() => {})
  }
  const texts: string[] = []
  for (const box of boxes)
    texts[box.no - 1] = box.text
  return { texts, prints, reused }
}
