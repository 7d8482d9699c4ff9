// Mermaid in every deck: the shared font, measured only once it has loaded, so labels are sized for it.
import { defineMermaidSetup } from '@slidev/types'

const FONT = '"BIZ UDPGothic", sans-serif'

export default defineMermaidSetup(async () => {
  // Mermaid sizes each node from the label's rendered width: measured with a fallback font, a
  // label drawn later in the web font no longer fits and is clipped.
  if (typeof document !== 'undefined') {
    await Promise.all([
      document.fonts.load('400 18px "BIZ UDPGothic"', 'イベントドリブン'),
      document.fonts.load('700 18px "BIZ UDPGothic"', 'イベントドリブン'),
    ]).catch(() => undefined)
  }
  return {
    fontFamily: FONT,
    themeVariables: { fontFamily: FONT, fontSize: '18px' },
    flowchart: { htmlLabels: true, wrappingWidth: 360, useMaxWidth: true },
  }
})
