import { randomBytes } from 'node:crypto'
import { OwnedElsewhereError, OwnershipLostError, type DocumentOwnership } from '../types.js'
import { log } from '../../log.js'
import { KeyedQueue } from '../../keyedQueue.js'

/** What leases need of a pg pool or client (kept to this shape so `pg` has one importer). */
export interface Queryable {
  query<R extends object>(sql: string, params?: unknown[]): Promise<{ rows: R[] }>
}

/** How often a server renews its heartbeat (and checks which documents it still owns). */
export const HEARTBEAT_MS = 1_000
/**
 * A server whose heartbeat is older than this is dead and its documents may be claimed. Several
 * heartbeats long, so a busy event loop does not lose its documents; short enough for a takeover
 * well within 10 s (CONTRACT: "served by the others within 10 s").
 */
export const LEASE_MS = 5_000

/** A row of `document_owners` as the heartbeat reads it. */
export interface OwnerRow {
  readonly doc_id: string
  readonly node_id: string | null
  readonly epoch: string
}

/**
 * What a heartbeat's read of the owner rows says this server no longer owns: of the documents it
 * `asked` about (with the epochs it held then), those another server has taken or that were taken
 * from it. Only those it still holds at the same epoch: the rows were read before any claim (or
 * release and claim) of this server's that completed meanwhile, so they say nothing about it.
 * Judged against everything held when the answer came back, a draft claimed in that moment had no
 * row yet and was given up at once, its clients cut off (3,000 drafts opening lost a few that way
 * in every bench run).
 */
export function movedAway(
  asked: ReadonlyArray<readonly [string, number]>,
  held: ReadonlyMap<string, number>,
  rows: readonly OwnerRow[],
  nodeId: string,
): string[] {
  const current = new Map(rows.map((row) => [row.doc_id, row]))
  return asked
    .filter(([id, epoch]) => {
      if (held.get(id) !== epoch) return false
      const row = current.get(id)
      return !row || row.node_id !== nodeId || Number(row.epoch) !== epoch
    })
    .map(([id]) => id)
}

/**
 * Document ownership decided by PostgreSQL (SPEC S27): a row per document with its owner and a
 * fencing epoch that every claim raises, and a `nodes` row per server with its NODE_URL and
 * heartbeat. A claim succeeds only when the document has no live owner; a write checks, inside
 * its own transaction and holding the row (`FOR SHARE`, so a claim waits for it), that the epoch
 * this server holds is still the stored one. So a server that was stalled (SIGSTOP) or cut off
 * while another claimed its document cannot store it afterwards, whatever it believes.
 */
export class Leases implements DocumentOwnership {
  readonly nodeId = randomBytes(9).toString('base64url')
  readonly #db: Queryable
  /** Documents this server owns, with the epoch of its claim. */
  readonly #held = new Map<string, number>()
  readonly #listeners: Array<(docIds: readonly string[]) => void> = []
  /**
   * Claims and releases of one document, one after another: a claim that read the row while a
   * release of this server's was still in flight would keep the old epoch, which the release then
   * clears; the room would find itself fenced out of its own document and cut its clients off.
   */
  readonly #steps = new KeyedQueue()
  #heartbeat: NodeJS.Timeout | null = null

  private constructor(db: Queryable) {
    this.#db = db
  }

  /**
   * Registers this server under `url` and starts its heartbeat. A row left by an earlier process
   * at the same address is dead by definition, so its documents are free at once.
   */
  static async join(db: Queryable, url: string): Promise<Leases> {
    const leases = new Leases(db)
    await db.query('DELETE FROM nodes WHERE url = $1', [url])
    await db.query('INSERT INTO nodes (id, url, heartbeat_at) VALUES ($1, $2, now())', [leases.nodeId, url])
    leases.#heartbeat = setInterval(() => void leases.#beat(), HEARTBEAT_MS)
    leases.#heartbeat.unref()
    return leases
  }

  claim(docId: string): Promise<void> {
    return this.#steps.run(docId, () => this.#claim(docId))
  }

