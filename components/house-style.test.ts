// @vitest-environment happy-dom
import type { SlideLike, TalkLike } from './house-style.ts'
import { mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import { ref } from 'vue'
import config from '../toolkit.config.ts'
import { footerParts, formatJapaneseDate, sectionPosition, speakerSignature, talkDateLabel } from './house-style.ts'
import { SLIDEV_CONTEXT, SLIDEV_FRONTMATTER, SLIDEV_PAGE } from './slidev-context.ts'
import TalkFooter from './TalkFooter.vue'
import TalkSectionCounter from './TalkSectionCounter.vue'
import TalkSignature from './TalkSignature.vue'

const talk2024: TalkLike = {
  date: '2024-09-20',
  dateStatus: 'confirmed',
  lang: 'ja',
  speaker: 'nekoruri',
  event: { name: 'ServerlessDays Tokyo 2024 PreEvent', hashtag: '#serverlessjp' },
}

function slide(no: number, layout?: string): SlideLike {
  return {
    no,
    meta: {
      slide: {
        frontmatter: layout
          ? { layout }
          : {},
      },
    },
  }
}
/** cover, content, section, content, section, content, section (7 slides, 3 sections). */
const deck = [
  slide(1, 'cover'),
  slide(2),
  slide(3, 'section'),
  slide(4),
  slide(5, 'section'),
  slide(6),
  slide(7, 'section'),
]

/** Mounts a theme component the way Slidev renders it inside slide `page`. */
function inSlide(component: any, { talk = talk2024, page = 2, slides = deck, frontmatter = {} as Record<string, unknown> } = {}) {
  return mount(component, {
    global: {
      provide: {
        [SLIDEV_CONTEXT]: {
          nav: { slides, total: slides.length },
          configs: { title: 't', talk },
        },
        [SLIDEV_PAGE]: ref(page),
        [SLIDEV_FRONTMATTER]: frontmatter,
      },
    },
  })
}

describe('house style rules', () => {
  it('signs with the display name and handle from toolkit.config.ts', () => {
    expect(speakerSignature('nekoruri', config.speakers)).toEqual({ name: 'Aki', handle: '@nekoruri' })
    expect(speakerSignature('someone', config.speakers)).toBeUndefined()
    expect(speakerSignature(undefined, config.speakers)).toBeUndefined()
  })

  it('dates the talk in Japanese and says when the date is not confirmed', () => {
    expect(formatJapaneseDate('2024-09-20')).toBe('2024年9月20日')
    expect(formatJapaneseDate('2023-09')).toBe('2023年9月')
    expect(talkDateLabel(talk2024)).toBe('2024年9月20日')
    expect(talkDateLabel({ date: '2023-09', dateStatus: 'unconfirmed' })).toBe('2023年9月(日付未確定)')
    expect(talkDateLabel({ date: '2023-02-16', dateStatus: 'inferred' })).toBe('2023年2月16日(推定)')
    expect(talkDateLabel({ date: '2023-02-16', dateStatus: 'inferred', lang: 'en' })).toBe('2023-02-16 (inferred)')
    expect(talkDateLabel({})).toBe('')
  })

  it('gives every slide but the cover a footer, and leaves out an unknown hashtag', () => {
    expect(footerParts(talk2024, undefined, 12, 48)).toEqual({ event: 'ServerlessDays Tokyo 2024 PreEvent', hashtag: '#serverlessjp', page: '12 / 48' })
    expect(footerParts(talk2024, 'section', 3, 48)?.page).toBe('3 / 48')
    expect(footerParts(talk2024, 'cover', 1, 48)).toBeUndefined()
    expect(footerParts({
      ...talk2024,
      event: { name: 'ssmonline #32', hashtag: '' },
    }, 'default', 5, 31)).toEqual({ event: 'ssmonline #32', hashtag: undefined, page: '5 / 31' })
    expect(footerParts(undefined, 'default', 5, 31)).toBeUndefined()
  })

  it('counts section slides only', () => {
    expect(sectionPosition(deck, 3)).toEqual({ index: 1, total: 3 })
    expect(sectionPosition(deck, 5)).toEqual({ index: 2, total: 3 })
    expect(sectionPosition(deck, 7)).toEqual({ index: 3, total: 3 })
    expect(sectionPosition(deck, 4)).toBeUndefined()
    expect(sectionPosition([], 1)).toBeUndefined()
  })
})

describe('talkFooter', () => {
  it('shows event, hashtag and page n / total on a content slide', () => {
    const w = inSlide(TalkFooter, { page: 4 })
    expect(w.find('.talk-footer-event').text()).toBe('ServerlessDays Tokyo 2024 PreEvent')
    expect(w.find('.talk-footer-hashtag').text()).toBe('#serverlessjp')
    expect(w.find('.talk-footer-page').text()).toBe('4 / 7')
  })

  it('is absent on the cover and where a slide opts out', () => {
    expect(inSlide(TalkFooter, {
      page: 1,
      frontmatter: { layout: 'cover' },
    }).find('footer').exists()).toBe(false)
    expect(inSlide(TalkFooter, {
      page: 4,
      frontmatter: { footer: false },
    }).find('footer').exists()).toBe(false)
  })

  it('has no hashtag element when the event has none', () => {
    const w = inSlide(TalkFooter, {
      talk: {
        ...talk2024,
        event: { name: 'ssmonline #32' },
      },
    })
    expect(w.find('.talk-footer-hashtag').exists()).toBe(false)
    expect(w.find('footer').text()).toBe('ssmonline #322 / 7')
  })
})

describe('talkSignature', () => {
  it('signs the title slide "Aki @nekoruri" with the event, its hashtag and the date', () => {
    const w = inSlide(TalkSignature, {
      page: 1,
      frontmatter: { layout: 'cover' },
    })
    expect(w.find('.talk-signature-name').text()).toBe('Aki')
    expect(w.find('.talk-signature-handle').text()).toBe('@nekoruri')
    expect(w.find('.talk-signature-event').text()).toBe('ServerlessDays Tokyo 2024 PreEvent#serverlessjp2024年9月20日')
  })

  it('marks a date that is not confirmed', () => {
    const w = inSlide(TalkSignature, {
      talk: {
        ...talk2024,
        date: '2023-09',
        dateStatus: 'unconfirmed',
        event: { name: 'ServerlessDays Tokyo 2023 PreEvent' },
      },
    })
    expect(w.find('.talk-signature-date').text()).toBe('2023年9月(日付未確定)')
    expect(w.find('.talk-signature-hashtag').exists()).toBe(false)
  })
})

describe('talkSectionCounter', () => {
  it('shows section n of m with one dot per section', () => {
    const w = inSlide(TalkSectionCounter, { page: 5 })
    expect(w.find('.talk-section-number').text()).toBe('2 / 3')
    // Said as text to assistive technology (and never an image: the PDF's Figures are the diagrams).
    expect(w.find('.talk-sr-only').text()).toBe('全3セクションのうち2番目')
    expect(w.find('.talk-section-number').attributes('aria-hidden')).toBe('true')
    expect(w.find('[role="img"]').exists()).toBe(false)
    expect(w.findAll('.talk-section-dot').map(d => d.classes().filter(c => c !== 'talk-section-dot'))).toEqual([
      ['done'],
      ['current'],
      [],
    ])
  })

  it('shows nothing on a slide that is not a section', () => {
    expect(inSlide(TalkSectionCounter, { page: 4 }).html()).not.toContain('talk-section-counter')
  })
})

describe('shared layouts', () => {
  it('the cover signs the slide under its own content', async () => {
    const Cover = (await import('../layouts/cover.vue')).default
    const w = mount(Cover, {
      slots: { default: '<h1>Serverless Update 2024</h1>' },
      global: {
        provide: {
          [SLIDEV_CONTEXT]: {
            nav: { slides: deck, total: 7 },
            configs: { talk: talk2024 },
          },
          [SLIDEV_PAGE]: ref(1),
        },
      },
    })
    expect(w.html().indexOf('<h1>')).toBeLessThan(w.html().indexOf('data-talk-signature'))
    expect(w.find('.talk-signature-speaker').text()).toBe('Aki@nekoruri')
  })

  it('a section slide shows where the talk is above its heading', async () => {
    const Section = (await import('../layouts/section.vue')).default
    const w = mount(Section, {
      slots: { default: '<h1>まとめ</h1>' },
      global: {
        provide: {
          [SLIDEV_CONTEXT]: {
            nav: { slides: deck, total: 7 },
            configs: { talk: talk2024 },
          },
          [SLIDEV_PAGE]: ref(7),
        },
      },
    })
    expect(w.find('.talk-section-number').text()).toBe('3 / 3')
    expect(w.html().indexOf('data-talk-section-counter')).toBeLessThan(w.html().indexOf('<h1>'))
  })
})
