import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises'
import { randomBytes } from 'node:crypto'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createDatabase, LevelStorage } from './leveldb.js'
import { LevelLogs } from './levelLogs.js'
import { encodeState, encodeStateVectorRecord } from './records.js'
import { clockOfLogKey } from './keys.js'
import { MemoryStorage } from './memory.js'
import { IDLE_IN_TRANSACTION_MS, PostgresStorage } from './postgres/postgresStorage.js'
import { startPostgres, type TestPostgres } from '../../test/harness/postgres.js'
import { mountSmallDisk } from '../../test/harness/disk.js'
import { DocumentExistsError, StorageUnavailableError, UnknownDocumentError, type RawEntry, type Storage } from './types.js'
import { DEFAULT_META, type DocumentRecord } from '../../shared/documents.js'
import type { Suggestion } from '../../shared/suggestions.js'
import type { AuditEvent } from '../../shared/audit.js'
import type { UserRecord } from './types.js'

const event = (action: AuditEvent['action'], actor = 'rina', target = actor): AuditEvent => ({ actor, action, target, address: '10.0.0.9' })
const user = (username: string): UserRecord => ({
  id: `id-${username}`,
  username,
  name: username,
  bidang: 'Aptika',
  role: 'editor',
  password: 'x',
  sessionKey: 'k',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
})

const record = (id: string): DocumentRecord => ({
  id,
  title: `Judul ${id}`,
  createdAt: '2026-01-01T00:00:00.000Z',
  epoch: `e-${id}`,
  meta: DEFAULT_META,
})
const bytes = (...values: number[]) => new Uint8Array(values)
const snapshotMeta = (docId: string, id: string) => ({
  id,
  docId,
  name: id,
  createdAt: 'c',
  author: { username: 'a', name: 'A', bidang: 'B' },
  auto: false,
  bytes: 1,
})
const NOTIFICATION = {
  reason: 'mention',
  docId: 'a',
  docTitle: 'A',
  threadId: 't',
  pasalLabel: 'Pasal 1',
  from: { id: 'id-rina', username: 'rina', name: 'Rina', bidang: 'Aptika' },
  excerpt: 'x',
} as const
const threadOf = (docId: string) => ({
  id: 't1',
  docId,
  anchor: { pasalId: 'p1' },
  origin: { pasalLabel: 'Pasal 1', quote: 'q' },
  status: 'open' as const,
  createdAt: 'c',
  updatedAt: 'u',
  messages: [],
})

interface Harness {
  /** `now`: the clock audit entries are stamped with. */
  open(options?: { now?: () => number }): Promise<Storage>
  /** Closes and opens the same storage again, as a restart would. */
  reopen(storage: Storage): Promise<Storage>
  cleanup(): Promise<void>
}

const implementations: Record<string, () => Promise<Harness>> = {
  memory: async () => ({
    open: async (options) => new MemoryStorage(options),
    reopen: async (s) => s,
    cleanup: async () => {},
  }),
  leveldb: async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rancang-storage-'))
    return {
      open: (options) => LevelStorage.open(dir, options),
      reopen: async (s) => {
        await s.close()
        return LevelStorage.open(dir)
      },
      cleanup: () => rm(dir, { recursive: true, force: true }),
    }
  },
  postgres: async () => {
    const url = await (await cluster()).createDatabase('contract')
    return {
      open: (options) => PostgresStorage.open(url, options),
      reopen: async (s) => {
        await s.close()
        return PostgresStorage.open(url)
      },
      cleanup: async () => {},
    }
  },
}

/** One PostgreSQL cluster for this file, started on first use; each test gets its own database. */
let postgres: Promise<TestPostgres> | undefined
const cluster = () => (postgres ??= startPostgres())
// initdb and the first start take seconds on a busy machine: not inside any one test's time.
beforeAll(() => cluster(), 60_000)
afterAll(async () => {
  await (await postgres)?.dispose()
})

