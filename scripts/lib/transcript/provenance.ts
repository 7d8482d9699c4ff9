/**
 * What every output calls a talk's text. Notes that follow a transcript of the talk are its
 * 文字起こし; notes rebuilt afterwards (provenance: reconstruction) are never called that: each
 * output says at the top that they are a reconstruction and from what. One place for the words,
 * so the index, the transcript page, the posts and the feed cannot disagree.
 */
import type { Talk as TalkMeta } from '../meta.ts'

export interface TextLabels {
  kind: TalkMeta['provenance']
  /** The noun for the text: 文字起こし, or 講演内容の再構成. */
  noun: string
  /** Link label on the index and elsewhere. */
  link: string
  /** Suffix of a page or post title ("<title> 文字起こし"); empty when the title stays as it is. */
  titleSuffix: string
  /** One plain sentence for the top of a reconstruction ('' for a transcript). */
  notice: string
  /** From what it was rebuilt (the metadata's provenanceNote), '' for a transcript. */
  source: string
}

export const TRANSCRIPT_NOUN = '文字起こし'
export const RECONSTRUCTION_NOUN = '講演内容の再構成'

export function textLabels(talk: Pick<TalkMeta, 'provenance' | 'provenanceNote'>): TextLabels {
  if (talk.provenance === 'reconstruction') {
    return {
      kind: 'reconstruction',
      noun: RECONSTRUCTION_NOUN,
      link: `${RECONSTRUCTION_NOUN}`,
      titleSuffix: `（${RECONSTRUCTION_NOUN}）`,
      notice: 'これは講演で話した言葉そのものではなく、講演後に再構成した内容です。',
      source: talk.provenanceNote?.trim() ?? '',
    }
  }
  return {
    kind: 'transcript',
    noun: TRANSCRIPT_NOUN,
    link: TRANSCRIPT_NOUN,
    titleSuffix: ` ${TRANSCRIPT_NOUN}`,
    notice: '',
    source: '',
  }
}
