import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import * as Y from 'yjs'

/**
 * The baseline's LevelDB, opened with the baseline's own y-leveldb (nested under
 * @y/websocket-server, with its own `level`) while the baseline is stopped: to seed documents
 * before it starts and to count what it really stored after it stopped.
 */
interface YLeveldb {
  LeveldbPersistence: new (location: string) => Persistence
  getLevelUpdates(db: unknown, docName: string): Promise<Uint8Array[]>
}

interface Persistence {
  storeUpdate(docName: string, update: Uint8Array): Promise<number>
  _transact<T>(task: (db: unknown) => Promise<T>): Promise<T>
  destroy(): Promise<void>
}

const Y_LEVELDB = join(resolve(import.meta.dirname, '..'), 'node_modules/@y/websocket-server/node_modules/y-leveldb/src/y-leveldb.js')

let module: Promise<YLeveldb> | null = null
const yLeveldb = () => (module ??= import(pathToFileURL(Y_LEVELDB).href) as Promise<YLeveldb>)

/**
 * Writes each document's initial state as the baseline would store it had a client sent it as
 * one sync update (one y-leveldb update row), without loading any room in the server.
 */
export async function seedBaseline(dir: string, documents: ReadonlyArray<{ readonly name: string; readonly state: Uint8Array }>) {
  const { LeveldbPersistence } = await yLeveldb()
  const persistence = new LeveldbPersistence(dir)
  try {
    for (const { name, state } of documents) await persistence.storeUpdate(name, state)
  } finally {
    await persistence.destroy()
  }
}

export interface StoredBaselineDocument {
  /** Update rows in the log. */
  readonly rows: number
  /** The stored content's state vector: for each Yjs client, how many of its clocks are on disk. */
  readonly stateVector: Map<number, number>
}

/** Reads what the (stopped) baseline stored for each document, without compacting anything. */
export async function readBaseline(dir: string, names: readonly string[]): Promise<Map<string, StoredBaselineDocument>> {
  const { LeveldbPersistence, getLevelUpdates } = await yLeveldb()
  const persistence = new LeveldbPersistence(dir)
  const result = new Map<string, StoredBaselineDocument>()
  try {
    for (const name of names) {
      const updates = await persistence._transact((db) => getLevelUpdates(db, name))
      result.set(name, { rows: updates.length, stateVector: coverage(updates) })
    }
  } finally {
    await persistence.destroy()
  }
  return result
}

/**
 * The state vector of a list of updates: per client, the end of the run of clocks contiguous from
 * 0. Decoding each update on its own is linear, where merging 100k updates in Yjs is not.
 */
function coverage(updates: readonly Uint8Array[]): Map<number, number> {
  const vector = new Map<number, number>()
  for (const update of updates) {
    for (const struct of Y.decodeUpdate(update).structs) {
      if (struct instanceof Y.Skip) continue
      const { client, clock } = struct.id
      const covered = vector.get(client) ?? 0
      if (clock <= covered) vector.set(client, Math.max(covered, clock + struct.length))
    }
  }
  return vector
}
