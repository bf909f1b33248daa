import * as Y from 'yjs'
import { encodeUpdate, syncStep2Parts } from '../../shared/protocol/messages.js'
import { byteLengthOf, type Outgoing } from './socket.js'
import { mergeInGroups } from './lazyDocument.js'

/** Answers kept per base: enough for the state vectors of everyone reconnecting after a blip. */
const MAX_ANSWERS = 16
/** Cached answers together stay below this multiple of the base they are cut from. */
const MAX_ANSWER_BYTES_PER_STATE_BYTE = 4
/** Longer state vectors (hundreds of writers) are answered but not cached: the key alone would be large. */
const MAX_CACHED_VECTOR_BYTES = 4096
/**
 * The tail is dropped (and the base encoded again at the next join) once its bytes exceed this
 * share of the base's: memory stays bounded by the document, and one O(document) encoding pays for
 * half a document's worth of edits. Beyond the room's compaction point (a quarter of a large
 * state), so that normally the compaction's own encoding becomes the new base (`rebase`) and this
 * bound is only the backstop. Every update has bytes, so it bounds their number too.
 */
const MAX_TAIL_BYTES_PER_BASE_BYTE = 1 / 2

const isEmptyStateVector = (stateVector: Uint8Array) => stateVector.length === 1 && stateVector[0] === 0

/** The common no-op: an update with nothing in it (no structs, empty delete set). */
export const isEmptyUpdate = (update: Uint8Array) => update.length === 2 && update[0] === 0 && update[1] === 0

/**
 * The answers to sync step 1 for one room, cut from a **base** — one encoding of the stored state
 * — and its **tail**, the stored updates applied since, in order.
 *
 * While people type every keystroke changes the stored state, so an answer cut from a fresh
 * encoding would cost O(document) per join, the stock server's work. Here a join costs O(tail):
 * the joiner gets the tail (merged, as an update message) followed by the base (as sync step 2),
 * both sent in one turn. The tail goes first so that when a client sees sync step 2 — the stock
 * provider's "synced" — everything stored is applied: Yjs holds the tail's structs as pending
 * until the base they build on arrives, then integrates both. Answers hold only what the room
 * passed to `applied` (SPEC.md S1: stored, applied updates), so none is ever stale.
 *
 * A room that has not built its Y.Doc answers from the stored bytes themselves (lazyDocument.ts).
 */
export class SyncAnswers {
  readonly #encodeState: () => Uint8Array
  #base: Uint8Array | null = null
  /** Step 2 with the whole base: the base itself after its prefix, no copy of the draft. */
  #fullBase: Outgoing | null = null
  /** Step 2 messages cut from the base, per state vector: valid until the base changes. */
  readonly #byVector = new Map<string, Outgoing>()
  #cachedBytes = 0
  /** Tail updates merged so far, and those applied since that merge. */
  #mergedTail: Uint8Array | null = null
  #unmerged: Uint8Array[] = []
  #tailUpdates = 0
  #tailBytes = 0
  #tailMessage: Uint8Array | null = null

  /**
   * @param encodeState the whole stored state as one update: called for a new base only, once
   *   per bound of the tail while people type
   */
  constructor(encodeState: () => Uint8Array) {
    this.#encodeState = encodeState
  }

  /**
   * The messages answering sync step 1 with `stateVector`, to be sent in this order and in one
   * turn: an update message with the tail when the joiner lacks any of it, then sync step 2.
   */
  answer(stateVector: Uint8Array): Outgoing[] {
    const base = (this.#base ??= this.#encodeState())
    const tail = this.#tail()
    if (isEmptyStateVector(stateVector)) {
      const step2 = (this.#fullBase ??= syncStep2Parts(base))
      return tail ? [(this.#tailMessage ??= encodeUpdate(tail)), step2] : [step2]
    }
    const step2 = this.#cutFromBase(base, stateVector)
    const missing = tail && Y.diffUpdate(tail, stateVector)
    return missing && !isEmptyUpdate(missing) ? [encodeUpdate(missing), step2] : [step2]
  }

  /** Notes an update the room stored and applied: every later answer carries it. */
  applied(update: Uint8Array) {
    // Without a base the next answer encodes the state anyway, update included.
    if (!this.#base) return
    this.#unmerged.push(update)
    this.#tailUpdates += 1
    this.#tailBytes += update.byteLength
    this.#tailMessage = null
    if (this.#tailBytes > this.#base.byteLength * MAX_TAIL_BYTES_PER_BASE_BYTE) this.reset()
  }

  /** Takes `state`, just encoded at the current stored state (a compaction), as the new base. */
  rebase(state: Uint8Array) {
    this.reset()
    this.#base = state
  }

  /** Forgets the base and tail (the document changed in a way the tail may not describe); the next answer encodes. */
  reset() {
    this.#base = null
    this.#fullBase = null
    this.#byVector.clear()
    this.#cachedBytes = 0
    this.#mergedTail = null
    this.#unmerged = []
    this.#tailUpdates = 0
    this.#tailBytes = 0
    this.#tailMessage = null
  }

  /** Answers cached for the current base (for tests and metrics). */
  get cachedAnswers(): number {
    return this.#byVector.size + (this.#fullBase ? 1 : 0)
  }

  /** Updates in the tail (for tests and metrics). */
  get tailLength(): number {
    return this.#tailUpdates
  }

  /** The tail as one update (merged only with what arrived since the last join), or null if empty. */
  #tail(): Uint8Array | null {
    if (this.#unmerged.length > 0) {
      this.#mergedTail = mergeInGroups(this.#mergedTail ? [this.#mergedTail, ...this.#unmerged] : this.#unmerged)
      this.#unmerged = []
    }
    return this.#mergedTail
  }

  #cutFromBase(base: Uint8Array, stateVector: Uint8Array): Outgoing {
    const cacheable = stateVector.byteLength <= MAX_CACHED_VECTOR_BYTES
    const key = cacheable ? Buffer.from(stateVector.buffer, stateVector.byteOffset, stateVector.byteLength).toString('latin1') : ''
    const cached = cacheable ? this.#byVector.get(key) : undefined
    if (cached) {
      // Most recently used last, so eviction takes the oldest.
      this.#byVector.delete(key)
      this.#byVector.set(key, cached)
      return cached
    }
    const answer = syncStep2Parts(Y.diffUpdate(base, stateVector))
    if (cacheable) this.#remember(key, answer, base.byteLength)
    return answer
  }

  #remember(key: string, answer: Outgoing, baseBytes: number) {
    this.#byVector.set(key, answer)
    this.#cachedBytes += byteLengthOf(answer)
    const maxBytes = MAX_ANSWER_BYTES_PER_STATE_BYTE * baseBytes
    for (const [oldest, bytes] of this.#byVector) {
      if (this.#byVector.size <= MAX_ANSWERS && this.#cachedBytes <= maxBytes) break
      this.#byVector.delete(oldest)
      this.#cachedBytes -= byteLengthOf(bytes)
    }
  }
}
