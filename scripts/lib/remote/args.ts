/**
 * `npm run dev` options that decide what the dev server exposes: `--remote <password>` (with
 * `--port`/`--bind` then meaning the gate's, see present.ts), and `--tunnel`, which is refused.
 */
import { takeOption } from '../args.ts'
import { UserError } from '../errors.ts'

export interface DevExposure {
  /** Set in remote mode. */
  password?: string
  /** The gate's port in remote mode (undefined: the first free one from 3030). */
  port?: number
  /** The address the gate listens on in remote mode. */
  bind: string
  /** What goes on to Slidev. */
  slidevArgs: string[]
}

export function devExposure(rest: string[], env: Record<string, string | undefined> = process.env): DevExposure {
  const args = [...rest]
  if (args.includes('--tunnel'))
    throw new UserError('--tunnel publishes the deck through an Internet tunnel service; this toolkit runs offline. Use --remote <password> on the local network instead.')
  const remote = takeOption(args, '--remote')
  if (!remote.present)
    return { bind: 'localhost', slidevArgs: args }
  const password = remote.value ?? env.SLIDEV_REMOTE_PASSWORD
  if (!password) {
    throw new UserError([
      '--remote exposes the deck to every device on the network, and the presenter view controls the slides.',
      'Give it a password so only you can drive the deck:',
      '  npm run dev -- <deck> --remote <password>',
      'or set SLIDEV_REMOTE_PASSWORD. The audience URL stays open (read-only, no notes); the presenter view needs the password.',
    ].join('\n'))
  }
  if (args.some(a => a === '--base' || a.startsWith('--base=')))
    throw new UserError('--base cannot be combined with --remote: the remote gate serves the deck at /.')
  let port: number | undefined
  for (const name of ['--port', '-p']) {
    const p = takeOption(args, name)
    if (p.present) {
      port = Number(p.value)
      if (!Number.isInteger(port) || port < 1 || port > 65535)
        throw new UserError(`${name} needs a port number from 1 to 65535; got ${p.value ?? 'nothing'}`)
    }
  }
  const bind = takeOption(args, '--bind').value ?? '0.0.0.0'
  return {
    password,
    port,
    bind,
    slidevArgs: args,
  }
}
