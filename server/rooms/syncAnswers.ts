import * as Y from 'yjs'
import { encodeSyncStep2 } from '../../shared/protocol/messages.js'

/** Answers kept per room: enough for the state vectors of everyone reconnecting after a blip. */
const MAX_ANSWERS = 16
/** Cached answers together stay below this multiple of the state they are cut from. */
const MAX_ANSWER_BYTES_PER_STATE_BYTE = 4
/** Longer state vectors (hundreds of writers) are answered but not cached: the key alone would be large. */
const MAX_CACHED_VECTOR_BYTES = 4096

const isEmptyStateVector = (stateVector: Uint8Array) => stateVector.length === 1 && stateVector[0] === 0

/**
 * The answers (sync step 2 messages) to sync step 1 for one room, cut from one encoding of the
 * stored state and cached per state vector until the next stored update.
 *
 * Every answer is derived from the encoded state by `Y.diffUpdate`, never from live edits, so a
 * room that has not built its Y.Doc answers from the stored bytes themselves (lazyDocument.ts).
 * The cache is keyed by `version` — the room's count of stored updates applied (SPEC.md S1: the
 * document holds nothing else) — so a stale answer is never served.
 */
export class SyncAnswers {
  readonly #encodeState: () => Uint8Array
  #version: number
  #state: Uint8Array | null = null
  #full: Uint8Array | null = null
  readonly #byVector = new Map<string, Uint8Array>()
  #cachedBytes = 0

  /**
   * @param encodeState the whole stored state as one update (called at most once per version)
   * @param version the version of `state`, when already encoded (a compacted state just loaded)
   */
  constructor(encodeState: () => Uint8Array, version: number, state: Uint8Array | null = null) {
    this.#encodeState = encodeState
    this.#version = version
    this.#state = state
  }

  /** The sync step 2 message answering `stateVector` at `version` of the stored state. */
  answer(version: number, stateVector: Uint8Array): Uint8Array {
    if (version !== this.#version) this.#reset(version)
    if (isEmptyStateVector(stateVector)) return (this.#full ??= encodeSyncStep2(this.#stateBytes()))
    const cacheable = stateVector.byteLength <= MAX_CACHED_VECTOR_BYTES
    const key = cacheable ? Buffer.from(stateVector.buffer, stateVector.byteOffset, stateVector.byteLength).toString('latin1') : ''
    const cached = cacheable ? this.#byVector.get(key) : undefined
    if (cached) {
      // Most recently used last, so eviction takes the oldest.
      this.#byVector.delete(key)
      this.#byVector.set(key, cached)
      return cached
    }
    const answer = encodeSyncStep2(Y.diffUpdate(this.#stateBytes(), stateVector))
    if (cacheable) this.#remember(key, answer)
    return answer
  }

  /** Answers cached for the current version (for tests and metrics). */
  get cachedAnswers(): number {
    return this.#byVector.size + (this.#full ? 1 : 0)
  }

  #stateBytes(): Uint8Array {
    return (this.#state ??= this.#encodeState())
  }

  #remember(key: string, answer: Uint8Array) {
    this.#byVector.set(key, answer)
    this.#cachedBytes += answer.byteLength
    const maxBytes = MAX_ANSWER_BYTES_PER_STATE_BYTE * this.#stateBytes().byteLength
    for (const [oldest, bytes] of this.#byVector) {
      if (this.#byVector.size <= MAX_ANSWERS && this.#cachedBytes <= maxBytes) break
      this.#byVector.delete(oldest)
      this.#cachedBytes -= bytes.byteLength
    }
  }

  #reset(version: number) {
    this.#version = version
    this.#state = null
    this.#full = null
    this.#byVector.clear()
    this.#cachedBytes = 0
  }
}
