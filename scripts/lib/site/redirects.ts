/**
 * The subset of the `_redirects` format (Netlify, Cloudflare Pages) the site writes and the
 * preview server obeys: `from to [status]`, with `*` in `from` and `:splat` in `to`.
 */

export interface RedirectRule {
  from: string
  to: string
  status: number
  /** `200!` on Netlify: applies even when a file exists at `from`. */
  force: boolean
}

export function parseRedirects(text: string): RedirectRule[] {
  const rules: RedirectRule[] = []
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim()
    if (!line || line.startsWith('#'))
      continue
    const [from, to, code] = line.split(/\s+/)
    if (!from || !to)
      continue
    const force = code?.endsWith('!') ?? false
    rules.push({
      from,
      to,
      status: code
        ? Number.parseInt(code, 10)
        : 301,
      force,
    })
  }
  return rules
}

/** The destination of the first rule matching `pathname`, or undefined. */
export function matchRedirect(rules: RedirectRule[], pathname: string): { rule: RedirectRule, to: string } | undefined {
  for (const rule of rules) {
    if (rule.from.endsWith('*')) {
      const prefix = rule.from.slice(0, -1)
      if (pathname.startsWith(prefix)) {
        return {
          rule,
          to: rule.to.replace(':splat', pathname.slice(prefix.length)),
        }
      }
    }
    else if (rule.from === pathname || `${rule.from}/` === pathname) {
      return { rule, to: rule.to }
    }
  }
  return undefined
}