for (const [name, create] of Object.entries(implementations)) {
  describe(`storage contract: ${name}`, () => {
    let harness: Harness
    let storage: Storage

    const setup = async () => {
      harness = await create()
      storage = await harness.open()
    }
    afterEach(async () => {
      await storage.close()
      await harness.cleanup()
    })

    it('lists created documents and refuses a second document with the same id', async () => {
      await setup()
      await storage.createDocument(record('b'), bytes(1))
      await storage.createDocument(record('a'), bytes(2))
      expect((await storage.listDocuments()).map((d) => d.id)).toEqual(['a', 'b'])
      expect(await storage.getDocument('a')).toEqual(record('a'))
      expect(await storage.getDocument('zzz')).toBeUndefined()
      await expect(storage.createDocument(record('a'), bytes(3))).rejects.toBeInstanceOf(DocumentExistsError)
    })

    it('loads the initial state and appended updates in clock order after a reopen', async () => {
      await setup()
      await storage.createDocument(record('d'), bytes(9))
      await storage.appendUpdates([
        { docId: 'd', clock: 1, update: bytes(1) },
        { docId: 'd', clock: 2, update: bytes(2) },
      ])
      await storage.appendUpdates([{ docId: 'd', clock: 16, update: bytes(16) }])
      storage = await harness.reopen(storage)
      const loaded = await storage.loadDocument('d')
      expect(loaded.state).toEqual(bytes(9))
      expect(loaded.updates).toEqual([bytes(1), bytes(2), bytes(16)])
      expect(loaded.lastClock).toBe(16)
    })

    it('compacts: the state replaces the updates through its clock, later ones stay (S3)', async () => {
      await setup()
      await storage.createDocument(record('d'), bytes(0))
      await storage.appendUpdates([1, 2, 3, 4].map((c) => ({ docId: 'd', clock: c, update: bytes(c) })))
      await storage.compactDocument('d', bytes(7, 7), 3)
      storage = await harness.reopen(storage)
      const { stateVector, ...loaded } = await storage.loadDocument('d')
      expect(loaded).toEqual({ state: bytes(7, 7), stateClock: 3, updates: [bytes(4)], lastClock: 4 })
      expect(stateVector ?? null).toBeNull()
    })

    it('keeps the state vector given with a compacted state, and none once a state is compacted without one', async () => {
      await setup()
      await storage.createDocument(record('d'), bytes(0))
      expect((await storage.loadDocument('d')).stateVector).toBeNull()
      await storage.appendUpdates([1, 2].map((c) => ({ docId: 'd', clock: c, update: bytes(c) })))
      await storage.compactDocument('d', bytes(7), 2, bytes(1, 5, 2))
      storage = await harness.reopen(storage)
      expect(await storage.loadDocument('d')).toMatchObject({ state: bytes(7), stateClock: 2, updates: [], stateVector: bytes(1, 5, 2) })
      await storage.appendUpdates([{ docId: 'd', clock: 3, update: bytes(3) }])
      await storage.compactDocument('d', bytes(8), 3)
      storage = await harness.reopen(storage)
      expect(await storage.loadDocument('d')).toMatchObject({ state: bytes(8), stateClock: 3, stateVector: null })
    })

    it('keeps documents apart', async () => {
      await setup()
      await storage.createDocument(record('a'), bytes(0))
      await storage.createDocument(record('a-b'), bytes(0))
      await storage.appendUpdates([
        { docId: 'a', clock: 1, update: bytes(1) },
        { docId: 'a-b', clock: 1, update: bytes(2) },
      ])
      await storage.compactDocument('a', bytes(5), 1)
      expect((await storage.loadDocument('a-b')).updates).toEqual([bytes(2)])
      expect((await storage.loadDocument('a')).updates).toEqual([])
    })

    it("replaces a document's title and metadata, keeps them across a reopen, and refuses an unknown document", async () => {
      await setup()
      await storage.createDocument(record('a'), bytes(1))
      const perbup = {
        ...record('a'),
        title: 'Rancangan Peraturan Bupati Kutai Kartanegara tentang Data',
        meta: { jenis: 'perbup', daerah: 'Kutai Kartanegara', pejabat: 'Bupati Kutai Kartanegara', tempat: 'Tenggarong', nomor: '7', tahun: 2026 },
      } as const
      await storage.updateDocument(perbup)
      storage = await harness.reopen(storage)
      expect(await storage.getDocument('a')).toEqual(perbup)
      expect(await storage.listDocuments()).toEqual([perbup])
      await expect(storage.updateDocument(record('nope'))).rejects.toBeInstanceOf(UnknownDocumentError)
    })

    it('keeps the last change of each document, the last of a batch winning, across a reopen', async () => {
      await setup()
      await storage.createDocument(record('a'), bytes(1))
      await storage.createDocument(record('b'), bytes(1))
      expect(await storage.listLastModified()).toEqual(new Map())
      const by = (username: string) => ({ id: `id-${username}`, username, name: username, bidang: 'Aptika' })
      await storage.appendUpdates([
        { docId: 'a', clock: 1, update: bytes(1), modified: { at: '2026-02-01T00:00:00.000Z', by: by('rina') } },
        { docId: 'a', clock: 2, update: bytes(2), modified: { at: '2026-02-01T00:00:01.000Z', by: by('bayu') } },
        { docId: 'b', clock: 1, update: bytes(3) },
      ])
      storage = await harness.reopen(storage)
      expect(await storage.listLastModified()).toEqual(new Map([['a', { at: '2026-02-01T00:00:01.000Z', by: by('bayu') }]]))
    })

    it('records the audit event of a record change with it (S17)', async () => {
      await setup()
      await storage.createDocument(record('a'), bytes(1))
      await storage.updateDocument({ ...record('a'), archived: true }, event('document.archived', 'admin', 'a'))
      expect((await storage.getDocument('a'))?.archived).toBe(true)
      expect((await storage.listAudit({ limit: 5 })).map((e) => e.action)).toEqual(['document.archived'])
    })

    it("lists an account's notifications newest first, only its own, and replaces one stored again (marked read)", async () => {
      await setup()
      const from = { id: 'id-rina', username: 'rina', name: 'Rina', bidang: 'Aptika' }
      const notification = (userId: string, id: string) =>
        ({
          id,
          userId,
          reason: 'mention',
          docId: 'a',
          docTitle: 'A',
          threadId: 't',
          messageId: id,
          pasalLabel: 'Pasal 1',
          from,
          excerpt: 'x',
          createdAt: id,
        }) as const
      await storage.putNotifications([notification('u1', '001'), notification('u1', '003'), notification('u2', '002'), notification('u1', '002')])
      await storage.putNotifications([{ ...notification('u1', '002'), readAt: 'r' }])
      storage = await harness.reopen(storage)
      expect((await storage.listNotifications('u1', 10)).map((n) => [n.id, n.readAt])).toEqual([
        ['003', undefined],
        ['002', 'r'],
        ['001', undefined],
      ])
      expect((await storage.listNotifications('u1', 2)).map((n) => n.id)).toEqual(['003', '002'])
      expect((await storage.listNotifications('u2', 10)).map((n) => n.id)).toEqual(['002'])
      expect(await storage.listNotifications('u3', 10)).toEqual([])
    })

    it("prunes an account's notifications that are neither among its newest few nor younger than the cutoff, only its own", async () => {
      await setup()
      const notification = (userId: string, id: string) => ({ ...NOTIFICATION, id, userId, messageId: id, createdAt: id })
      const ids = Array.from({ length: 205 }, (_, i) => `n${String(i).padStart(3, '0')}`)
      await storage.putNotifications(ids.map((id) => notification('u1', id)))
      await storage.putNotifications([notification('u2', 'n000')])
      const listed = async (userId: string) => (await storage.listNotifications(userId, 1000)).map((n) => n.id)

      // n000…n004 are past the newest 200; of those, only what sorts before n003 is old enough to go.
      expect(await storage.pruneNotifications('u1', 200, 'n003')).toBe(3)
      expect(await listed('u1')).toEqual(ids.slice(3).reverse())
      expect(await storage.pruneNotifications('u1', 200, 'n003')).toBe(0)
      // Everything is old enough now: the newest 200 stay, whatever their age.
      expect(await storage.pruneNotifications('u1', 200, 'z')).toBe(2)
      expect(await storage.pruneNotifications('u2', 200, 'z')).toBe(0)
      storage = await harness.reopen(storage)
      expect(await listed('u1')).toEqual(ids.slice(5).reverse())
      expect(await listed('u2')).toEqual(['n000'])
      expect(await storage.pruneNotifications('u3', 200, 'z')).toBe(0)
    })

    it('refuses to load an unknown document', async () => {
      await setup()
      await expect(storage.loadDocument('nope')).rejects.toBeInstanceOf(UnknownDocumentError)
    })

    it('stores, lists and deletes users', async () => {
      await setup()
      const user = (username: string) => ({
        id: `id-${username}`,
        username,
        name: username.toUpperCase(),
        bidang: 'Bidang APTIKA',
        role: 'editor' as const,
        password: 'scrypt$x',
        sessionKey: 'k',
        createdAt: 'c',
        updatedAt: 'u',
      })
      await storage.putUser(user('sari'))
      await storage.putUser(user('andi'))
      storage = await harness.reopen(storage)
      expect((await storage.listUsers()).map((u) => u.username)).toEqual(['andi', 'sari'])
      expect(await storage.getUser('sari')).toEqual(user('sari'))
      await storage.deleteUser('sari')
      expect(await storage.getUser('sari')).toBeUndefined()
    })

    it('keeps token revocations until deleted', async () => {
      await setup()
      await storage.putRevocation('t1', 100)
      await storage.putRevocation('t2', 200)
      await storage.deleteRevocation('t1')
      storage = await harness.reopen(storage)
      expect(await storage.listRevocations()).toEqual([{ tokenId: 't2', expiresAt: 200 }])
    })

    it('stores comment threads per document, replacing a thread on update', async () => {
      await setup()
      const thread = (docId: string, id: string, text: string) => ({
        id,
        docId,
        anchor: { pasalId: 'p1' },
        origin: { pasalLabel: 'Pasal 1', quote: 'q' },
        status: 'open' as const,
        createdAt: 'c',
        updatedAt: 'u',
        messages: [{ id: 'm1', author: { username: 'a', name: 'A', bidang: 'B' }, text, createdAt: 'c' }],
      })
      await storage.putThread(thread('d', 't2', 'satu'))
      await storage.putThread(thread('d', 't1', 'dua'))
      await storage.putThread(thread('d-lain', 't3', 'tiga'))
      await storage.putThread(thread('d', 't2', 'satu lagi'))
      storage = await harness.reopen(storage)
      expect((await storage.listThreads('d')).map((t) => [t.id, t.messages[0]!.text])).toEqual([
        ['t1', 'dua'],
        ['t2', 'satu lagi'],
      ])
      expect((await storage.getThread('d-lain', 't3'))?.messages[0]!.text).toBe('tiga')
      expect(await storage.getThread('d', 't3')).toBeUndefined()
    })

    it('stores suggestions per document, replacing a suggestion on update', async () => {
      await setup()
      const dewi = { id: 'u1', username: 'dewi', name: 'Dewi', bidang: 'Biro Hukum' }
      const suggestion = (docId: string, id: string, insert: string, status: Suggestion['status'] = 'open'): Suggestion => ({
        id,
        docId,
        kind: 'text',
        anchor: { pasalId: 'p1', range: { from: 'AQ==', to: 'AQ==', quote: 'dapat' } },
        insert,
        status,
        author: dewi,
        createdAt: 'c',
        updatedAt: 'u',
        origin: { pasalLabel: 'Pasal 7' },
        replies: [],
      })
      await storage.putSuggestion(suggestion('d', 's2', 'wajib'))
      await storage.putSuggestion(suggestion('d', 's1', 'harus'))
      await storage.putSuggestion(suggestion('d-lain', 's3', 'boleh'))
      await storage.putSuggestion(suggestion('d', 's2', 'wajib', 'accepted'))
      storage = await harness.reopen(storage)
      expect((await storage.listSuggestions('d')).map((s) => [s.id, s.insert, s.status])).toEqual([
        ['s1', 'harus', 'open'],
        ['s2', 'wajib', 'accepted'],
      ])
      expect((await storage.getSuggestion('d-lain', 's3'))?.insert).toBe('boleh')
      expect(await storage.getSuggestion('d', 's3')).toBeUndefined()
      expect(await storage.listSuggestions('tidak-ada')).toEqual([])
    })

    it('records who wrote what with the updates, and keeps it through compaction', async () => {
      await setup()
      await storage.createDocument(record('d'), bytes(0))
      const sari = { username: 'sari', name: 'Sari', bidang: 'APTIKA' }
      const budi = { username: 'budi', name: 'Budi', bidang: 'TIK' }
      await storage.appendUpdates([
        { docId: 'd', clock: 1, update: bytes(1), attribution: { newClients: [{ clientId: 11, author: sari }] } },
        { docId: 'd', clock: 2, update: bytes(2, 2), attribution: { newClients: [{ clientId: 22, author: budi }], deletedBy: budi } },
        { docId: 'd', clock: 3, update: bytes(3) },
      ])
      await storage.compactDocument('d', bytes(9), 3)
      storage = await harness.reopen(storage)
      const attribution = await storage.loadAttribution('d')
      expect([...attribution.authors]).toEqual([
        [11, sari],
        [22, budi],
      ])
      expect(attribution.deletions).toEqual([{ author: budi, update: bytes(2, 2) }])
    })

    it('lists snapshots newest first and returns their data', async () => {
      await setup()
      await storage.createDocument(record('d'), bytes(0))
      const meta = (id: string) => ({
        id,
        docId: 'd',
        name: id,
        createdAt: 'c',
        author: { username: 'a', name: 'A', bidang: 'B' },
        auto: false,
        bytes: 1,
      })
      await storage.putSnapshot(meta('0001'), bytes(1))
      await storage.putSnapshot(meta('0003'), bytes(3))
      await storage.putSnapshot(meta('0002'), bytes(2))
      storage = await harness.reopen(storage)
      expect((await storage.listSnapshots('d')).map((m) => m.id)).toEqual(['0003', '0002', '0001'])
      expect(await storage.getSnapshot('d', '0002')).toEqual({ meta: meta('0002'), data: bytes(2) })
      expect(await storage.getSnapshot('d', '0009')).toBeUndefined()
      expect(await storage.listSnapshots('other')).toEqual([])
    })

    it('stores the agreement status of each Pasal per document', async () => {
      await setup()
      const by = { username: 'a', name: 'A', bidang: 'B' }
      const record = (docId: string, pasalId: string, status: 'dibahas' | 'disepakati') => ({
        docId,
        pasalId,
        status,
        history: [{ status, by, at: 't' }],
      })
      await storage.putStatus(record('d', 'p1', 'dibahas'))
      await storage.putStatus(record('d', 'p1', 'disepakati'))
      await storage.putStatus(record('e', 'p2', 'dibahas'))
      storage = await harness.reopen(storage)
      expect(await storage.listStatuses('d')).toEqual([record('d', 'p1', 'disepakati')])
      expect(await storage.getStatus('e', 'p2')).toEqual(record('e', 'p2', 'dibahas'))
      expect(await storage.getStatus('d', 'p2')).toBeUndefined()
    })

    it('appends audit entries with strictly increasing times and lists them newest first, paging with before (S17)', async () => {
      await setup()
      // A clock that stands still: times must still be unique, or `before` would skip entries.
      await storage.close()
      storage = await harness.open({ now: () => Date.parse('2026-03-01T08:00:00.000Z') })
      for (let i = 0; i < 5; i++) await storage.appendAudit(event('login.failed', `u${i}`))
      const all = await storage.listAudit({ limit: 10 })
      expect(all.map((e) => e.actor)).toEqual(['u4', 'u3', 'u2', 'u1', 'u0'])
      expect(new Set(all.map((e) => e.at)).size).toBe(5)
      const first = await storage.listAudit({ limit: 2 })
      const second = await storage.listAudit({ limit: 2, before: first.at(-1)!.at })
      const third = await storage.listAudit({ limit: 2, before: second.at(-1)!.at })
      expect([...first, ...second, ...third].map((e) => e.actor)).toEqual(['u4', 'u3', 'u2', 'u1', 'u0'])
      expect(await storage.listAudit({ limit: 10, actor: 'u2' })).toEqual([all[2]])
      expect(await storage.listAudit({ limit: 10, from: all[3]!.at, to: all[1]!.at })).toEqual([all[2], all[3]])
      storage = await harness.reopen(storage)
      // After a restart the next entry still sorts after every stored one.
      await storage.appendAudit(event('login.succeeded', 'u5'))
      expect((await storage.listAudit({ limit: 1 }))[0]!.actor).toBe('u5')
    })

    it('writes the audit entry of a change with the change, for every write that takes one (S17)', async () => {
      await setup()
      await storage.putUser(user('sari'), event('account.created', 'admin', 'sari'))
      await storage.deleteUser('sari', event('account.removed', 'admin', 'sari'))
      await storage.putRevocation('s1', 99, event('logout'))
      await storage.createDocument(record('a'), bytes(1), event('document.created', 'admin', 'a'))
      await storage.putSnapshot(snapshotMeta('a', 's1'), bytes(2), event('snapshot.created', 'rina', 'a/s1'))
      await storage.putStatus({ docId: 'a', pasalId: 'p1', status: 'dibahas', history: [] }, event('status.changed', 'rina', 'a/p1'))
      await storage.putThread(threadOf('a'), event('status.changed', 'rina', 'a/t1'))
      // Writes without an event record nothing.
      await storage.putUser(user('andi'))
      storage = await harness.reopen(storage)
      const actions = (await storage.listAudit({ limit: 10 })).map((e) => `${e.action} ${e.target}`)
      expect(actions).toEqual([
        'status.changed a/t1',
        'status.changed a/p1',
        'snapshot.created a/s1',
        'document.created a',
        'logout rina',
        'account.removed sari',
        'account.created sari',
      ])
    })

    it('prunes audit entries older than the cutoff and keeps the rest', async () => {
      await setup()
      let now = Date.parse('2023-01-01T00:00:00.000Z')
      await storage.close()
      storage = await harness.open({ now: () => now })
      await storage.appendAudit(event('login.succeeded', 'old1'))
      await storage.appendAudit(event('login.succeeded', 'old2'))
      now = Date.parse('2026-01-01T00:00:00.000Z')
      await storage.appendAudit(event('login.succeeded', 'new'))
      expect(await storage.pruneAudit('2025-01-01T00:00:00.000Z')).toBe(2)
      expect((await storage.listAudit({ limit: 10 })).map((e) => e.actor)).toEqual(['new'])
      expect(await storage.pruneAudit('2025-01-01T00:00:00.000Z')).toBe(0)
    })

    it('stores settings', async () => {
      await setup()
      expect(await storage.getSetting('x')).toBeUndefined()
      await storage.putSetting('x', bytes(4, 2))
      storage = await harness.reopen(storage)
      expect(await storage.getSetting('x')).toEqual(bytes(4, 2))
    })
  })
}