  async #claim(docId: string): Promise<void> {
    // One statement: take the row when it is new, given up, or its owner's heartbeat stopped.
    const { rows } = await this.#db.query<{ epoch: string }>(
      `INSERT INTO document_owners AS o (doc_id, node_id, epoch) VALUES ($1, $2, 1)
       ON CONFLICT (doc_id) DO UPDATE SET node_id = excluded.node_id, epoch = o.epoch + 1
        WHERE o.node_id IS NULL
           OR (o.node_id <> excluded.node_id
               AND NOT EXISTS (SELECT 1 FROM nodes n WHERE n.id = o.node_id AND n.heartbeat_at > now() - $3 * interval '1 millisecond'))
       RETURNING epoch`,
      [docId, this.nodeId, LEASE_MS],
    )
    if (rows[0]) {
      this.#held.set(docId, Number(rows[0].epoch))
      return
    }
    const owner = await this.#owner(docId)
    if (owner?.nodeId === this.nodeId) {
      this.#held.set(docId, owner.epoch)
      return
    }
    // A live owner, or one that released between the two statements: its clients retry either way.
    throw new OwnedElsewhereError(docId, owner?.url ?? '')
  }

  async release(docId: string): Promise<void> {
    const epoch = this.#held.get(docId)
    if (epoch === undefined) return
    this.#held.delete(docId)
    await this.#steps.run(docId, () =>
      this.#db.query('UPDATE document_owners SET node_id = NULL WHERE doc_id = $1 AND node_id = $2 AND epoch = $3', [docId, this.nodeId, epoch]),
    )
  }

  async ownerElsewhere(docId: string): Promise<string | null> {
    const owner = await this.#owner(docId)
    if (!owner || owner.nodeId === this.nodeId || !owner.alive || owner.url === null) return null
    return owner.url
  }

  onLost(listener: (docIds: readonly string[]) => void): void {
    this.#listeners.push(listener)
  }

  /**
   * The fence, run first inside a transaction that writes `docIds`: locks their owner rows for
   * the rest of it and throws `OwnershipLostError` (so the transaction rolls back) for any this
   * server no longer holds at the epoch it claimed.
   */
  async fence(transaction: Queryable, docIds: readonly string[]): Promise<void> {
    const unique = [...new Set(docIds)]
    const { rows } = await transaction.query<{ doc_id: string }>(
      `SELECT o.doc_id FROM document_owners o JOIN unnest($1::text[], $2::bigint[]) AS h(doc_id, epoch) ON o.doc_id = h.doc_id
        WHERE o.node_id = $3 AND o.epoch = h.epoch FOR SHARE OF o`,
      [unique, unique.map((id) => this.#held.get(id) ?? 0), this.nodeId],
    )
    const kept = new Set(rows.map((row) => row.doc_id))
    const lost = unique.filter((id) => !kept.has(id))
    if (lost.length === 0) return
    this.lost(lost)
    throw new OwnershipLostError(lost)
  }

  /**
   * The fence for a document's other records (comments, statuses, suggestions, versions), run
   * first inside the transaction that writes one: they may be written by the owner at the epoch
   * it claimed, or by any server while nobody owns the document (no room has it open; requests
   * reach whichever server they arrive at). Throws `OwnershipLostError` when another server owns
   * it, so a stalled ex-owner's pending write is refused after a takeover; holds the owner row
   * (`FOR SHARE`) so a claim waits for the write's commit.
   */
  async fenceRecord(transaction: Queryable, docId: string): Promise<void> {
    const { rows } = await transaction.query<{ node_id: string | null; epoch: string }>(
      'SELECT node_id, epoch FROM document_owners WHERE doc_id = $1 FOR SHARE',
      [docId],
    )
    const owner = rows[0]
    if (!owner || owner.node_id === null) return
    if (owner.node_id === this.nodeId && Number(owner.epoch) === this.#held.get(docId)) return
    this.lost([docId])
    throw new OwnershipLostError([docId])
  }

  /** Forgets `docIds` and tells the listeners (their rooms close; clients reconnect to the new owner). */
  lost(docIds: readonly string[]) {
    const known = docIds.filter((id) => this.#held.delete(id))
    if (known.length === 0) return
    log.warn('another server owns these documents now; gave them up', { docs: known })
    for (const listener of this.#listeners) listener(known)
  }

  /** Stops the heartbeat and removes this server: its documents are free for the others at once. */
  async leave(): Promise<void> {
    if (this.#heartbeat) clearInterval(this.#heartbeat)
    this.#heartbeat = null
    await this.#db.query('UPDATE document_owners SET node_id = NULL WHERE node_id = $1', [this.nodeId])
    await this.#db.query('DELETE FROM nodes WHERE id = $1', [this.nodeId])
  }

  async #owner(docId: string) {
    const { rows } = await this.#db.query<{ node_id: string | null; epoch: string; url: string | null; alive: boolean | null }>(
      `SELECT o.node_id, o.epoch, n.url, n.heartbeat_at > now() - $2 * interval '1 millisecond' AS alive
         FROM document_owners o LEFT JOIN nodes n ON n.id = o.node_id WHERE o.doc_id = $1`,
      [docId, LEASE_MS],
    )
    const row = rows[0]
    if (!row || row.node_id === null) return null
    return { nodeId: row.node_id, epoch: Number(row.epoch), url: row.url, alive: row.alive === true }
  }

  /** Renews the heartbeat, and gives up documents another server claimed meanwhile (after a stall). */
  async #beat() {
    try {
      await this.#db.query('UPDATE nodes SET heartbeat_at = now() WHERE id = $1', [this.nodeId])
      if (this.#held.size === 0) return
      const asked = [...this.#held]
      const { rows } = await this.#db.query<OwnerRow>('SELECT doc_id, node_id, epoch FROM document_owners WHERE doc_id = ANY($1::text[])', [
        asked.map(([id]) => id),
      ])
      this.lost(movedAway(asked, this.#held, rows, this.nodeId))
    } catch (error) {
      log.warn('cluster heartbeat failed', { error: error instanceof Error ? error.message : String(error) })
    }
  }
}
