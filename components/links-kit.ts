/**
 * Where the current deck lives on the hosted site, for <TalkLinks> (not a component itself).
 *
 * The deck's slug is its folder name. It is found, in this order:
 * 1. an explicit `slug` prop;
 * 2. Vite's `import.meta.env.BASE_URL`: the site build (and the PDF export of a built deck) serves each
 *    deck at `<site.base><slug>/`, so its last segment is the slug and what precedes it the site base;
 * 3. in `slidev dev` (base `/`): the folder of the deck's entry file, which Slidev exposes in dev only
 *    (`$slidev.nav.slides[0].meta.slide.filepath`).
 * The absolute origin (for the QR code) is never guessed from `location`: printing a PDF from localhost
 * must not put localhost in the QR code. It comes from a prop, `VITE_TALKS_SITE_URL`, or toolkit.config.ts.
 */

export interface TalkLinkInput {
  slug?: string
  /** import.meta.env.BASE_URL of the running deck. */
  baseUrl?: string
  /** Path of the deck's slides.md (dev server only). */
  entryFile?: string
  /** Absolute site origin such as https://talks.example.com ('' when unknown). */
  siteUrl?: string
  /** Site base used when BASE_URL does not carry it (dev server). */
  siteBase?: string
}

export interface TalkLinkSet {
  slug: string
  /** Path of the deck on the site, ending in `/`. */
  deckPath: string
  slides: string
  pdf: string
  transcript: string
  /** True when the URLs are absolute (a site URL is configured): then a QR code makes sense. */
  absolute: boolean
}

function withSlashes(base: string): string {
  const b = base.startsWith('/')
    ? base
    : `/${base}`
  return b.endsWith('/')
    ? b
    : `${b}/`
}

export function slugFromEntryFile(file: string | undefined): string | undefined {
  if (!file)
    return undefined
  const parts = file.replace(/\\/g, '/').split('/').filter(Boolean)
  return parts.length >= 2
    ? parts[parts.length - 2]
    : undefined
}

export function resolveTalkLinks(input: TalkLinkInput): TalkLinkSet | undefined {
  const baseUrl = withSlashes(input.baseUrl ?? '/')
  const fromBase = baseUrl === '/'
    ? undefined
    : baseUrl.split('/').filter(Boolean).pop()
  const slug = input.slug || fromBase || slugFromEntryFile(input.entryFile)
  if (!slug)
    return undefined
  const siteBase = fromBase && fromBase === slug
    ? baseUrl.slice(0, baseUrl.length - slug.length - 1)
    : withSlashes(input.siteBase ?? '/')
  const deckPath = `${siteBase}${slug}/`
  const origin = (input.siteUrl ?? '').replace(/\/+$/, '')
  const url = (path: string) => `${origin}${path}`
  return {
    slug,
    deckPath,
    slides: url(deckPath),
    pdf: url(`${deckPath}${slug}.pdf`),
    transcript: url(`${deckPath}transcript/`),
    absolute: /^https?:\/\//.test(origin),
  }
}

/** SVG path of the dark modules of a QR code matrix (one unit per module). */
export function qrPath(size: number, isDark: (row: number, col: number) => boolean): string {
  const parts: string[] = []
  for (let r = 0; r < size; r++) {
    let c = 0
    while (c < size) {
      if (!isDark(r, c)) {
        c++
        continue
      }
      // Merge runs of dark modules in a row into one rectangle: a much shorter path.
      let end = c
      while (end + 1 < size && isDark(r, end + 1))
        end++
      parts.push(`M${c} ${r}h${end - c + 1}v1h-${end - c + 1}z`)
      c = end + 1
    }
  }
  return parts.join('')
}
