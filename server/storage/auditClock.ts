/**
 * Audit times, strictly increasing: each is the wall clock, or one millisecond after the previous
 * one when the clock has not moved on (or went back). So every entry's `at` is unique and
 * `GET /api/audit?before=<at>` pages without skipping or repeating an entry.
 */
export class AuditClock {
  readonly #now: () => number
  #last: number

  /** `newest`: the newest stored entry's time, so a restart (or a clock set back) keeps the order. */
  constructor(now: () => number = Date.now, newest?: string) {
    this.#now = now
    this.#last = newest === undefined ? 0 : Date.parse(newest)
  }

  next(): string {
    this.#last = Math.max(this.#now(), this.#last + 1)
    return new Date(this.#last).toISOString()
  }
}
