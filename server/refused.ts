/**
 * A request refused by a rule of the domain (a role that may not, a thread that does not exist, an
 * empty comment), with the HTTP status it maps to and a message for people, in Indonesian. The
 * HTTP layer turns it into `{"error": message}` with that status; services need not know HTTP.
 */
export class Refused extends Error {
  constructor(
    readonly status: 400 | 403 | 404 | 409,
    message: string,
  ) {
    super(message)
    this.name = 'Refused'
  }
}
