import * as Y from 'yjs'
import { decodeUpdateSummary } from './updateSummary.js'

/** What the server needs to know of a client's update once it is proven well-formed. */
export interface UpdateSummary {
  /** No structs and an empty delete set: nothing to store. */
  readonly empty: boolean
  /** Client ids of the items it carries, each once. */
  readonly clients: readonly number[]
  /** Whether it deletes anything. */
  readonly deletes: boolean
}

/** Proves updates well-formed before they are stored. */
export interface UpdateValidator {
  /**
   * The summary of `update` when it can be proven well-formed at once, on the calling thread (a
   * keystroke, a paste); otherwise null, and `validate` must decide.
   */
  prove(update: Uint8Array): UpdateSummary | null
  /** Rejects never; resolves null for a bad update. */
  validate(update: Uint8Array): Promise<UpdateSummary | null>
  close(): Promise<void>
}

/**
 * Decides whether a well-formed update may change a document, in the order updates are stored: it
 * sees each update before the room applies it, and may assume the ones it admitted before will be.
 * In production the schema firewall (shared/model/firewall.ts).
 */
export interface UpdateFirewall {
  /** Null to admit `update`; otherwise why it is refused (for the log). */
  check(update: Uint8Array): string | null
  /** Forgets what it admitted that the document now holds: called once an update is applied. */
  forgetApplied(): void
}

/**
 * Applies an update to a throwaway document and summarises it; null when Yjs refuses it. Pure and
 * synchronous: the worker runs it for the server, tests run it directly.
 */
export function summariseUpdate(update: Uint8Array): UpdateSummary | null {
  // A fixed guid: a random one costs ~30 getRandomValues calls, most of the time of a small update.
  const scratch = new Y.Doc({ gc: false, guid: 'validation' })
  try {
    Y.applyUpdate(scratch, update)
    const { structs, ds } = Y.decodeUpdate(update)
    const clients = new Set<number>()
    for (const struct of structs) if (struct instanceof Y.Item) clients.add(struct.id.client)
    return { empty: structs.length === 0 && ds.clients.size === 0, clients: [...clients], deletes: ds.clients.size > 0 }
  } catch {
    return null
  } finally {
    scratch.destroy()
  }
}

/** Validation on the calling thread, without a budget: for room tests over in-memory sockets. */
export const inlineValidator: UpdateValidator = {
  prove: decodeUpdateSummary,
  validate: async (update) => summariseUpdate(update),
  close: async () => {},
}

/** The firewall that admits every well-formed update: SCHEMA_FIREWALL=false, for the benchmark only. */
export const admitEverything: UpdateFirewall = { check: () => null, forgetApplied: () => {} }
