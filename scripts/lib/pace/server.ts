/**
 * The dev server's side of the pace guide, a Vite plugin added to every deck by setup/vite-plugins.ts
 * (dev only): `GET /__pace/plan` gives the presenter view the deck's plan (budgets from the notes,
 * the calibrated rate), and in rehearsal mode `POST /__pace/rehearsal` writes a rehearsal file.
 * A bad rehearsal file or a deck it cannot plan never stops the server: the answer says why.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Plugin } from 'vite'
import type { Deck } from '../decks.ts'
import { basename, dirname, join, relative } from 'node:path'
import { loadDeck } from '../decks.ts'
import { repoRoot } from '../paths.ts'
import { loadPaceReport } from './index.ts'
import { parseRehearsal } from './rehearsal.ts'
import { REHEARSALS_DIR, writeRehearsal } from './store.ts'

/** Set to 1 by `npm run rehearse`: only then are rehearsals recorded. */
export const REHEARSAL_ENV = 'TALKS_REHEARSAL'
export const PLAN_PATH = '/__pace/plan'
export const REHEARSAL_PATH = '/__pace/rehearsal'

/** A rehearsal of a long talk is a few KB; anything far larger is not one. */
const MAX_BODY = 1_000_000

function send(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status
  res.setHeader('Content-Type', 'application/json; charset=utf-8')
  res.setHeader('Cache-Control', 'no-store')
  res.end(JSON.stringify(body))
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => {
      size += c.length
      if (size > MAX_BODY) {
        reject(new Error(`larger than ${MAX_BODY} bytes`))
        req.destroy()
        return
      }
      chunks.push(c)
    })
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

export const ROUTES_MODULE = 'virtual:talks-pace-routes'

/**
 * setup/routes.ts imports the presenter routes from here: in the dev server, presenter/pace-routes.ts
 * (the pace guide on the presenter route); in a build, routes unchanged, so nothing of the guide is
 * bundled (a dead `if (DEV)` branch still left its chunks in the build).
 */
export function paceRoutesPlugin(mode: string): Plugin {
  const resolved = `\0${ROUTES_MODULE}`
  return {
    name: 'talks:pace-routes',
    resolveId(id) {
      return id === ROUTES_MODULE
        ? resolved
        : undefined
    },
    load(id) {
      if (id !== resolved)
        return undefined
      return mode === 'dev'
        ? `export { default } from ${JSON.stringify(join(repoRoot, 'presenter', 'pace-routes.ts'))}\n`
        : 'export default routes => routes\n'
    },
  }
}

export interface PacePluginOptions {
  /** The deck's slides.md. */
  entry: string
  rehearsal: boolean
}

export function pacePlugin(options: PacePluginOptions): Plugin {
  const dir = dirname(options.entry)
  const deck = (): Deck => loadDeck(dir, basename(dir))
  return {
    name: 'talks:pace',
    apply: 'serve',
    config() {
      // A rehearsal written mid-talk must not make Vite reload the page.
      return {
        server: {
          watch: {
            ignored: [`**/${REHEARSALS_DIR}/**`],
          },
        },
      }
    },
    configureServer(server) {
      server.middlewares.use(async (req, res, next) => {
        const path = req.url?.split('?')[0]
        if (path === PLAN_PATH && req.method === 'GET') {
          try {
            const report = await loadPaceReport(deck(), { rehearsal: options.rehearsal })
            for (const m of report.messages)
              server.config.logger.warn(`[pace] ${m}`)
            send(res, 200, report)
          }
          catch (e) {
            send(res, 500, { error: (e as Error).message })
          }
          return
        }
        if (path === REHEARSAL_PATH && req.method === 'POST') {
          if (!options.rehearsal) {
            send(res, 403, { error: 'not rehearsing: start the dev server with npm run rehearse -- <deck> to record rehearsals' })
            return
          }
          try {
            const d = deck()
            const parsed = parseRehearsal(await readBody(req), 'the posted rehearsal')
            if (!parsed.rehearsal) {
              send(res, 400, { error: parsed.error })
              return
            }
            if (parsed.rehearsal.deck !== d.slug) {
              send(res, 400, { error: `the posted rehearsal is of deck ${parsed.rehearsal.deck}, this server presents ${d.slug}` })
              return
            }
            const file = relative(repoRoot, await writeRehearsal(d.dir, parsed.rehearsal))
            server.config.logger.info(`[pace] rehearsal saved: ${file} (${parsed.rehearsal.visits.length} slides shown)`, { timestamp: true })
            send(res, 200, { file })
          }
          catch (e) {
            send(res, 500, { error: (e as Error).message })
          }
          return
        }
        next()
      })
    },
  }
}
