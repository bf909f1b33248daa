/**
 * Runs tasks one after another per key (a document id), so read-modify-write changes to the same
 * document never interleave; tasks for different keys run independently. A failed task does not
 * stop the ones after it.
 */
export class KeyedQueue {
  readonly #tails = new Map<string, Promise<unknown>>()

  /** Whether tasks for `key` are queued or running. */
  busy(key: string): boolean {
    return this.#tails.has(key)
  }

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const next = (this.#tails.get(key) ?? Promise.resolve()).then(task)
    const settled = next.catch(() => undefined)
    this.#tails.set(key, settled)
    void settled.then(() => {
      if (this.#tails.get(key) === settled) this.#tails.delete(key)
    })
    return next
  }
}
