import { ApiError } from './api.js'

/**
 * One card's action in flight: whether it is busy (buttons disabled) and, after it failed, why.
 * Comment threads and suggestion cards share it, so a refusal reads the same everywhere.
 */
export class PendingAction {
  #busy = $state(false)
  #error = $state<string | null>(null)

  get busy(): boolean {
    return this.#busy
  }

  /** The server's refusal (or the client's own error) of the last action; null after one succeeded. */
  get error(): string | null {
    return this.#error
  }

  /** Runs `work` unless another action is running; resolves whether it succeeded. */
  async run(work: () => Promise<unknown>): Promise<boolean> {
    if (this.#busy) return false
    this.#busy = true
    this.#error = null
    try {
      await work()
      return true
    } catch (e) {
      this.#error = e instanceof ApiError || e instanceof Error ? e.message : 'Tindakan gagal. Coba lagi.'
      return false
    } finally {
      this.#busy = false
    }
  }
}
