/** Minimal argv helpers shared by the commands: positional deck queries versus options passed through. */

export interface SplitArgs {
  positionals: string[]
  /** Everything from the first option on, kept verbatim for the tool underneath. */
  rest: string[]
}

/** Options of ours that take a value, so their value is not mistaken for a deck query. */
export function splitArgs(argv: string[], valued: string[] = []): SplitArgs {
  const positionals: string[] = []
  const rest: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!
    if (a === '--') {
      rest.push(...argv.slice(i + 1))
      break
    }
    if (a.startsWith('-')) {
      rest.push(a)
      const name = a.replace(/=.*$/, '')
      const next = argv[i + 1]
      if (!a.includes('=') && valued.includes(name) && next !== undefined && !next.startsWith('-')) {
        rest.push(next)
        i++
      }
      continue
    }
    positionals.push(a)
  }
  return { positionals, rest }
}

/** Reads and removes `--name value` / `--name=value` / bare `--name` from args. */
export function takeOption(args: string[], name: string): { present: boolean, value?: string } {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!
    if (a === name) {
      const next = args[i + 1]
      if (next !== undefined && !next.startsWith('-')) {
        args.splice(i, 2)
        return { present: true, value: next }
      }
      args.splice(i, 1)
      return { present: true }
    }
    if (a.startsWith(`${name}=`)) {
      args.splice(i, 1)
      return {
        present: true,
        value: a.slice(name.length + 1),
      }
    }
  }
  return { present: false }
}

export function takeFlag(args: string[], name: string): boolean {
  const i = args.indexOf(name)
  if (i < 0)
    return false
  args.splice(i, 1)
  return true
}
