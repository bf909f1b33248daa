export interface HeartbeatOptions<S> {
  /** How often each socket is pinged; one that has not answered the ping before by then is dead. */
  readonly intervalMs: number
  /** Into how many groups the sockets are split, pinged one group per `intervalMs / slices`. */
  readonly slices: number
  readonly ping: (socket: S) => void
  readonly terminate: (socket: S) => void
}

/**
 * Finds dead connections (a laptop closed, a network gone: TCP may keep such a socket open for
 * hours): each socket is pinged once per interval and terminated when it has not answered the
 * ping before. Not all in one turn: pinging 2,000 sockets at once held the event loop 18–51 ms on
 * the bench machine, and their pongs 30–60 ms more, every 30 s, the slowest moments of a thousand
 * drafts being typed in. The sockets are dealt round-robin into slices, so a crowd that connected
 * at once is spread too, and one slice is pinged per tick.
 */
export class Heartbeat<S> {
  readonly #options: HeartbeatOptions<S>
  readonly #slices: Array<Set<S>>
  readonly #sliceOf = new Map<S, Set<S>>()
  /** Pinged and not answered yet. */
  readonly #unanswered = new Set<S>()
  /** The slice the next socket joins. */
  #dealt = 0
  /** The slice the next tick pings. */
  #due = 0
  readonly #timer: NodeJS.Timeout

  constructor(options: HeartbeatOptions<S>) {
    this.#options = options
    this.#slices = Array.from({ length: options.slices }, () => new Set<S>())
    this.#timer = setInterval(() => this.#tick(), options.intervalMs / options.slices)
    // Pings alone never keep the process running.
    this.#timer.unref()
  }

  add(socket: S) {
    const slice = this.#slices[this.#dealt]!
    this.#dealt = (this.#dealt + 1) % this.#slices.length
    slice.add(socket)
    this.#sliceOf.set(socket, slice)
  }

  /** The socket answered (a pong). */
  answered(socket: S) {
    this.#unanswered.delete(socket)
  }

  remove(socket: S) {
    this.#sliceOf.get(socket)?.delete(socket)
    this.#sliceOf.delete(socket)
    this.#unanswered.delete(socket)
  }

  stop() {
    clearInterval(this.#timer)
  }

  #tick() {
    const slice = this.#slices[this.#due]!
    this.#due = (this.#due + 1) % this.#slices.length
    // Removing the socket at hand while iterating a Set is safe: iteration goes on with the next.
    for (const socket of slice) {
      if (this.#unanswered.has(socket)) {
        this.remove(socket)
        this.#options.terminate(socket)
        continue
      }
      this.#unanswered.add(socket)
      this.#options.ping(socket)
    }
  }
}
