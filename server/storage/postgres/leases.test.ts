import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { startPostgres, type TestPostgres } from '../../../test/harness/postgres.js'
import { PostgresStorage } from './postgresStorage.js'
import { movedAway } from './leases.js'
import { OwnedElsewhereError, OwnershipLostError } from '../types.js'
import type { DocumentRecord } from '../../../shared/documents.js'
import type { Thread } from '../../../shared/comments.js'
import type { StatusRecord } from '../../../shared/agreement.js'
import type { Suggestion } from '../../../shared/suggestions.js'
import type { SnapshotMeta } from '../../../shared/versions.js'

const A_URL = 'http://10.0.0.1:8080'
const B_URL = 'http://10.0.0.2:8080'

const record = (id: string) => ({ id, title: id, createdAt: '2026-01-01T00:00:00.000Z' }) as unknown as DocumentRecord
const update = (text: string) => {
  const doc = new Y.Doc()
  doc.getText('t').insert(0, text)
  return Y.encodeStateAsUpdate(doc)
}

describe('document ownership in PostgreSQL (S27)', () => {
  let postgres: TestPostgres
  let a: PostgresStorage
  let b: PostgresStorage
  let database: string
  let databaseUrl: string

  beforeAll(async () => {
    postgres = await startPostgres()
    const url = await postgres.createDatabase('leases')
    databaseUrl = url
    database = new URL(url).pathname.slice(1)
    a = await PostgresStorage.open(url)
    b = await PostgresStorage.open(url)
  })
  afterAll(async () => {
    await a?.close()
    await b?.close()
    await postgres?.dispose()
  })

  it('one owner per document: a live owner keeps it, and a fenced server cannot store after its ownership moved (S27)', async () => {
    const leasesA = await a.joinCluster(A_URL)
    const leasesB = await b.joinCluster(B_URL)
    const lostByA: string[] = []
    leasesA.onLost((ids) => lostByA.push(...ids))
    await a.createDocument(record('perda-1'), update('awal'))

    await leasesA.claim('perda-1')
    await a.appendUpdates([{ docId: 'perda-1', clock: 1, update: update('oleh A') }])
    await expect(leasesB.claim('perda-1')).rejects.toThrow(OwnedElsewhereError)
    expect(await leasesB.ownerElsewhere('perda-1')).toBe(A_URL)
    // B never claimed it, so its writes of the document are refused too.
    await expect(b.appendUpdates([{ docId: 'perda-1', clock: 2, update: update('oleh B') }])).rejects.toThrow(OwnershipLostError)

    // A stalls: its heartbeat is older than the lease (as after SIGSTOP), so B takes the document over.
    await postgres.psql(database, `UPDATE nodes SET heartbeat_at = now() - interval '1 minute' WHERE url = '${A_URL}'`)
    await leasesB.claim('perda-1')
    expect(await postgres.psql(database, `SELECT epoch FROM document_owners WHERE doc_id = 'perda-1'`)).toBe('2')

    // A wakes up with a write it had pending: refused in its transaction, nothing stored, and A gives the document up.
    await expect(a.appendUpdates([{ docId: 'perda-1', clock: 2, update: update('basi dari A') }])).rejects.toThrow(OwnershipLostError)
    await expect(a.compactDocument('perda-1', update('basi dari A'), 1)).rejects.toThrow(OwnershipLostError)
    expect(lostByA).toEqual(['perda-1'])
    expect(await postgres.psql(database, `SELECT count(*) FROM updates WHERE doc_id = 'perda-1' AND clock = 2`)).toBe('0')

    await b.appendUpdates([{ docId: 'perda-1', clock: 2, update: update('oleh B') }])
    expect((await b.loadDocument('perda-1')).lastClock).toBe(2)
    // Given up after everything is stored, any server may claim it at once.
    await leasesB.release('perda-1')
    expect(await leasesA.ownerElsewhere('perda-1')).toBeNull()
    await leasesA.claim('perda-1')
    expect(await postgres.psql(database, `SELECT epoch FROM document_owners WHERE doc_id = 'perda-1'`)).toBe('3')
  })

  it('a claim made while the release of the same document is still in flight keeps the document, at a new epoch (S27)', async () => {
    // The release's statement is slow to take the row (a busy database), so a claim sent after it could read the row first.
    await postgres.psql(
      database,
      `CREATE FUNCTION slow_release() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
         IF current_query() LIKE 'UPDATE document_owners SET node_id = NULL WHERE doc_id%' THEN PERFORM pg_sleep(0.3); END IF;
         RETURN NULL; END $$`,
    )
    await postgres.psql(database, 'CREATE TRIGGER slow_release BEFORE UPDATE ON document_owners FOR EACH STATEMENT EXECUTE FUNCTION slow_release()')
    const c = await PostgresStorage.open(databaseUrl)
    try {
      const leases = await c.joinCluster('http://10.0.0.3:8080')
      await c.createDocument(record('perda-race'), update('awal'))
      await leases.claim('perda-race')
      const released = leases.release('perda-race')
      await leases.claim('perda-race')
      await released
      expect(await postgres.psql(database, `SELECT node_id || ' ' || epoch FROM document_owners WHERE doc_id = 'perda-race'`)).toBe(
        `${leases.nodeId} 2`,
      )
      // It still owns the document: its writes pass the fence.
      await c.appendUpdates([{ docId: 'perda-race', clock: 1, update: update('masih milik C') }])
    } finally {
      await postgres.psql(database, 'DROP TRIGGER slow_release ON document_owners')
      await c.close()
    }
  })

  it("a document's comments, statuses, suggestions and versions are fenced too: an ex-owner's pending write is refused after a takeover, nothing stored (S27)", async () => {
    const leasesA = await a.joinCluster(A_URL)
    const leasesB = await b.joinCluster(B_URL)
    await a.createDocument(record('perda-2'), update('awal'))
    const thread = (by: string) => ({ id: `t-${by}`, docId: 'perda-2', anchor: {}, messages: [], resolved: false }) as unknown as Thread
    const status = (by: string) => ({ docId: 'perda-2', pasalId: `p-${by}`, status: 'dibahas', history: [] }) as unknown as StatusRecord
    const suggestion = (by: string) => ({ id: `s-${by}`, docId: 'perda-2' }) as unknown as Suggestion
    const snapshot = (by: string) => ({ id: `v-${by}`, docId: 'perda-2', name: by }) as unknown as SnapshotMeta
    const writes = (storage: PostgresStorage, by: string) => [
      () => storage.putThread(thread(by)),
      () => storage.putStatus(status(by)),
      () => storage.putSuggestion(suggestion(by)),
      () => storage.putSnapshot(snapshot(by), update(by)),
    ]
    const stored = async (by: string) =>
      postgres.psql(
        database,
        `SELECT (SELECT count(*) FROM threads WHERE id = 't-${by}') + (SELECT count(*) FROM statuses WHERE pasal_id = 'p-${by}')
              + (SELECT count(*) FROM suggestions WHERE id = 's-${by}') + (SELECT count(*) FROM snapshots WHERE id = 'v-${by}')`,
      )

    // Nobody owns it (no room has it open): any server may write its records.
    for (const write of writes(b, 'bebas')) await write()
    expect(await stored('bebas')).toBe('4')

    await leasesA.claim('perda-2')
    for (const write of writes(a, 'pemilik')) await write()
    expect(await stored('pemilik')).toBe('4')
    for (const write of writes(b, 'bukan-pemilik')) await expect(write()).rejects.toThrow(OwnershipLostError)

    await postgres.psql(database, `UPDATE nodes SET heartbeat_at = now() - interval '1 minute' WHERE url = '${A_URL}'`)
    await leasesB.claim('perda-2')
    for (const write of writes(a, 'basi')) await expect(write()).rejects.toThrow(OwnershipLostError)
    expect(await stored('basi')).toBe('0')
    expect(await stored('bukan-pemilik')).toBe('0')
  })

  it('servers sharing one database settle on one secret: the first written wins', async () => {
    const first = await a.settleSetting('secret.key', new Uint8Array(32).fill(1))
    const second = await b.settleSetting('secret.key', new Uint8Array(32).fill(2))
    expect(second).toEqual(first)
    expect(first).toEqual(new Uint8Array(32).fill(1))
  })
})

