/** Small helpers for the site's hand-written HTML (index, 404 page, social cards). */

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
}

/** Collapses whitespace and trims to `max` characters (descriptions in meta tags). */
export function plainText(text: string, max = 200): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  return flat.length > max
    ? `${flat.slice(0, max - 1)}…`
    : flat
}

export { formatJapaneseDate } from '../meta.ts'
