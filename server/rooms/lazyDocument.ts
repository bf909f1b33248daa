import * as Y from 'yjs'
import { log } from '../log.js'

/**
 * How many updates one `Y.mergeUpdates` call merges at most. Yjs re-sorts its decoders for every
 * struct it writes, so merging n updates at once costs O(structs · n log n): a large draft's log of
 * 8,000 keystrokes took 11 s in one call and 1 s in groups of 16 (about what applying them costs).
 */
const MERGE_FAN_IN = 16

/** `parts` merged into one update, in groups of at most MERGE_FAN_IN, level by level. */
export function mergeInGroups(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!
  let level = [...parts]
  do {
    const next: Uint8Array[] = []
    for (let i = 0; i < level.length; i += MERGE_FAN_IN) {
      const group = level.slice(i, i + MERGE_FAN_IN)
      next.push(group.length === 1 ? group[0]! : Y.mergeUpdates(group))
    }
    level = next
  } while (level.length > 1)
  return level[0] ?? Y.mergeUpdates([])
}

/**
 * A room's document: its stored state as bytes until something needs the Y.Doc, then the Y.Doc.
 *
 * Building a Y.Doc costs time in proportion to the document's history (a draft of 100k edits takes
 * hundreds of milliseconds) and memory several times its encoded size, while answering a join needs
 * only the encoded state and its state vector. So a document that people open and read is never
 * built; the first edit, or a feature that reads the content, builds it once.
 */
export class LazyDocument {
  readonly #id: string
  readonly #origin: unknown
  readonly #onBuild: (doc: Y.Doc) => void
  /** The whole stored state as one update, until the Y.Doc is built. */
  #state: Uint8Array | null
  #stateVector: Uint8Array | null = null
  #doc: Y.Doc | null = null

  private constructor(
    id: string,
    state: Uint8Array | null,
    stateVector: Uint8Array | null,
    doc: Y.Doc | null,
    origin: unknown,
    onBuild: (doc: Y.Doc) => void,
  ) {
    this.#id = id
    this.#state = state
    this.#stateVector = stateVector
    this.#origin = origin
    this.#onBuild = onBuild
    if (doc) this.#built(doc)
  }

  /**
   * The document stored as `state` (a compacted state, or null) followed by `updates` (its log),
   * merged as bytes. Should the bytes not merge (a damaged stored update), the Y.Doc is built at
   * once the old way, skipping each update Yjs refuses, so one bad row never hides the rest.
   * A state stored with its state vector and no log after it is not decoded at all.
   *
   * @param origin the transaction origin of the loaded content
   * @param onBuild called once with the Y.Doc when it is built, before it is returned to anyone
   */
  static fromStored(
    id: string,
    stored: { readonly state: Uint8Array | null; readonly updates: readonly Uint8Array[]; readonly stateVector?: Uint8Array | null },
    origin: unknown,
    onBuild: (doc: Y.Doc) => void,
  ): LazyDocument {
    const parts = stored.state ? [stored.state, ...stored.updates] : stored.updates
    try {
      const state = mergeInGroups(parts)
      const stateVector = stored.updates.length === 0 ? (stored.stateVector ?? null) : null
      return new LazyDocument(id, state, stateVector, null, origin, onBuild)
    } catch (error) {
      log.error('stored updates do not merge; loading them one by one', { doc: id, error })
      const doc = new Y.Doc()
      doc.transact(() => {
        for (const update of parts) {
          try {
            Y.applyUpdate(doc, update, origin)
          } catch (error) {
            log.error('stored update failed to apply; skipped', { doc: id, error })
          }
        }
      }, origin)
      return new LazyDocument(id, null, null, doc, origin, onBuild)
    }
  }

  /** Whether the Y.Doc has been built. */
  get built(): boolean {
    return this.#doc !== null
  }

  /** The Y.Doc, built from the stored bytes on first use. */
  get doc(): Y.Doc {
    if (this.#doc) return this.#doc
    const doc = new Y.Doc()
    try {
      Y.applyUpdate(doc, this.#state!, this.#origin)
    } catch (error) {
      log.error('stored state failed to apply', { doc: this.#id, error })
    }
    this.#built(doc)
    return doc
  }

  /** The state vector of the document, without building it. */
  get stateVector(): Uint8Array {
    if (this.#doc) return Y.encodeStateVector(this.#doc)
    return (this.#stateVector ??= Y.encodeStateVectorFromUpdate(this.#state!))
  }

  /** The whole document as one update: the stored bytes themselves while it is not built. */
  encodeState(): Uint8Array {
    return this.#doc ? Y.encodeStateAsUpdate(this.#doc) : this.#state!
  }

  destroy() {
    this.#doc?.destroy()
    this.#state = null
  }

  #built(doc: Y.Doc) {
    this.#doc = doc
    this.#state = null
    this.#stateVector = null
    this.#onBuild(doc)
  }
}
