import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import markdownToHtml from 'zenn-markdown-html'
import { loadDeck } from '../decks.ts'
import { repoRoot } from '../paths.ts'
import { loadTalk, renderTranscripts, speakingTime, transcriptPaths, writeTranscripts, zennSlug, zennTopics } from './index.ts'
import { docswellEmbedUrl, docswellPageUrl, youtubeId } from './links.ts'
import { cleanNote, sourceColumn } from './notes.ts'

const fixtureDir = join(repoRoot, 'scripts/fixtures/_transcript')
const goldenDir = join(import.meta.dirname, '__golden__')
const deck = () => loadDeck(fixtureDir, '_transcript')
const options = { base: '/', siteUrl: 'https://talks.example.com' }

const tmp = mkdtempSync(join(tmpdir(), 'transcript-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

describe('golden files (UPDATE_GOLDEN=1 rewrites them)', async () => {
  const outputs = renderTranscripts(await loadTalk(deck()), options)
  const files = { zenn: '_transcript.zenn.md', hatena: '_transcript.hatena.md', html: '_transcript.html' } as const
  for (const key of ['zenn', 'hatena', 'html'] as const) {
    it(`${key} output is exactly the golden file`, () => {
      const golden = join(goldenDir, files[key])
      if (process.env.UPDATE_GOLDEN === '1') {
        mkdirSync(goldenDir, { recursive: true })
        writeFileSync(golden, outputs[key])
      }
      expect(existsSync(golden), `${golden} missing: run with UPDATE_GOLDEN=1`).toBe(true)
      expect(Buffer.from(outputs[key]).equals(readFileSync(golden)), `${files[key]} differs from the golden file`).toBe(true)
    })
  }
})

describe('notes to prose', async () => {
  const talk = await loadTalk(deck())
  const all = renderTranscripts(talk, options)

  it('drops click markers, presenter-only lines and hidden slides everywhere', () => {
    for (const text of Object.values(all)) {
      expect(text).not.toMatch(/\[click/)
      expect(text).not.toContain('会場の時計')
      expect(text).not.toContain('間を取る')
      expect(text).not.toContain('飛ばす')
      expect(text).not.toContain('隠したスライド')
      expect(text).not.toContain('このノートは文字起こしに出てきません')
    }
    // A `// ` line inside a code block is code, not a reminder.
    expect(all.zenn).toContain('// コードの中のコメントは残ります')
  })

  it('numbers slides as Slidev does and leaves a slide without notes without words', () => {
    expect(talk.slides.map(s => s.title)).toEqual([
      '文字起こしのテスト',
      '今日の流れ',
      'はじめに',
      'クリックで積み上げる',
      '本題',
      'まとめ',
    ])
    expect(talk.slides[1]!.prose).toEqual([])
    expect(all.html).toMatch(/<div class="slide" id="slide-2">\n<figure>.*<\/figure>\n<div class="text"><\/div>/)
  })

  it('keeps paragraphs, joins soft breaks without a space between Japanese and rejoins a sentence split by a click', () => {
    expect(all.zenn).toContain('最初の段落です。同じ段落の二行目は、前の行につながります。')
    expect(all.zenn).toContain('使った分だけ払えばよく、負荷に合わせて増えたり減ったりします。')
    expect(all.zenn).toContain('\n\nまずは前置きです。\n\n最初の段落です。')
  })

  it('headings: Zenn from ##, Hatena from ### with a table of contents', () => {
    expect(all.zenn.match(/^#+ .*$/gm)).toEqual(['## はじめに', '## 本題'])
    expect(all.hatena.match(/^#+ .*$/gm)).toEqual(['### はじめに', '### 本題'])
    expect(all.hatena).toContain('\n[:contents]\n')
  })

  it('links become footnotes; the same URL shares one Zenn footnote', () => {
    expect(all.zenn.match(/\[\^2\]/g)).toHaveLength(3)
    expect(all.zenn).toContain('[^2]: The Frugal Architect: <https://thefrugalarchitect.com/>')
    expect(all.hatena).toContain('The Frugal Architect((The Frugal Architect: <a href="https://thefrugalarchitect.com/">')
    expect(all.hatena).not.toContain('((笑))')
  })

  it('maps note lines and columns back to slides.md', () => {
    const source = readFileSync(join(fixtureDir, 'slides.md'), 'utf8').split('\n')
    const slide = talk.slides[3]!
    for (const l of slide.clean.lines)
      expect(source[l.line - 1]).toBe(l.raw)
    const clean = cleanNote('[click:2] 負荷に合わせて', 10)
    expect(clean.lines[0]!.text).toBe('負荷に合わせて')
    expect(sourceColumn(clean.lines[0]!, 1)).toBe(11)
  })

  it('estimates speaking time at 300 characters a minute', () => {
    const t = speakingTime(talk)
    expect(talk.chars).toBeGreaterThan(100)
    expect(t.minutes).toBe(Math.round(talk.chars / 300))
    expect(t.slot).toBe(5)
    expect(all.html).toContain(`発表枠 5 分`)
  })
})

describe('the Zenn article through Zenn\'s own renderer', async () => {
  const { zenn } = renderTranscripts(await loadTalk(deck()), options)
  const html = await markdownToHtml(zenn.replace(/^---\n[\s\S]*?\n---\n/, ''), { embedOrigin: 'https://embed.zenn.studio' })

  it('embeds the Docswell slides and the YouTube video', () => {
    expect(html).toContain('class="embed-block embed-docswell"><iframe src="https://www.docswell.com/slide/ABC123/embed"')
    expect(html).toContain('class="embed-block embed-youtube"><iframe src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"')
    expect(html).not.toContain('不正です')
  })

  it('turns links into footnotes and leaves no raw marker', () => {
    expect(html).toMatch(/<sup class="footnote-ref"><a href="#fn-[\w-]+-1"/)
    expect(html.match(/<li id="fn-[\w-]+" class="footnote-item">/g)).toHaveLength(2)
    expect(html).toContain('<h2 id=')
    expect(html).not.toMatch(/\[click|\[\^\d\]|@\[|\/\/ (?!コードの中)/)
    expect(html).toContain('$0.20')
    expect(html).not.toContain('katex')
  })
})

describe('writeTranscripts', () => {
  it('writes the three files where the site expects them, byte-identical on a second run', async () => {
    const d = deck()
    const first = await writeTranscripts([d], {
      outRoot: join(tmp, 'a'),
      ...options,
    })
    const second = await writeTranscripts([d], {
      outRoot: join(tmp, 'b'),
      ...options,
    })
    const paths = transcriptPaths(d, join(tmp, 'a'))
    expect(first[0]!.files).toEqual([paths.zenn, paths.hatena, paths.html])
    expect(paths.zenn).toMatch(/blog\/zenn\/articles\/transcript-talk\.md$/)
    expect(paths.hatena).toMatch(/blog\/hatena\/_transcript\.md$/)
    expect(paths.html).toMatch(/_transcript\/transcript\/index\.html$/)
    for (const [i, f] of first[0]!.files.entries())
      expect(readFileSync(f).equals(readFileSync(second[0]!.files[i]!))).toBe(true)
  }, 30_000) // two font subsets per run: seconds on a loaded machine

  it('links the PDF from the page only when it exists', async () => {
    const d = deck()
    const root = join(tmp, 'pdf')
    mkdirSync(join(root, d.slug), { recursive: true })
    await writeTranscripts([d], { outRoot: root, base: '/' })
    expect(readFileSync(transcriptPaths(d, root).html, 'utf8')).not.toContain('.pdf"')
    writeFileSync(join(root, d.slug, `${d.slug}.pdf`), '%PDF')
    await writeTranscripts([d], { outRoot: root, base: '/' })
    expect(readFileSync(transcriptPaths(d, root).html, 'utf8')).toContain('<a href="../_transcript.pdf">PDF</a>')
    // Without a site URL the posts do not link to the hosted deck.
    expect(readFileSync(transcriptPaths(d, root).zenn, 'utf8')).not.toContain('Web 版のスライド')
  })
})

describe('helpers', () => {
  it('zennSlug follows Zenn\'s rules (12-50 of a-z0-9-_)', () => {
    for (const s of [
      '2024-09-20-serverless-update-2024',
      '_x',
      `2024-01-01-${'long-name-'.repeat(8)}`,
      'Ab.C',
    ]) {
      const z = zennSlug(s)
      expect(z).toMatch(/^[\w-]{12,50}$/)
      expect(z).toBe(z.toLowerCase())
    }
    expect(zennSlug('2024-09-20-serverless-update-2024')).toBe('2024-09-20-serverless-update-2024')
  })

  it('zennTopics: five at most, lowercase alphanumerics', () => {
    expect(zennTopics([
      'Google-Cloud',
      'AWS',
      'aws',
      'a b',
      'x',
      'y',
      'z',
    ])).toEqual(['googlecloud', 'aws', 'ab', 'x', 'y'])
    expect(zennTopics([])).toEqual(['presentation'])
  })

  it('links each section to its page on Docswell (#p<n>, page n is slide n)', async () => {
    expect(docswellPageUrl('https://www.docswell.com/s/nekoruri/5RXJ8W-serverless-update', 12)).toBe('https://www.docswell.com/s/nekoruri/5RXJ8W-serverless-update#p12')
    expect(docswellPageUrl('https://www.docswell.com/s/nekoruri/5RXJ8W-serverless-update/3#p3', 7)).toBe('https://www.docswell.com/s/nekoruri/5RXJ8W-serverless-update#p7')
    expect(docswellPageUrl('https://example.com/s/x/y', 1)).toBeUndefined()
    const talk = await loadTalk(deck())
    const all = renderTranscripts(talk, options)
    for (const text of [all.zenn, all.hatena]) {
      for (const section of talk.sections.filter(s => s.title)) {
        const no = section.slides[0]!.no
        expect(text).toMatch(new RegExp(`#+ ${section.title}\\n\\n（スライド: \\[${no} ページ目から\\]\\(https://www\\.docswell\\.com/s/nekoruri/ABC123-transcript-test#p${no}\\)）`))
      }
    }
  })

  it('recognises Docswell and YouTube URLs', () => {
    expect(docswellEmbedUrl('https://www.docswell.com/s/nekoruri/5RXJ8W-serverless-update')).toBe('https://www.docswell.com/slide/5RXJ8W/embed')
    expect(docswellEmbedUrl('https://example.com/s/x/y')).toBeUndefined()
    expect(youtubeId('https://youtu.be/dQw4w9WgXcQ')).toBe('dQw4w9WgXcQ')
    expect(youtubeId('https://www.youtube.com/live/dQw4w9WgXcQ?si=x')).toBe('dQw4w9WgXcQ')
    expect(youtubeId('https://vimeo.com/1')).toBeUndefined()
  })
})
