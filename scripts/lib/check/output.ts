/**
 * How findings are printed: `file:line:column: severity rule: message` for people, JSON for tools
 * (`--json`), and GitHub Actions workflow commands (`::error file=…,line=…::`) so each finding is an
 * annotation on the pull request's diff.
 */
import type { Finding } from './types.ts'
import { relative } from 'node:path'
import { repoRoot } from '../paths.ts'

/** `decks/x/slides.md:12:3: error notes/missing: slide 4 「…」 has no speaker notes`. */
export function formatFinding(f: Finding, cwd = repoRoot): string {
  const where = `${relative(cwd, f.file)}${f.line
    ? `:${f.line}${f.column
      ? `:${f.column}`
      : ''}`
    : ''}`
  return `${where}: ${f.severity} ${f.rule}: ${f.message}`
}

function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
}

function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C')
}

/** One GitHub Actions annotation: `::error file=decks/x/slides.md,line=12,title=notes/missing::…`. */
export function formatAnnotation(f: Finding, cwd = repoRoot): string {
  const props = [
    `file=${escapeProperty(relative(cwd, f.file))}`,
    ...(f.line
      ? [`line=${f.line}`]
      : []),
    ...(f.column
      ? [`col=${f.column}`]
      : []),
    `title=${escapeProperty(`${f.rule}${f.slide
      ? ` (${f.deck} slide ${f.slide})`
      : ` (${f.deck})`}`)}`,
  ]
  return `::${f.severity === 'error'
    ? 'error'
    : 'warning'} ${props.join(',')}::${escapeData(f.message)}`
}

/** The findings as JSON: paths relative to the repository. */
export function findingsJson(findings: Finding[], summary: Record<string, unknown>, cwd = repoRoot): string {
  return JSON.stringify({
    ...summary,
    findings: findings.map(f => ({
      ...f,
      file: relative(cwd, f.file),
    })),
  }, null, 2)
}