describe('LevelStorage raw entries (backups)', () => {
  it('reads every record from the snapshot taken when entries() is called, not from later writes or compactions', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rancang-storage-'))
    const storage = await LevelStorage.open(dir)
    try {
      await storage.createDocument(record('a'), bytes(1))
      await storage.appendUpdates([1, 2, 3].map((clock) => ({ docId: 'a', clock, update: bytes(clock) })))
      const entries = storage.entries()
      // After the snapshot: a compaction (one batch deleting the log), a new record, a new key kind.
      await storage.compactDocument('a', bytes(9), 3)
      await storage.createDocument(record('b'), bytes(2))
      await storage.putFormatVersion(7)
      const keys: string[] = []
      for await (const { key } of entries) keys.push(new TextDecoder().decode(key))
      expect(keys).toEqual(['v1/log/a/0000000000001', 'v1/log/a/0000000000002', 'v1/log/a/0000000000003', 'v1/meta/a', 'v1/state/a'])
      const now: string[] = []
      for await (const { key } of storage.entries()) now.push(new TextDecoder().decode(key))
      expect(now).toEqual(['format', 'v1/meta/a', 'v1/meta/b', 'v1/state/a', 'v1/state/b'])
    } finally {
      await storage.close()
      await rm(dir, { recursive: true, force: true })
    }
  })
})

