/**
 * `npm run talks -- server [status|stop]`: the build server that `build`, `export` and `check
 * --render` keep running between commands (slidev-build.ts) so that the next build finds Slidev
 * loaded. It ends by itself after 10 idle minutes; `stop` ends it now, `status` says whether one
 * runs and how much memory it holds. TALKS_BUILD_SERVER=0 builds without one.
 */
import type { Command } from '../cli.ts'
import { readFileSync } from 'node:fs'
import { relative } from 'node:path'
import { parseOptions } from '../lib/args.ts'
import { UserError } from '../lib/errors.ts'
import { repoRoot } from '../lib/paths.ts'
import { buildServerDir, buildServerWanted, runningBuildServers, stopBuildServers } from '../lib/slidev-build.ts'

function residentMb(pid: number): string {
  try {
    const kb = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]
    return kb
      ? `, ${Math.round(Number(kb) / 1024)} MB resident`
      : ''
  }
  catch {
    return ''
  }
}

const server: Command = {
  summary: 'The build server kept between commands: whether it runs (status), or end it now (stop).',
  usage: 'server [status|stop]',
  async run(argv) {
    const { positionals } = parseOptions('server', server.usage, argv, {})
    const action = positionals[0] ?? 'status'
    if (action === 'stop') {
      const stopped = await stopBuildServers()
      console.log(stopped.length
        ? `Stopped the build server (pid ${stopped.join(', ')}).`
        : 'No build server was running.')
      return 0
    }
    if (action !== 'status')
      throw new UserError(`server: unknown action "${action}" (status or stop)`)
    const running = await runningBuildServers()
    for (const r of running) {
      console.log(`A build server runs (pid ${r.pid}${residentMb(r.pid)}) at ${relative(repoRoot, r.socket)}${r.current
        ? ''
        : ', for an earlier version of the toolkit (the next build stops it)'}.`)
    }
    if (running.length)
      console.log('It ends after 10 idle minutes; npm run talks -- server stop ends it now.')
    else
      console.log(`No build server runs (${relative(repoRoot, buildServerDir())}); the next build starts one.`)
    if (!buildServerWanted())
      console.log('TALKS_BUILD_SERVER=0 or CI is set: builds here run without one.')
    return 0
  },
}
export default server
