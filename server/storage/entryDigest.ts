import { createHash, type Hash } from 'node:crypto'
import type { RawEntry } from './types.js'
import { parseKey } from './keys.js'

/** How many records of one kind, and a SHA-256 over their keys and values in order. */
export interface KindSummary {
  readonly count: number
  readonly digest: string
}

/**
 * Counts and digests raw entries per kind (`log`, `meta`, `user`, …, from server/storage/keys.ts),
 * as they stream past: two storages holding the same records in the same key order give equal
 * summaries, and any lost, added or changed byte changes one.
 */
export class EntryDigest {
  readonly #kinds = new Map<string, { count: number; hash: Hash }>()

  add({ key, value }: RawEntry): void {
    const kind = parseKey(new TextDecoder().decode(key))?.kind ?? 'unknown'
    let summary = this.#kinds.get(kind)
    if (!summary) this.#kinds.set(kind, (summary = { count: 0, hash: createHash('sha256') }))
    summary.count++
    // Lengths first, so no two different entries hash the same bytes.
    const lengths = Buffer.alloc(8)
    lengths.writeUInt32BE(key.byteLength, 0)
    lengths.writeUInt32BE(value.byteLength, 4)
    summary.hash.update(lengths).update(key).update(value)
  }

  /** `entries`, passing each one through `add` on its way. */
  async *through(entries: AsyncIterable<RawEntry>): AsyncGenerator<RawEntry> {
    for await (const entry of entries) {
      this.add(entry)
      yield entry
    }
  }

  /** Kind by kind, in name order. */
  summary(): Map<string, KindSummary> {
    const names = [...this.#kinds.keys()].sort()
    return new Map(names.map((name) => [name, { count: this.#kinds.get(name)!.count, digest: this.#kinds.get(name)!.hash.copy().digest('hex') }]))
  }
}

/** The kinds whose count or digest differ between two summaries (a kind missing on one side counts). */
export function differingKinds(a: ReadonlyMap<string, KindSummary>, b: ReadonlyMap<string, KindSummary>): string[] {
  const names = new Set([...a.keys(), ...b.keys()])
  return [...names].sort().filter((name) => a.get(name)?.count !== b.get(name)?.count || a.get(name)?.digest !== b.get(name)?.digest)
}