describe('LevelStorage fsyncs', () => {
  it('stores a compaction once its log is fsynced, and a keystroke written behind it does not wait for that fsync (a slow disk)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rancang-storage-'))
    // The real fdatasync of LevelDB's logs, held back while `slowDisk` is pending.
    const real = new LevelLogs(dir)
    let slowDisk: Promise<void> | null = null
    let syncing!: () => void
    const syncStarted = new Promise<void>((resolve) => (syncing = resolve))
    const logs = {
      sync: async () => {
        if (slowDisk) syncing()
        await slowDisk
        return real.sync()
      },
      close: () => real.close(),
    }
    const storage = await LevelStorage.open(dir, { logs })
    try {
      await storage.createDocument(record('a'), bytes(1))
      await storage.createDocument(record('b'), bytes(1))
      await storage.appendUpdates([{ docId: 'a', clock: 1, update: bytes(2) }])
      let endDisk!: () => void
      slowDisk = new Promise((resolve) => (endDisk = resolve))
      let compacted = false
      const compaction = storage.compactDocument('a', bytes(9), 1).then(() => (compacted = true))
      // Its batch is written and its fsync has begun (or, as before, it was stored with the fsync in the batch).
      await Promise.race([syncStarted, compaction])
      expect(compacted).toBe(false)
      // Through the same one-at-a-time gate, behind the compaction's batch.
      await storage.writeUpdates([{ docId: 'b', clock: 1, update: bytes(3) }])
      expect(compacted).toBe(false)
      endDisk()
      await compaction
      expect(compacted).toBe(true)
      expect(await storage.loadDocument('a')).toMatchObject({ state: bytes(9), stateClock: 1, updates: [] })
      expect((await storage.loadDocument('b')).updates).toEqual([bytes(3)])
    } finally {
      await storage.close()
      await rm(dir, { recursive: true, force: true })
    }
  })
})

