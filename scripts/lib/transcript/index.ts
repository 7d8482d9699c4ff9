/**
 * Transcripts of the talks from their speaker notes: a Zenn article, a Hatena Blog post and a page
 * of the hosted site per deck. Used by `npm run transcript` and by `npm run build`.
 */
import type { Deck } from '../decks.ts'
import type { Talk } from './model.ts'
import { existsSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { withPageFont } from '../site/font-subset.ts'
import { publishAtomically, recoverOutput, writeFilesAtomically } from '../site/publish.ts'
import { renderHtml } from './html.ts'
import { renderMarkdown, zennSlug } from './markdown.ts'
import { loadTalk } from './model.ts'

export { renderHtml } from './html.ts'
export { renderMarkdown, zennSlug, zennTopics } from './markdown.ts'
export { loadTalk, rateLabel, speakingTime } from './model.ts'
export type { Talk, TalkSection, TalkSlide } from './model.ts'

export interface TranscriptOptions {
  /** Output root: dist/ or the build's staging directory. */
  outRoot: string
  /** The site's path prefix (`/` or `/talks/`). */
  base: string
  /** Absolute origin of the hosted site, when known (links from the blog posts to the hosted deck). */
  siteUrl?: string
  /** Whether the deck has a PDF to link to (default: whether `<outRoot>/<slug>/<slug>.pdf` exists). */
  pdf?: boolean
}

export interface TranscriptFiles {
  zenn: string
  hatena: string
  html: string
}

export function transcriptPaths(deck: Deck, outRoot: string): TranscriptFiles {
  return {
    zenn: join(outRoot, 'blog', 'zenn', 'articles', `${zennSlug(deck.slug)}.md`),
    hatena: join(outRoot, 'blog', 'hatena', `${deck.slug}.md`),
    html: join(outRoot, deck.slug, 'transcript', 'index.html'),
  }
}

/** The three outputs of one talk, as text. */
export function renderTranscripts(talk: Talk, options: Omit<TranscriptOptions, 'outRoot'> & { pdf?: boolean }): TranscriptFiles {
  return {
    zenn: renderMarkdown(talk, 'zenn', options),
    hatena: renderMarkdown(talk, 'hatena', options),
    html: renderHtml(talk, { pdf: options.pdf, base: options.base, siteUrl: options.siteUrl }),
  }
}

export async function writeTranscripts(decks: Deck[], options: TranscriptOptions): Promise<{ deck: Deck, files: string[], talk: Talk }[]> {
  const results: { deck: Deck, files: string[], talk: Talk }[] = []
  for (const deck of decks) {
    const talk = await loadTalk(deck)
    const paths = transcriptPaths(deck, options.outRoot)
    const pdf = options.pdf ?? existsSync(join(options.outRoot, deck.slug, `${deck.slug}.pdf`))
    const text = renderTranscripts(talk, { base: options.base, siteUrl: options.siteUrl, pdf })
    // The page and its font subsets are one folder, swapped in whole; the two articles are renamed
    // in just before it. A failure before that leaves all three as they were.
    await recoverOutput(dirname(paths.html))
    await publishAtomically(dirname(paths.html), async (staging) => {
      await writeFile(join(staging, basename(paths.html)), await withPageFont(text.html, staging))
      await writeFilesAtomically([
        { path: paths.zenn, data: text.zenn },
        { path: paths.hatena, data: text.hatena },
      ])
    })
    results.push({
      deck,
      files: [paths.zenn, paths.hatena, paths.html],
      talk,
    })
  }
  return results
}
