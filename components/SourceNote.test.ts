// @vitest-environment happy-dom
import { mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import { h } from 'vue'
import SourceNote from './SourceNote.vue'
import { mountDiagram } from './test-utils.ts'

describe('sourceNote', () => {
  it('marks the slide as reconstructed by default, as one sentence a reader can copy or hear', () => {
    const w = mountDiagram(SourceNote)
    const note = w.find('p.source-note')
    expect(note.attributes('role')).toBe('note')
    expect(note.attributes('data-label')).toBe('再構成')
    // The label and its colon are text, not decoration: the PDF's text layer and a screen reader get "再構成：…".
    expect(note.text()).toBe('再構成：講演者の記録にない部分を、講演の日付より前の公開情報で補っています')
    expect(w.find('.source-note-label').text()).toBe('再構成：')
  })

  it('takes its label and sentence from props', () => {
    const w = mountDiagram(SourceNote, {
      label: ' 公開情報 ',
      text: 'Hono v3.5.0（2023年8月）の README より',
    })
    expect(w.find('p').attributes('data-label')).toBe('公開情報')
    expect(w.text()).toBe('公開情報：Hono v3.5.0（2023年8月）の README より')
  })

  it('puts the default slot in place of the sentence, keeping its links', () => {
    const w = mount(SourceNote, {
      props: { text: 'unused' },
      slots: {
        default: () => [
          '出典は',
          h('a', { href: 'https://example.com/post' }, '公式ブログ'),
          '（2022年12月）',
        ],
      },
    })
    expect(w.text()).toBe('再構成：出典は公式ブログ（2022年12月）')
    expect(w.find('a').attributes('href')).toBe('https://example.com/post')
    expect(w.text()).not.toContain('unused')
  })

  it('refuses an empty label: a note must say what kind of content it marks', () => {
    expect(() => mount(SourceNote, {
      props: { label: '  ' },
    })).toThrow(/SourceNote: label is empty/)
  })
})