describe('LevelStorage compaction', () => {
  it('deletes the folded log entries after the state, and the next compaction takes any a crash left behind (S3)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rancang-storage-'))
    const storage = await LevelStorage.open(dir)
    const logClocks = async () => {
      const keys: string[] = []
      for await (const { key } of storage.entries()) keys.push(new TextDecoder().decode(key))
      return keys.filter((key) => key.startsWith('v1/log/a/')).map(clockOfLogKey)
    }
    try {
      await storage.createDocument(record('a'), bytes(1))
      await storage.createDocument(record('b'), bytes(1))
      await storage.appendUpdates([1, 2, 3, 4, 5].map((clock) => ({ docId: 'a', clock, update: bytes(clock) })))
      await storage.appendUpdates([{ docId: 'b', clock: 1, update: bytes(7) }])
      await storage.compactDocument('a', bytes(9), 3)
      expect(await logClocks()).toEqual([4, 5])
      // What a crash between the state's batch and the delete leaves: an entry the state holds.
      await storage.appendUpdates([{ docId: 'a', clock: 2, update: bytes(2) }])
      expect(await storage.loadDocument('a')).toMatchObject({ state: bytes(9), stateClock: 3, updates: [bytes(4), bytes(5)], lastClock: 5 })
      await storage.compactDocument('a', bytes(10), 5)
      expect(await logClocks()).toEqual([])
      expect(await storage.loadDocument('a')).toMatchObject({ state: bytes(10), stateClock: 5, updates: [] })
      expect((await storage.loadDocument('b')).updates).toEqual([bytes(7)])
    } finally {
      await storage.close()
      await rm(dir, { recursive: true, force: true })
    }
  })
})

