// Mermaid in every deck: the shared font, and wide enough labels that Japanese phrases stay whole.
import { defineMermaidSetup } from '@slidev/types'

export default defineMermaidSetup(() => ({
  fontFamily: '"BIZ UDPGothic", sans-serif',
  themeVariables: { fontFamily: '"BIZ UDPGothic", sans-serif', fontSize: '18px' },
  flowchart: { htmlLabels: true, wrappingWidth: 360, useMaxWidth: true },
}))
