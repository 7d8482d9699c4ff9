/**
 * The publishing pipeline through `npm run build`, on a small fixture deck copied to a folder of
 * its own: which edit re-runs which stage (read from the build report), two builds at once (each
 * with its own server on an OS-assigned port), and a broken slide failing the build by deck and
 * slide with the previous output untouched.
 */
import type { BuildReport } from './build-site.ts'
import type { RenderInfo } from './pipeline.ts'
import { spawn } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadDeck } from '../decks.ts'
import { repoRoot } from '../paths.ts'
import { buildDeck, Pipeline, RENDER_PDF } from './pipeline.ts'

// At the depth of scripts/fixtures/<slug>, so the fixtures' `addons: ../..` still finds the shared addon.
mkdirSync(join(repoRoot, '.cache'), { recursive: true })
const work = mkdtempSync(join(repoRoot, '.cache', 'test-pipeline-'))
const decksDir = work
const SLUG = '_pdf-basic'
const BROKEN = '_pdf-mermaid-error'

interface Run { code: number, output: string, report?: BuildReport }

function build(args: string[], reportFile: string, env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [
      join(repoRoot, 'scripts/cli.ts'),
      'build',
      '--decks-dir',
      decksDir,
      '--no-pdf',
      '--report',
      reportFile,
      ...args,
    ], {
      cwd: repoRoot,
      env: {
        ...process.env,
        CI: '1',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    child.stdout.on('data', d => output += d)
    child.stderr.on('data', d => output += d)
    child.on('error', reject)
    child.on('exit', code => resolve({
      code: code ?? 1,
      output,
      report: existsSync(reportFile)
        ? JSON.parse(readFileSync(reportFile, 'utf8')) as BuildReport
        : undefined,
    }))
  })
}

/** Each stage of the deck: ran or reused. */
function stages(run: Run): Record<string, string> {
  const deck = run.report?.decks.find(d => d.slug === SLUG)
  if (!deck)
    throw new Error(`no report for ${SLUG} (exit ${run.code}):\n${run.output.slice(-3000)}`)
  return Object.fromEntries(deck.stages.map(s => [s.stage, s.status]))
}

let n = 0
const cache = join(work, 'cache')
const out = join(work, 'dist')
function buildFixture(args: string[] = []) {
  return build([
    SLUG,
    '--out',
    out,
    '--cache-dir',
    cache,
    ...args,
  ], join(work, `report-${++n}.json`))
}

beforeAll(() => {
  for (const slug of [SLUG, BROKEN])
    cpSync(join(repoRoot, 'scripts/fixtures', slug), join(decksDir, slug), { recursive: true })
})
afterAll(() => rmSync(work, { recursive: true, force: true }))

