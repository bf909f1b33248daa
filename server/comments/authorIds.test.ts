import { describe, expect, it } from 'vitest'
import type { Thread } from '../../shared/comments.js'
import { DEFAULT_META } from '../../shared/documents.js'
import { MemoryStorage } from '../storage/memory.js'
import { OwnershipLostError, type UserRecord } from '../storage/types.js'
import { backfillCommentAuthorIds, backfillThread, legacyAuthorId } from './authorIds.js'

const rina = { id: 'id-rina', username: 'rina', createdAt: '2026-01-10T00:00:00.000Z' }
const rinaRecord: UserRecord = {
  ...rina,
  name: 'Rina',
  bidang: 'Bidang APTIKA',
  role: 'editor',
  password: 'x',
  sessionKey: 'k',
  updatedAt: rina.createdAt,
}
const author = { username: 'rina', name: 'Rina', bidang: 'Bidang APTIKA' }

function thread(messages: Array<{ at: string; author: Thread['messages'][number]['author'] }>): Thread {
  return {
    id: 't1',
    docId: 'd1',
    anchor: { pasalId: 'p1' },
    origin: { pasalLabel: 'Pasal 1', quote: 'Dalam Peraturan Gubernur ini' },
    status: 'open',
    createdAt: messages[0]!.at,
    updatedAt: messages[0]!.at,
    messages: messages.map((m, i) => ({ id: `m${i}`, author: m.author, text: `pesan ${i}`, createdAt: m.at })),
  }
}

describe('author ids for comments written before accounts had ids', () => {
  it('gives a comment to the account holding its username only if that account existed when it was written', () => {
    expect(legacyAuthorId(author, '2026-02-01T00:00:00.000Z', [rina])).toBe('id-rina')
    // Written under the username before this account existed: by an earlier, removed account.
    expect(legacyAuthorId(author, '2026-01-01T00:00:00.000Z', [rina])).toBeUndefined()
    expect(legacyAuthorId(author, '2026-02-01T00:00:00.000Z', [])).toBeUndefined()
    expect(legacyAuthorId({ ...author, id: 'id-lain' }, '2026-02-01T00:00:00.000Z', [rina])).toBe('id-lain')
  })

  it('rewrites only threads with a message it can attribute, and runs once per data directory', async () => {
    const storage = await storageWithDocument()
    const before = thread([
      { at: '2026-01-05T00:00:00.000Z', author },
      { at: '2026-02-01T00:00:00.000Z', author },
    ])
    expect(backfillThread(thread([{ at: '2026-01-05T00:00:00.000Z', author }]), [rina])).toBeNull()
    await storage.putThread(before)
    await backfillCommentAuthorIds(storage)
    const after = (await storage.getThread('d1', 't1'))!
    expect(after.messages.map((m) => m.author.id)).toEqual([undefined, 'id-rina'])

    await storage.putThread(before)
    await backfillCommentAuthorIds(storage)
    expect((await storage.getThread('d1', 't1'))!.messages[1]!.author.id).toBeUndefined()
  })
  it('leaves a document another server owns for a later pass, and records the migration done only once none is left (S27)', async () => {
    const storage = await storageWithDocument(new OwnedElsewhereStorage())
    await storage.putThread(thread([{ at: '2026-02-01T00:00:00.000Z', author }]))
    storage.ownedElsewhere = true
    expect(await backfillCommentAuthorIds(storage)).toEqual(['d1'])
    expect((await storage.getThread('d1', 't1'))!.messages[0]!.author.id).toBeUndefined()

    storage.ownedElsewhere = false
    expect(await backfillCommentAuthorIds(storage, { docIds: ['d1'] })).toEqual([])
    expect((await storage.getThread('d1', 't1'))!.messages[0]!.author.id).toBe('id-rina')
    // Done: a later start rewrites nothing, even a thread stored without ids since.
    await storage.putThread(thread([{ at: '2026-02-01T00:00:00.000Z', author }]))
    expect(await backfillCommentAuthorIds(storage)).toEqual([])
    expect((await storage.getThread('d1', 't1'))!.messages[0]!.author.id).toBeUndefined()
  })
})

/** Refuses thread writes as PostgreSQL does while another server owns the document. */
class OwnedElsewhereStorage extends MemoryStorage {
  ownedElsewhere = false
  override putThread(next: Thread) {
    return this.ownedElsewhere ? Promise.reject(new OwnershipLostError([next.docId])) : super.putThread(next)
  }
}

async function storageWithDocument<S extends MemoryStorage>(storage: S = new MemoryStorage() as S): Promise<S> {
  await storage.createDocument(
    { id: 'd1', title: 'Uji', createdAt: '2026-01-01T00:00:00.000Z', epoch: 'e', meta: DEFAULT_META },
    new Uint8Array([0, 0]),
  )
  await storage.putUser(rinaRecord)
  return storage
}
