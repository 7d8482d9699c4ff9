/** An error whose message is complete for the user: the CLI prints it without a stack trace. */
export class UserError extends Error {
  readonly userFacing = true
  constructor(message: string) {
    super(message)
    this.name = 'UserError'
  }
}
