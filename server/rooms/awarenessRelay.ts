import * as awarenessProtocol from 'y-protocols/awareness'
import { encodeAwareness } from '../../shared/protocol/messages.js'

/**
 * Relays a room's awareness changes once per event-loop turn (SPEC S28): the ids changed or
 * removed during a turn go out at its end as ONE awareness message, holding each id's latest state
 * (`null` for a removal), encoded once and handed to `broadcast`.
 *
 * Relaying every update to every connection as it arrives costs N sends per update, N² per
 * second when N people each move a cursor. Like group commit there is no fixed delay: a lone
 * cursor move goes out at the end of the turn that read it, while under load a turn reads many
 * sockets and its batch grows by itself. Only superseded states are skipped, which a stock client
 * would overwrite anyway (it keeps the highest clock of each id).
 */
export class AwarenessRelay {
  readonly #awareness: awarenessProtocol.Awareness
  readonly #broadcast: (message: Uint8Array) => void
  #changed = new Set<number>()
  #flushed: Promise<void> = Promise.resolve()

  constructor(awareness: awarenessProtocol.Awareness, broadcast: (message: Uint8Array) => void) {
    this.#awareness = awareness
    this.#broadcast = broadcast
  }

  /** Notes ids whose state changed or was removed; they are relayed at the end of this turn. */
  add(clientIds: Iterable<number>) {
    const idle = this.#changed.size === 0
    for (const id of clientIds) this.#changed.add(id)
    if (idle && this.#changed.size > 0) {
      this.#flushed = new Promise((resolve) =>
        setImmediate(() => {
          this.#flush()
          resolve()
        }),
      )
    }
  }

  /** Settles once every change noted so far has been relayed. */
  get flushed(): Promise<void> {
    return this.#flushed
  }

  #flush() {
    const ids = [...this.#changed]
    this.#changed = new Set()
    this.#broadcast(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.#awareness, ids)))
  }
}
