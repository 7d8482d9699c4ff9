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

/** Japanese date: 2024年9月20日, or 2023年9月 when only the month is known. */
export function formatJapaneseDate(date: string): string {
  const [y, m, d] = date.split('-').map(n => Number.parseInt(n, 10))
  return d
    ? `${y}年${m}月${d}日`
    : `${y}年${m}月`
}