describe('the stage cache, from the build report', () => {
  let cold: Run
  beforeAll(async () => {
    cold = await buildFixture()
  })

  it('runs every stage of a deck built for the first time, in few lines of output', () => {
    expect(stages(cold)).toEqual({
      build: 'ran',
      render: 'ran',
      fonts: 'ran',
      transcript: 'ran',
    })
    expect(readdirSync(join(out, SLUG, 'thumbs')).length).toBe(cold.report!.decks[0]!.slides)
    // CI mode: plain lines, one per stage, no Slidev output, no terminal control codes.
    const lines = cold.output.trim().split('\n')
    expect(lines.length, cold.output).toBeLessThanOrEqual(10)
    expect(cold.output).not.toMatch(/vite|modules transformed/)
    expect(cold.output).not.toContain('\u001B[')
    expect(lines.filter(l => l.includes(SLUG) && /\d\.\d s/.test(l))).toHaveLength(4)
  })

  it('buildDeck hands out the cached build the site was made from', async () => {
    const deck = loadDeck(join(decksDir, SLUG), SLUG)
    const dir = await buildDeck(deck, {
      site: { base: '/', url: '' },
      cacheDir: cache,
    })
    const key = cold.report!.decks[0]!.stages.find(s => s.stage === 'build')!.key
    expect(dir).toBe(join(cache, 'build', SLUG, key))
    expect(readFileSync(join(dir, 'index.html'), 'utf8')).toContain('/_pdf-basic/assets/')
  })

  it('bundles BudouX for browsers: its own DOM module, without linkedom (setup/browser-map.ts)', () => {
    const assets = join(out, SLUG, 'assets')
    const scripts = readdirSync(assets).filter(f => f.endsWith('.js')).map(f => ({
      f,
      text: readFileSync(join(assets, f), 'utf8'),
    }))
    expect(scripts.filter(s => s.text.includes('loadDefaultJapaneseParser')).length).toBeGreaterThan(0)
    expect(scripts.filter(s => s.text.includes('linkedom')).map(s => s.f)).toEqual([])
  })

  it('a notes-only edit re-runs the transcript and nothing else', async () => {
    const file = join(decksDir, SLUG, 'slides.md')
    const source = readFileSync(file, 'utf8')
    // The fixture's last slide gets a speaker note: its slides stay as they were.
    const edited = `${source.trimEnd()}\n\n<!--\nノートだけを書き換えました。\n-->\n`
    expect(edited).not.toBe(source)
    writeFileSync(file, edited)
    const run = await buildFixture()
    expect(stages(run)).toEqual({
      build: 'reused',
      render: 'reused',
      fonts: 'reused',
      transcript: 'ran',
    })
    expect(readFileSync(join(out, SLUG, 'transcript', 'index.html'), 'utf8')).toContain('ノートだけを書き換えました')
  })

  it('a change to the deck\'s README.md re-runs nothing', async () => {
    writeFileSync(join(decksDir, SLUG, 'README.md'), '# このデッキについて\n')
    const run = await buildFixture()
    expect(stages(run)).toEqual({
      build: 'reused',
      render: 'reused',
      fonts: 'reused',
      transcript: 'reused',
    })
    expect(run.report!.built).toEqual([])
  })

  it('nothing changed: the published folder is left as it is; a file missing from it is put back', async () => {
    await buildFixture()
    const index = join(out, 'index.html')
    const before = statSync(index)
    const same = await buildFixture()
    expect(same.report!.unchanged).toBe(true)
    expect(same.output).toMatch(/nothing written/)
    // Not rewritten: the same file (inode), not a copy swapped in.
    expect(statSync(index).ino).toBe(before.ino)
    const thumb = join(out, SLUG, 'thumbs', '1.png')
    const picture = readFileSync(thumb)
    rmSync(thumb)
    const repaired = await buildFixture()
    expect(repaired.report!.unchanged).toBeFalsy()
    expect(readFileSync(thumb)).toEqual(picture)
  })

  it('a slide edit re-runs every stage of that deck, and retakes only the pictures that show the edit', async () => {
    const file = join(decksDir, SLUG, 'slides.md')
    // Words moved, no character the deck does not have already (see the end of this test).
    writeFileSync(file, readFileSync(file, 'utf8').replace('# PDF 書き出しの確認', '# 書き出しの確認 PDF'))
    const run = await buildFixture()
    expect(stages(run)).toEqual({
      build: 'ran',
      render: 'ran',
      fonts: 'ran',
      transcript: 'ran',
    })
    // Slide 1 changed: its thumbnail and the social card (slide 1 too) are taken again, the others copied.
    const deck = run.report!.decks[0]!
    const render = JSON.parse(readFileSync(join(cache, 'render', SLUG, deck.stages.find(s => s.stage === 'render')!.key, 'render.json'), 'utf8')) as RenderInfo
    expect(render.picturesReused).toBe(deck.slides - 1)
    expect(run.output).toMatch(new RegExp(`${deck.slides - 1} pictures unchanged`))
    // The copied pictures are the ones a build from nothing takes, byte for byte.
    const fresh = join(work, 'dist-fresh')
    const forced = await build([
      SLUG,
      '--out',
      fresh,
      '--cache-dir',
      join(work, 'cache-fresh'),
      '--force',
    ], join(work, 'report-fresh.json'))
    expect(forced.code, forced.output).toBe(0)
    for (const picture of [
      'og.png',
      ...readdirSync(join(fresh, SLUG, 'thumbs')).map(f => join('thumbs', f)),
    ])
      expect(readFileSync(join(out, SLUG, picture)).equals(readFileSync(join(fresh, SLUG, picture))), picture).toBe(true)
    // A character new to the deck changes the font cut for it, which draws every slide: all are taken again.
    writeFileSync(file, readFileSync(file, 'utf8').replace('# 書き出しの確認 PDF', '# 書き出しの確認 PDF（改）'))
    const again = await buildFixture()
    expect(again.output).toMatch(/render .* \d+ pages\n/)
  })
})