describe('LevelStorage state vectors', () => {
  it('leaves them out of backups, and a restored database answers with none until the state is compacted again', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rancang-storage-'))
    const storage = await LevelStorage.open(dir)
    try {
      await storage.createDocument(record('a'), bytes(1))
      await storage.appendUpdates([{ docId: 'a', clock: 1, update: bytes(2) }])
      await storage.compactDocument('a', bytes(9), 1, bytes(1, 4, 1))
      expect((await storage.loadDocument('a')).stateVector).toEqual(bytes(1, 4, 1))
      const entries: RawEntry[] = []
      for await (const entry of storage.entries()) entries.push(entry)
      expect(entries.map(({ key }) => new TextDecoder().decode(key))).toEqual(['v1/meta/a', 'v1/state/a'])
      const restoredDir = join(dir, 'restored')
      await createDatabase(
        restoredDir,
        (async function* () {
          yield* entries
        })(),
      )
      const restored = await LevelStorage.open(restoredDir)
      try {
        expect(await restored.loadDocument('a')).toMatchObject({ state: bytes(9), stateClock: 1, stateVector: null })
      } finally {
        await restored.close()
      }
    } finally {
      await storage.close()
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('ignores one stored for another state than the one beside it (a state written by a version that kept none)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rancang-storage-'))
    const key = (text: string) => new TextEncoder().encode(text)
    const meta = new TextEncoder().encode(JSON.stringify(record('a')))
    // The state as compacted through clock 3, beside the vector of the state compacted through clock 2.
    await createDatabase(
      join(dir, 'db'),
      (async function* () {
        yield { key: key('v1/meta/a'), value: meta }
        yield { key: key('v1/state/a'), value: encodeState(3, bytes(9)) }
        yield { key: key('v1/statevector/a'), value: encodeStateVectorRecord(2, bytes(1, 4, 1)) }
      })(),
    )
    const storage = await LevelStorage.open(join(dir, 'db'))
    try {
      expect(await storage.loadDocument('a')).toMatchObject({ state: bytes(9), stateClock: 3, stateVector: null })
    } finally {
      await storage.close()
      await rm(dir, { recursive: true, force: true })
    }
  })
})

