import { describe, expect, it } from 'vitest'
import { formatJapaneseDate, validateHeadmatter } from './meta.ts'

/** A valid headmatter with `talk` fields overridden (undefined removes one). */
function headmatter(talk: Record<string, unknown> = {}) {
  const base: Record<string, unknown> = {
    date: '2024-09-20',
    event: { name: 'ServerlessDays Tokyo 2024 PreEvent', url: '' },
    slot: 30,
    speaker: 'nekoruri',
  }
  for (const [k, v] of Object.entries(talk)) {
    if (v === undefined)
      delete base[k]
    else
      base[k] = v
  }
  return { title: 'Serverless Update 2024', talk: base }
}

function issues(talk: Record<string, unknown>) {
  const r = validateHeadmatter(headmatter(talk))
  return r.ok
    ? []
    : r.issues.map(i => `${i.field}: ${i.message}`)
}

function value(talk: Record<string, unknown> = {}) {
  const r = validateHeadmatter(headmatter(talk))
  if (!r.ok)
    throw new Error(r.issues.map(i => `${i.field}: ${i.message}`).join('\n'))
  return r.value.talk
}

describe('talk.provenance', () => {
  it('defaults to transcript and accepts a reconstruction that says from what', () => {
    expect(value().provenance).toBe('transcript')
    expect(value({ provenance: 'reconstruction', provenanceNote: '講演者のアウトラインと公開情報から再構成' })).toMatchObject({
      provenance: 'reconstruction',
      provenanceNote: '講演者のアウトラインと公開情報から再構成',
    })
  })

  it('requires provenanceNote for a reconstruction, naming the field', () => {
    expect(issues({ provenance: 'reconstruction' })).toEqual([
      'talk.provenanceNote: required when provenance is reconstruction: say from what the notes were rebuilt',
    ])
    expect(issues({ provenance: 'reconstruction', provenanceNote: '' })).toHaveLength(1)
  })

  it('rejects anything but transcript or reconstruction', () => {
    expect(issues({ provenance: 'summary' })).toEqual([
      expect.stringMatching(/^talk\.provenance: /),
    ])
  })
})

describe('talk.event.hashtag', () => {
  it('takes one hashtag, Japanese letters included', () => {
    expect(value({
      event: { name: 'E', hashtag: '#serverlessjp' },
    }).event.hashtag).toBe('#serverlessjp')
    expect(value({
      event: { name: 'E', hashtag: '#サーバーレス_2024' },
    }).event.hashtag).toBe('#サーバーレス_2024')
  })

  it('treats empty, null and missing as unknown', () => {
    expect(value({
      event: { name: 'E', hashtag: '' },
    }).event.hashtag).toBeUndefined()
    expect(value({
      event: { name: 'E', hashtag: null },
    }).event.hashtag).toBeUndefined()
    expect(value({
      event: { name: 'E' },
    }).event.hashtag).toBeUndefined()
  })

  it('rejects a tag without #, two tags, spaces or punctuation', () => {
    for (const bad of [
      'serverlessjp',
      '#serverless #jp',
      '#server less',
      '#serverless-jp',
      '#',
    ]) {
      expect(issues({
        event: { name: 'E', hashtag: bad },
      }), bad).toEqual(['talk.event.hashtag: must be one hashtag such as #serverlessjp'])
    }
  })
})

describe('talk.questions', () => {
  it('defaults to 0 and must leave some of the slot for the talk', () => {
    expect(value().questions).toBe(0)
    expect(value({ slot: 30, questions: 5 }).questions).toBe(5)
    expect(issues({ slot: 30, questions: 30 })).toEqual([
      'talk.questions: must be less than slot (30 minutes): it is the part of the slot kept for questions',
    ])
    expect(issues({ slot: 30, questions: 45 })).toHaveLength(1)
    expect(issues({ questions: -1 })).toEqual([
      expect.stringMatching(/^talk\.questions: /),
    ])
  })
})

describe('talk.date', () => {
  it('accepts real calendar dates, leap days included, and a month when the day is unknown', () => {
    expect(value({ date: '2024-02-29' }).date).toBe('2024-02-29')
    expect(value({ date: '2023-09', dateStatus: 'unconfirmed', dateNote: 'the day is not known' }).date).toBe('2023-09')
  })

  it('rejects dates that do not exist', () => {
    for (const bad of [
      '2023-02-29',
      '2023-02-30',
      '2024-13-01',
      '2024-04-31',
      '2024-00-10',
      '2024-09-00',
    ])
      expect(issues({ date: bad }), bad).toEqual([`talk.date: ${bad} is not a calendar date`])
    expect(issues({ date: '2024-13', dateStatus: 'unconfirmed', dateNote: 'x' })).toEqual(['talk.date: 2024-13 is not a calendar date'])
  })

  it('rejects other shapes', () => {
    expect(issues({ date: '2024/09/20' })).toEqual([
      expect.stringMatching(/^talk\.date: must be YYYY-MM-DD/),
    ])
  })
})

describe('formatJapaneseDate', () => {
  it('is the one the theme uses', async () => {
    const theme = await import('../../components/house-style.ts')
    expect(formatJapaneseDate).toBe(theme.formatJapaneseDate)
    expect(formatJapaneseDate('2023-02-16')).toBe('2023年2月16日')
  })
})
