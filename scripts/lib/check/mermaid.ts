/**
 * Mermaid diagrams parsed with Mermaid's own parser (`mermaid.parse`), in Node: Mermaid needs a
 * `window` only for DOMPurify, so happy-dom's Window stands in while Mermaid loads. Loading both
 * costs about half a second, so every diagram's verdict is cached in `.cache/check/mermaid.json`
 * by a hash of its source and Mermaid's version: an unchanged deck never loads Mermaid.
 */
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { cacheDir } from './components.ts'

export interface MermaidVerdict {
  ok: boolean
  message?: string
  /** 1-based line inside the diagram, when the parser says. */
  line?: number
}

const version = (createRequire(import.meta.url)('mermaid/package.json') as { version: string }).version
const file = join(cacheDir, 'mermaid.json')
let cache: Record<string, MermaidVerdict> | undefined
let dirty = false
let parser: Promise<(text: string) => Promise<unknown>> | undefined

async function loadParser(): Promise<(text: string) => Promise<unknown>> {
  const g = globalThis as Record<string, unknown>
  const had = { window: g.window, document: g.document }
  const { Window } = await import('happy-dom')
  const win = new Window()
  g.window = win
  g.document = win.document
  try {
    const { default: mermaid } = await import('mermaid')
    return text => mermaid.parse(text)
  }
  finally {
    g.window = had.window
    g.document = had.document
  }
}

export async function parseMermaid(code: string): Promise<MermaidVerdict> {
  if (!cache) {
    try {
      cache = existsSync(file)
        ? JSON.parse(readFileSync(file, 'utf8')) as Record<string, MermaidVerdict>
        : {}
    }
    catch {
      cache = {}
    }
  }
  const key = createHash('sha256').update(version).update('\0').update(code).digest('hex').slice(0, 24)
  const hit = cache[key]
  if (hit)
    return hit
  parser ??= loadParser()
  const parse = await parser
  let verdict: MermaidVerdict
  try {
    await parse(code)
    verdict = { ok: true }
  }
  catch (e) {
    const err = e as Error & { hash?: { loc?: { first_line?: number } } }
    const message = err.message.replace(/\s+/g, ' ').trim()
    const line = err.hash?.loc?.first_line ?? Number(/line (\d+)/i.exec(message)?.[1] ?? Number.NaN)
    verdict = {
      ok: false,
      message,
      ...(Number.isFinite(line)
        ? { line }
        : {}),
    }
  }
  cache[key] = verdict
  dirty = true
  return verdict
}

export function saveMermaidCache(): void {
  if (!dirty || !cache)
    return
  mkdirSync(cacheDir, { recursive: true })
  writeFileSync(file, JSON.stringify(cache))
  dirty = false
}
