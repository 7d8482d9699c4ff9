/** An error whose message is complete for the user: the CLI prints it without a stack trace. */
export class UserError extends Error {
  readonly userFacing = true
  constructor(message: string) {
    super(message)
    this.name = 'UserError'
  }
}

/** "1 deck", "3 decks": counts in messages. */
export function countOf(n: number, noun: string): string {
  return `${n} ${noun}${n === 1
    ? ''
    : 's'}`
}
