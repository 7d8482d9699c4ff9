/**
 * Finds elements of the current slide that stick out of the slide canvas. Run in the page via
 * page.evaluate(findOverflowInPage, tolerancePx); returns descriptions of offending elements.
 */
export function findOverflowInPage(tolerance = 1): string[] {
  const problems: string[] = []
  const slides = [
    ...document.querySelectorAll<HTMLElement>('.slidev-page'),
  ]
    .filter(el => el.offsetParent !== null && getComputedStyle(el).visibility !== 'hidden')
  for (const slide of slides) {
    const box = slide.getBoundingClientRect()
    if (!box.width)
      continue
    for (const el of slide.querySelectorAll<HTMLElement | SVGElement>('*')) {
      const style = getComputedStyle(el)
      if (style.display === 'none' || style.visibility === 'hidden' || style.position === 'fixed')
        continue
      const r = el.getBoundingClientRect()
      if (!r.width || !r.height)
        continue
      const out = r.left < box.left - tolerance || r.top < box.top - tolerance
        || r.right > box.right + tolerance || r.bottom > box.bottom + tolerance
      // Scrollable text inside the slide that is cut off (overflow: hidden) also hides content.
      const clipped = el instanceof HTMLElement && el.scrollHeight > el.clientHeight + 2
        && ['hidden', 'clip'].includes(style.overflowY) && el.clientHeight > 0 && el.children.length > 0
      if (out || clipped) {
        const text = (el.textContent ?? '').trim().slice(0, 40)
        problems.push(`<${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string'
          ? ` class="${el.className}"`
          : ''}> "${text}" ${out
          ? `at ${Math.round(r.left - box.left)},${Math.round(r.top - box.top)} size ${Math.round(r.width)}x${Math.round(r.height)} outside ${Math.round(box.width)}x${Math.round(box.height)}`
          : 'clipped'}`)
      }
    }
  }
  return problems
}
