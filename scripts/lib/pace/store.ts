/**
 * Rehearsal files on disk: `decks/<slug>/rehearsals/<start>.json`, committed with the deck. Read
 * for calibration (by `npm run pace`, the transcript and the presenter view's plan), written by the
 * dev server in rehearsal mode. They are not inputs of the slides (see site/hash.ts).
 */
import type { ParsedRehearsal, Rehearsal } from './rehearsal.ts'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { mkdir, rename, writeFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { repoRoot } from '../paths.ts'
import { parseRehearsal, rehearsalFileName } from './rehearsal.ts'

/** The folder of a deck's rehearsals (the name site/hash.ts leaves out of the cache key). */
export const REHEARSALS_DIR = 'rehearsals'

export function rehearsalsDir(deckDir: string): string {
  return join(deckDir, REHEARSALS_DIR)
}

/** Every rehearsal of a deck, oldest first; broken files come back with their error, never thrown. */
export function readRehearsals(deckDir: string, slideCount?: number): ParsedRehearsal[] {
  const dir = rehearsalsDir(deckDir)
  if (!existsSync(dir))
    return []
  return readdirSync(dir)
    .filter(f => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const path = join(dir, f)
      const shown = relative(repoRoot, path)
      try {
        return parseRehearsal(readFileSync(path, 'utf8'), shown, slideCount)
      }
      catch (e) {
        return { file: shown, error: `${shown}: cannot be read (${(e as Error).message}); the file is left out.`, warnings: [] }
      }
    })
}

/** The usable rehearsals and every message about the others. */
export function usableRehearsals(parsed: ParsedRehearsal[]): { rehearsals: Rehearsal[], messages: string[] } {
  return {
    rehearsals: parsed.flatMap(p => p.rehearsal
      ? [p.rehearsal]
      : []),
    messages: parsed.flatMap(p => [
      ...(p.error
        ? [p.error]
        : []),
      ...p.warnings,
    ]),
  }
}

/** Writes a rehearsal (named after its start, so saving the same rehearsal again replaces it). */
export async function writeRehearsal(deckDir: string, rehearsal: Rehearsal): Promise<string> {
  const dir = rehearsalsDir(deckDir)
  await mkdir(dir, { recursive: true })
  const file = join(dir, rehearsalFileName(rehearsal.startedAt))
  const tmp = `${file}.${process.pid}.tmp`
  await writeFile(tmp, `${JSON.stringify(rehearsal, null, 2)}\n`)
  await rename(tmp, file)
  return file
}
