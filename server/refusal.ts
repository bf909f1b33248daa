/**
 * What was refused, in the terms of the domain. The HTTP layer maps each kind to one status
 * (`http/errors.ts`), the CLI to its exit code; services need know neither.
 */
export type RefusalKind =
  /** The input breaks a rule (an empty comment, an unknown role, malformed JSON). */
  | 'invalid'
  /** No valid session. */
  | 'unauthenticated'
  /** The role may not do this. */
  | 'forbidden'
  /** The thing asked for does not exist. */
  | 'not-found'
  /** The method does not apply to this resource. */
  | 'method-not-allowed'
  /** The request clashes with the current state (the last admin, a deleted message). */
  | 'conflict'
  /** The request body is over its limit. */
  | 'too-large'
  /** A content type the route does not take. */
  | 'unsupported'
  /** Well-formed, but not something Rancang can read (a Word file that is no Pergub). */
  | 'unreadable'
  /** Too many attempts; retry later. */
  | 'too-many'

/**
 * A request refused by a rule of the domain, with a message for people in Indonesian (the UI and
 * the CLI show it as it is). `headers` go along with an HTTP answer (`Retry-After`, `Allow`).
 */
export class Refusal extends Error {
  constructor(
    readonly kind: RefusalKind,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message)
    this.name = 'Refusal'
  }
}