describe('what a heartbeat gives up (S27)', () => {
  const row = (doc_id: string, node_id: string | null, epoch: number) => ({ doc_id, node_id, epoch: String(epoch) })

  it('a document claimed while the owner rows were being read is kept: it was not asked about, so it has no row yet', () => {
    const held = new Map([
      ['perda-1', 1],
      ['perda-2', 1],
    ])
    expect(movedAway([['perda-1', 1]], held, [row('perda-1', 'kami', 1)], 'kami')).toEqual([])
  })

  it('a document released and claimed again meanwhile is kept, whatever the older row said', () => {
    const held = new Map([['perda-1', 2]])
    expect(movedAway([['perda-1', 1]], held, [row('perda-1', null, 1)], 'kami')).toEqual([])
    expect(movedAway([['perda-1', 1]], new Map(), [row('perda-1', null, 1)], 'kami')).toEqual([])
  })

  it('a document another server took, or whose epoch moved, or whose row is gone, is given up', () => {
    const held = new Map([
      ['diambil', 1],
      ['epoch-naik', 1],
      ['hilang', 3],
      ['tetap', 4],
    ])
    const rows = [row('diambil', 'lain', 2), row('epoch-naik', 'kami', 2), row('tetap', 'kami', 4)]
    expect(movedAway([...held], held, rows, 'kami')).toEqual(['diambil', 'epoch-naik', 'hilang'])
  })
})