describe('LevelStorage tidying', () => {
  /** Incompressible states of 200 kB, so what the tables hold is what was written. */
  const state = () => new Uint8Array(randomBytes(200_000))
  const tableBytes = async (dir: string) => {
    let total = 0
    for (const name of await readdir(dir)) if (name.endsWith('.ldb')) total += (await stat(join(dir, name))).size
    return total
  }
  /** A database in `dir` where 'a' was compacted six times and 'b' has a log; reopened, so every version of a's state is in a table. */
  async function replacedStates(dir: string) {
    const storage = await LevelStorage.open(dir)
    await storage.createDocument(record('a'), state())
    await storage.createDocument(record('b'), bytes(1))
    await storage.appendUpdates([{ docId: 'b', clock: 1, update: bytes(2) }])
    let last = state()
    for (let clock = 1; clock <= 6; clock++) {
      await storage.appendUpdates([{ docId: 'a', clock, update: bytes(clock) }])
      last = state()
      await storage.compactDocument('a', last, clock, bytes(1, 9, clock))
    }
    await storage.close()
    const reopened = await LevelStorage.open(dir)
    expect(await tableBytes(dir)).toBeGreaterThan(6 * 200_000)
    return { storage: reopened, last }
  }

  it("reclaims a document's replaced states and deleted log entries, keeps its state and the other documents, and reads no differently", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rancang-storage-'))
    const { storage, last } = await replacedStates(dir)
    try {
      await storage.tidyDocument('a')
      expect(await tableBytes(dir)).toBeLessThan(2 * 200_000)
      expect(await storage.loadDocument('a')).toEqual({ state: last, stateClock: 6, updates: [], lastClock: 6, stateVector: bytes(1, 9, 6) })
      expect(await storage.loadDocument('b')).toMatchObject({ state: bytes(1), updates: [bytes(2)] })
      await storage.appendUpdates([{ docId: 'a', clock: 7, update: bytes(7) }])
      expect((await storage.loadDocument('a')).updates).toEqual([bytes(7)])
    } finally {
      await storage.close()
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('leaves a nearly full disk alone (a failed compaction would stop every write), and tidies once it has room again (real tmpfs)', async () => {
    const disk = await mountSmallDisk(96)
    const { storage } = await replacedStates(disk.path)
    try {
      const before = await tableBytes(disk.path)
      disk.fill({ leaveBytes: 32 * 1024 * 1024 })
      await storage.tidyDocument('a')
      expect(await tableBytes(disk.path)).toBe(before)
      await storage.appendUpdates([{ docId: 'a', clock: 7, update: bytes(7) }])
      await disk.free()
      await storage.tidyDocument('a')
      expect(await tableBytes(disk.path)).toBeLessThan(2 * 200_000)
      expect((await storage.loadDocument('a')).updates).toEqual([bytes(7)])
    } finally {
      await storage.close()
      await disk.unmount()
    }
  })
})

describe('PostgresStorage raw entries (backups, migrate-storage)', () => {
  /** The same records written to both storages, with ids whose key order differs from plain id order. */
  async function fill(storage: Storage) {
    const sari = { username: 'sari', name: 'Sari', bidang: 'APTIKA' }
    for (const id of ['a', 'a-b']) {
      await storage.createDocument(record(id), bytes(1), event('document.created', 'admin', id))
      await storage.appendUpdates([
        {
          docId: id,
          clock: 1,
          update: bytes(1),
          attribution: {
            newClients: [
              { clientId: 9, author: sari },
              { clientId: 10, author: sari },
            ],
          },
        },
        { docId: id, clock: 17, update: bytes(2), attribution: { newClients: [], deletedBy: sari } },
      ])
      await storage.putSnapshot(snapshotMeta(id, 's1'), bytes(5))
      await storage.putThread(threadOf(id))
      await storage.putStatus({ docId: id, pasalId: 'p1', status: 'dibahas', history: [] })
    }
    await storage.compactDocument('a', bytes(7), 1)
    await storage.putUser(user('rina'))
    await storage.putRevocation('t1', 1_900_000_000.5)
    await storage.putSetting('seeded', bytes(1))
  }

  async function all(entries: AsyncIterable<{ key: Uint8Array; value: Uint8Array }>) {
    const out: Array<[string, string]> = []
    for await (const { key, value } of entries) out.push([new TextDecoder().decode(key), Buffer.from(value).toString('hex')])
    return out
  }

  it("a backup read that stalls past the database's idle-in-transaction limit fails that read as storage unavailable; nothing crashes", async () => {
    const pg = await PostgresStorage.open(await (await cluster()).createDatabase('stalled'))
    try {
      await fill(pg)
      const reading = pg.entries()[Symbol.asyncIterator]()
      expect((await reading.next()).done).toBe(false)
      // PostgreSQL ends the connection of a transaction left idle this long; the error arrives on a checked-out client.
      await new Promise((resolve) => setTimeout(resolve, IDLE_IN_TRANSACTION_MS + 1000))
      await expect(async () => {
        while (!(await reading.next()).done);
      }).rejects.toBeInstanceOf(StorageUnavailableError)
      // The pool carries on with a new connection.
      expect(await pg.getSetting('seeded')).toEqual(bytes(1))
    } finally {
      await pg.close()
    }
  })

  it('gives every record as the same key and bytes LevelDB holds, in the same order, and copies them back exactly (S26)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rancang-storage-'))
    const level = await LevelStorage.open(dir, { now: () => Date.parse('2026-03-01T08:00:00.000Z') })
    const pg = await PostgresStorage.open(await (await cluster()).createDatabase('raw'), { now: () => Date.parse('2026-03-01T08:00:00.000Z') })
    const copy = await PostgresStorage.open(await (await cluster()).createDatabase('copy'))
    try {
      await fill(level)
      await fill(pg)
      await level.putFormatVersion(2)
      await pg.putFormatVersion(2)
      // Audit nonces are random: compare them apart from the rest.
      const withoutNonce = (entries: Array<[string, string]>) => entries.map(([key, value]) => [key.replace(/\/[0-9a-f]{8}$/, ''), value])
      const fromLevel = await all(level.entries())
      expect(withoutNonce(await all(pg.entries()))).toEqual(withoutNonce(fromLevel))
      expect(fromLevel.map(([key]) => key)).toContain('v1/log/a-b/0000000000001')
      expect(await copy.isEmpty()).toBe(true)
      expect(await copy.importEntries(level.entries())).toBe(fromLevel.length)
      expect(await all(copy.entries())).toEqual(fromLevel)
      // The same document; neither holds a state vector for it (a restored state has none until its next compaction).
      const { stateVector, ...levelDocument } = await level.loadDocument('a')
      expect(stateVector).toBeNull()
      expect(await copy.loadDocument('a')).toEqual({ ...levelDocument, stateVector: null })
    } finally {
      await Promise.all([level.close(), pg.close(), copy.close()])
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('stores a group-commit batch in one transaction: a batch that fails part-way stores none of it (S26)', async () => {
    const storage = await PostgresStorage.open(await (await cluster()).createDatabase('batch'))
    try {
      await storage.createDocument(record('a'), bytes(0))
      // The updates are one statement, the authors the next; a client id PostgreSQL cannot take fails the second.
      const sari = { username: 'sari', name: 'Sari', bidang: 'APTIKA' }
      const batch = [
        { docId: 'a', clock: 1, update: bytes(1) },
        { docId: 'a', clock: 2, update: bytes(2), attribution: { newClients: [{ clientId: 2 ** 70, author: sari }] } },
      ]
      await expect(storage.appendUpdates(batch)).rejects.toThrow(/bigint/)
      expect((await storage.loadDocument('a')).updates).toEqual([])
      expect([...(await storage.loadAttribution('a')).authors]).toEqual([])
      await storage.appendUpdates(batch.map(({ docId, clock, update }) => ({ docId, clock, update })))
      expect((await storage.loadDocument('a')).lastClock).toBe(2)
    } finally {
      await storage.close()
    }
  })

  it('refuses to copy a key of a kind it does not know, writing nothing', async () => {
    const storage = await PostgresStorage.open(await (await cluster()).createDatabase('unknown'))
    try {
      const entries = (async function* () {
        yield { key: new TextEncoder().encode('v1/meta/a'), value: new TextEncoder().encode(JSON.stringify(record('a'))) }
        yield { key: new TextEncoder().encode('v1/gadget/a'), value: bytes(1) }
      })()
      await expect(storage.importEntries(entries)).rejects.toThrow(/unknown record kind/)
      expect(await storage.isEmpty()).toBe(true)
    } finally {
      await storage.close()
    }
  })

  it('takes its snapshot before a write issued after entries() is called', async () => {
    const storage = await PostgresStorage.open(await (await cluster()).createDatabase('snap'))
    try {
      await storage.createDocument(record('a'), bytes(1))
      const entries = storage.entries()
      await storage.createDocument(record('b'), bytes(2))
      expect((await all(entries)).map(([key]) => key)).toEqual(['v1/meta/a', 'v1/state/a'])
    } finally {
      await storage.close()
    }
  })
})
