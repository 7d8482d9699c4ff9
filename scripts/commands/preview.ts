/**
 * `npm run preview [--port N]`: serves dist/ as a static host would (deep-link rewrites from
 * `_redirects`, the 404 page, gzip), to check the site before deploying it.
 */
import type { Command } from '../cli.ts'
import { existsSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { parseOptions } from '../lib/args.ts'
import { UserError } from '../lib/errors.ts'
import { distDir, repoRoot } from '../lib/paths.ts'
import { resolveSiteOptions } from '../lib/site/options.ts'
import { startSiteServer } from '../lib/site/server.ts'

export const DEFAULT_PREVIEW_PORT = 4173

const preview: Command = {
  ownsSignals: true,
  summary: 'Serve the built site (dist/) like a static host, with the same deep-link fallbacks.',
  usage: 'preview [--port N] [--host 0.0.0.0] [--base /prefix/] [--dir dist] [--github-pages]   (--github-pages: ignore _redirects, use 404.html only)',
  async run(argv) {
    const { positionals, values } = parseOptions('preview', preview.usage, argv, {
      'port': { type: 'string', min: 0 },
      'host': { type: 'string' },
      'base': { type: 'string' },
      'dir': { type: 'string' },
      'github-pages': { type: 'boolean' },
    })
    if (positionals.length)
      throw new UserError(`preview: unexpected argument ${positionals.join(' ')} (preview serves the whole site)\nUsage: npm run preview -- ${preview.usage.replace(/^preview /, '')}`)
    const portOpt = values.port
    const host = values.host ?? '127.0.0.1'
    const { base, dir } = values
    const githubPages = values['github-pages']
    const root = dir
      ? resolve(dir)
      : distDir
    if (!existsSync(join(root, 'index.html')))
      throw new UserError(`${relative(repoRoot, root) || root}/index.html not found: run npm run build first`)
    const port = portOpt === undefined
      ? DEFAULT_PREVIEW_PORT
      : Number(portOpt)
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw new UserError(`--port must be a port number, got "${portOpt}"`)
    const site = resolveSiteOptions({ base })
    const server = await startSiteServer({
      root,
      base: site.base,
      port,
      // An explicit --port must be that port; the default may move to the next free one.
      portAttempts: portOpt === undefined
        ? 20
        : 1,
      host,
      redirects: !githubPages,
    })
    console.log(`Serving ${relative(repoRoot, root) || root} as a static host${githubPages ? ' (GitHub Pages: 404.html fallback only)' : ''}:`)
    console.log(`  ${server.url}`)
    console.log('Ctrl+C to stop.')
    await new Promise<void>((done) => {
      const stop = () => {
        void server.close().then(done)
      }
      process.once('SIGINT', stop)
      process.once('SIGTERM', stop)
    })
    return 0
  },
}
export default preview
