/**
 * The PDF's bookmarks: section slides (layout `section`) become top-level entries with the
 * slides after them nested inside; slides before the first section, covers and the closing
 * slide stay top-level. Pure, so the structure is unit-tested without a browser.
 */

export interface SlideInfo {
  /** 1-based slide number, as in the deck's URLs. */
  no: number
  title?: string
  /** Heading level of the title (1 for `#`). */
  level?: number
  layout?: string
  hideInToc?: boolean
}

export interface OutlineEntry {
  title: string
  /** 0-based index of the PDF page the entry jumps to. */
  page: number
  children: OutlineEntry[]
}

const TOP_LEVEL_LAYOUTS = new Set(['cover', 'intro', 'end'])

/** Markdown leftovers in a heading (`**`, backticks, links) read badly in a bookmark. */
export function cleanTitle(title: string): string {
  return title
    .replace(/<[^>]+>/g, '')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/(\*\*|__|[*_`]|~~)(\S(?:.*?\S)?)\1/g, '$2')
    .replace(/\s+/g, ' ')
    .trim()
}

/**
 * `firstPage` maps a slide number to the 0-based index of its first PDF page (with
 * `--per-click` a slide spans several pages); slides missing from it are left out.
 */
export function buildOutline(slides: SlideInfo[], firstPage: (no: number) => number | undefined): OutlineEntry[] {
  const outline: OutlineEntry[] = []
  let section: OutlineEntry | undefined
  for (const slide of slides) {
    const page = firstPage(slide.no)
    const title = slide.title
      ? cleanTitle(slide.title)
      : ''
    if (page === undefined || !title || slide.hideInToc)
      continue
    const entry: OutlineEntry = { title, page, children: [] }
    if (slide.layout === 'section') {
      section = entry
      outline.push(entry)
    }
    else if (TOP_LEVEL_LAYOUTS.has(slide.layout ?? '')) {
      section = undefined
      outline.push(entry)
    }
    else if (section) {
      section.children.push(entry)
    }
    else {
      outline.push(entry)
    }
  }
  return outline
}
