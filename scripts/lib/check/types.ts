/** One problem found in a deck: where it is, how bad, which rule, what to do. */
export interface Finding {
  /** Absolute path of the file. */
  file: string
  /** 1-based line, when the problem has one. */
  line?: number
  column?: number
  severity: 'error' | 'warning'
  /** `meta`, `notes/missing`, `textlint/<rule>`, ... */
  rule: string
  message: string
  /** The deck folder's slug. */
  deck: string
  /** 1-based slide number (as in the deck's URL), when the finding is about one slide. */
  slide?: number
}
