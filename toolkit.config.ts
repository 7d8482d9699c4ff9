/**
 * The toolkit's one shared configuration: who speaks, where the site is hosted.
 * Decks refer to the speaker by handle; name and links live only here.
 */
export interface Speaker {
  name: string
  handle: string
  /** Profile links shown on closing slides and in transcripts. */
  links: { label: string, url: string }[]
}

export interface ToolkitConfig {
  speakers: Record<string, Speaker>
  site: {
    /** Absolute origin of the hosted site, e.g. https://talks.example.com (no trailing slash). Empty: relative URLs only. */
    url: string
    /** Path prefix when the site is served under a sub-path (GitHub Pages project site: '/talks/'). */
    base: string
    title: string
  }
}

const env: Record<string, string | undefined> = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env ?? {}

const config: ToolkitConfig = {
  speakers: {
    nekoruri: {
      // The speaker signs their published decks' title slides "Aki @nekoruri".
      name: 'Aki',
      handle: 'nekoruri',
      links: [],
    },
  },
  site: {
    // Read at build time (Node); in the browser `process` is absent and the defaults apply.
    url: env.TALKS_SITE_URL ?? '',
    base: env.TALKS_SITE_BASE ?? '/',
    title: 'nekoruri のトーク',
  },
}

export default config
