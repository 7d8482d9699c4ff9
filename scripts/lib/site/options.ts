/**
 * Where the site is published: its path prefix (base) and, when known, its absolute origin.
 * Flags win over the environment (TALKS_SITE_BASE / TALKS_SITE_URL, read by toolkit.config.ts),
 * which wins over toolkit.config.ts's defaults.
 */
import config from '../../../toolkit.config.ts'
import { UserError } from '../errors.ts'

export interface SiteOptions {
  /** URL path prefix with leading and trailing slash: `/` or `/talks/`. */
  base: string
  /** Absolute origin (and optional path) of the published site without trailing slash, or '' when unknown. */
  url: string
  title: string
}

export function normalizeBase(base: string): string {
  const trimmed = base.trim()
  if (/^[a-z]+:/i.test(trimmed))
    throw new UserError(`site base must be a path such as /talks/, not a URL: "${base}" (put the origin in --site-url or TALKS_SITE_URL)`)
  const parts = trimmed.split('/').filter(Boolean)
  for (const p of parts) {
    if (p === '.' || p === '..' || !/^[\w.~-]+$/.test(p))
      throw new UserError(`site base "${base}" has an unsupported path segment "${p}" (letters, digits, - _ . ~ only)`)
  }
  return parts.length
    ? `/${parts.join('/')}/`
    : '/'
}

export function normalizeSiteUrl(url: string): string {
  const trimmed = url.trim()
  if (!trimmed)
    return ''
  let parsed: URL
  try {
    parsed = new URL(trimmed)
  }
  catch {
    throw new UserError(`site URL "${url}" is not an absolute URL such as https://talks.example.com`)
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    throw new UserError(`site URL "${url}" must be http(s)`)
  return parsed.href.replace(/\/+$/, '')
}

export function resolveSiteOptions(flags: { base?: string, siteUrl?: string } = {}): SiteOptions {
  const base = normalizeBase(flags.base ?? config.site.base)
  let url = normalizeSiteUrl(flags.siteUrl ?? config.site.url)
  // A URL that already ends with the base (https://user.github.io/talks) is the site's own address.
  if (url && base !== '/' && `${new URL(url).pathname.replace(/\/?$/, '/')}` === base)
    url = url.slice(0, -(base.length - 1))
  return { base, url, title: config.site.title }
}

/** Absolute URL of a site path when the site URL is known, otherwise the path itself. */
export function siteHref(site: SiteOptions, path: string): string {
  const rel = path.replace(/^\//, '')
  return `${site.url}${site.base}${rel}`
}