describe('the PDF alone (npm run export)', () => {
  it('renders without pictures under a key of its own; a build then takes them; an export after a build reuses its render', async () => {
    const deck = loadDeck(join(decksDir, SLUG), SLUG)
    const pipeline = new Pipeline({
      site: { base: '/', url: '' },
      cacheDir: join(work, 'cache-export'),
    })
    const statuses = (runs: Awaited<ReturnType<Pipeline['run']>>) => Object.fromEntries(runs[0]!.stages.map(s => [s.stage, `${s.status} ${s.key}`]))
    const keys = pipeline.keys(deck)
    try {
      const pdfOnly = await pipeline.run([deck], { site: false, pdf: true, transcript: false })
      expect(statuses(pdfOnly)).toEqual({ build: `ran ${keys.build}`, render: `ran ${keys.renderPdf}` })
      expect(existsSync(join(pdfOnly[0]!.renderDir!, RENDER_PDF))).toBe(true)
      expect(existsSync(join(pdfOnly[0]!.renderDir!, 'thumbs'))).toBe(false)

      const site = await pipeline.run([deck], { site: true, pdf: true, transcript: false })
      expect(statuses(site)).toEqual({ build: `reused ${keys.build}`, render: `ran ${keys.render}`, fonts: `ran ${keys.fonts}` })
      expect(readdirSync(join(site[0]!.renderDir!, 'thumbs')).length).toBe(pdfOnly[0]!.render!.pages)

      const again = await pipeline.run([deck], { site: false, pdf: true, transcript: false })
      expect(statuses(again)).toEqual({ build: `reused ${keys.build}`, render: `reused ${keys.render}` })
      expect(again[0]!.render!.pages).toBe(pdfOnly[0]!.render!.pages)
    }
    finally {
      await pipeline.close()
    }
  })
})

describe('builds at the same time', () => {
  it('two builds at once each serve their render pass on a port of their own and both finish', async () => {
    const [a, b] = await Promise.all(['a', 'b'].map(k => build([
      SLUG,
      '--out',
      join(work, `dist-${k}`),
      '--cache-dir',
      join(work, `cache-${k}`),
    ], join(work, `report-${k}.json`))))
    for (const run of [a!, b!]) {
      expect(run.code, run.output).toBe(0)
      expect(stages(run).render).toBe('ran')
    }
    expect(readdirSync(join(work, 'dist-a', SLUG, 'thumbs'))).toEqual(readdirSync(join(work, 'dist-b', SLUG, 'thumbs')))
  })
})

describe('a broken slide', () => {
  it('fails the build naming deck and slide, and leaves the published site untouched', async () => {
    const site = join(work, 'dist-broken')
    mkdirSync(site, { recursive: true })
    writeFileSync(join(site, 'index.html'), 'the site as published before')
    const run = await build([
      SLUG,
      BROKEN,
      '--out',
      site,
      '--cache-dir',
      cache,
    ], join(work, 'report-broken.json'))
    expect(run.code).toBe(1)
    expect(run.output).toMatch(new RegExp(`deck ${BROKEN}: .*\\n\\s+slide 2: `))
    expect(run.output).not.toMatch(/slide unknown/)
    expect(readdirSync(site)).toEqual(['index.html'])
    expect(readFileSync(join(site, 'index.html'), 'utf8')).toBe('the site as published before')
    expect(readdirSync(work).filter(f => f.startsWith('.dist-broken.'))).toEqual([])
  })
})
