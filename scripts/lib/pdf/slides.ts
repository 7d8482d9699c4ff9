/**
 * Slide titles, levels and layouts from the deck's Markdown (what Slidev's own `--with-toc`
 * export uses), numbered like the deck's URLs: hidden and disabled slides have no route.
 */
import type { Deck } from '../decks.ts'
import type { SlideInfo } from './outline.ts'
import type { DomSlide } from './render.ts'
import { load } from '@slidev/parser/fs'
import { repoRoot } from '../paths.ts'

export async function readSlideInfo(deck: Deck): Promise<SlideInfo[]> {
  const data = await load({
    roots: [repoRoot, deck.dir],
    userRoot: deck.dir,
  }, deck.entry)
  return data.slides
    .filter(s => !s.frontmatter?.hide && !s.frontmatter?.disabled)
    .map((s, i) => ({
      no: i + 1,
      title: s.title,
      level: s.level,
      layout: typeof s.frontmatter?.layout === 'string'
        ? s.frontmatter.layout
        : (i === 0
            ? 'cover'
            : undefined),
      hideInToc: Boolean(s.frontmatter?.hideInToc),
    }))
}

/**
 * The Markdown's view, checked against what was printed: when they disagree (slides imported
 * in ways the parser does not follow), the printed headings are the truth.
 */
export function mergeSlideInfo(fromMarkdown: SlideInfo[], printed: DomSlide[]): SlideInfo[] {
  const sameCount = fromMarkdown.length === printed.length
    && printed.every(p => fromMarkdown.some(m => m.no === p.no))
  if (sameCount)
    return fromMarkdown
  return printed.map(p => ({ no: p.no, title: p.heading }))
}
