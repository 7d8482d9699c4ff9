/**
 * `sitemap.xml` and `robots.txt` for search engines, written only when the site's URL is known
 * (both need absolute URLs). Every public page is listed: the index, each deck and its transcript
 * page; `lastmod` is the talk's date, never the build time, so rebuilds write the same bytes.
 */
import type { IndexEntry } from './index-page.ts'
import type { SiteOptions } from './options.ts'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { escapeHtml } from './html.ts'
import { deckPaths } from './index-page.ts'
import { siteHref } from './options.ts'

export const SITEMAP_FILE = 'sitemap.xml'
export const ROBOTS_FILE = 'robots.txt'

/** A sitemap's W3C date: the talk's date, or its month's first day when only the month is known. */
function lastmod(date: string): string {
  return date.length === 7
    ? `${date}-01`
    : date
}

export function sitemapUrls(entries: IndexEntry[], site: SiteOptions): { loc: string, lastmod?: string }[] {
  const newest = entries.map(e => lastmod(e.date)).sort().at(-1)
  return [
    {
      loc: siteHref(site, ''),
      lastmod: newest,
    },
    ...entries.flatMap(e => [
      {
        loc: siteHref(site, deckPaths(e.slug).slides),
        lastmod: lastmod(e.date),
      },
      ...(e.transcript
        ? [
            {
              loc: siteHref(site, e.transcript),
              lastmod: lastmod(e.date),
            },
          ]
        : []),
    ]),
  ]
}

/** The sitemap document, or undefined without a site URL. */
export function renderSitemap(entries: IndexEntry[], site: SiteOptions): string | undefined {
  if (!site.url)
    return undefined
  const urls = sitemapUrls(entries, site).map(u => `  <url>\n    <loc>${escapeHtml(u.loc)}</loc>${u.lastmod
    ? `\n    <lastmod>${u.lastmod}</lastmod>`
    : ''}\n  </url>`)
  return `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
${urls.join('\n')}
</urlset>
`
}

/**
 * robots.txt allowing everything and naming the sitemap, or undefined without a site URL.
 * Crawlers read it only at the host's root: under a sub-path (GitHub Pages project site) it is
 * written all the same, and the sitemap can be submitted to the search engines by hand.
 */
export function renderRobots(site: SiteOptions): string | undefined {
  if (!site.url)
    return undefined
  return `User-agent: *\nAllow: /\n\nSitemap: ${siteHref(site, SITEMAP_FILE)}\n`
}

/** Writes sitemap.xml and robots.txt when the site URL is known; returns the files written (relative). */
export async function writeSitemap(root: string, entries: IndexEntry[], site: SiteOptions): Promise<string[]> {
  const sitemap = renderSitemap(entries, site)
  const robots = renderRobots(site)
  if (!sitemap || !robots)
    return []
  await writeFile(join(root, SITEMAP_FILE), sitemap)
  await writeFile(join(root, ROBOTS_FILE), robots)
  return [SITEMAP_FILE, ROBOTS_FILE]
}
