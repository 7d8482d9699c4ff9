/**
 * The commands' option parsing. `parseOptions` is Node's own parser (`node:util` parseArgs, strict)
 * with the toolkit's errors: an unknown option, a missing value or a bad number names the option
 * and prints the command's usage. `splitArgs`/`takeOption`/`takeFlag` remain for commands that
 * pass their options through to Slidev (`dev`), where an option unknown to the toolkit is not an error.
 */
import { parseArgs } from 'node:util'
import { UserError } from './errors.ts'

export interface OptionSpec {
  type: 'string' | 'boolean'
  short?: string
  /** A string option that takes a number (checked: an integer ≥ min). */
  min?: number
}

export type ParsedValues<O extends Record<string, OptionSpec>> = {
  [K in keyof O]?: O[K]['type'] extends 'boolean' ? boolean : string
}

/**
 * Parses `argv` for `command`: positionals (deck queries) and the options declared in `options`
 * (long names without dashes; `--no-x` is declared as `no-x`). Throws a UserError naming the
 * option and showing `usage` for anything else.
 */
export function parseOptions<O extends Record<string, OptionSpec>>(command: string, usage: string, argv: string[], options: O): { positionals: string[], values: ParsedValues<O> } {
  const help = `Usage: npm run ${command} -- ${usage.replace(new RegExp(`^${command} `), '')}`
  let parsed: ReturnType<typeof parseArgs>
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: Object.fromEntries(Object.entries(options).map(([name, spec]) => [
        name,
        {
          type: spec.type,
          ...(spec.short
            ? { short: spec.short }
            : {}),
        },
      ])),
    })
  }
  catch (e) {
    const err = e as Error & { code?: string }
    const option = /'(-[^'\s=]*)/.exec(err.message)?.[1]
    const what = err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION'
      ? `unknown option ${option ?? ''}`
      : err.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE'
        ? `option ${option ?? ''} ${/argument missing/.test(err.message)
          ? 'needs a value'
          : 'takes no value'}`
        : err.message
    throw new UserError(`${command}: ${what.trim()}
${help}`)
  }
  for (const [name, spec] of Object.entries(options)) {
    const value = parsed.values[name]
    if (spec.min !== undefined && typeof value === 'string') {
      const n = Number(value)
      if (!Number.isInteger(n) || n < spec.min) {
        throw new UserError(`${command}: --${name} must be an integer ≥ ${spec.min}, got "${value}"
${help}`)
      }
    }
  }
  return { positionals: parsed.positionals, values: parsed.values as ParsedValues<O> }
}

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
