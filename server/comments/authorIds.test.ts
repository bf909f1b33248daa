import { describe, expect, it } from 'vitest'
import type { Thread } from '../../shared/comments.js'
import { DEFAULT_META } from '../../shared/documents.js'
import { MemoryStorage } from '../storage/memory.js'
import { backfillCommentAuthorIds, backfillThread, legacyAuthorId } from './authorIds.js'

const rina = { id: 'id-rina', username: 'rina', createdAt: '2026-01-10T00:00:00.000Z' }
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
    const storage = new MemoryStorage()
    await storage.createDocument(
      { id: 'd1', title: 'Uji', createdAt: '2026-01-01T00:00:00.000Z', epoch: 'e', meta: DEFAULT_META },
      new Uint8Array([0, 0]),
    )
    const before = thread([
      { at: '2026-01-05T00:00:00.000Z', author },
      { at: '2026-02-01T00:00:00.000Z', author },
    ])
    expect(backfillThread(thread([{ at: '2026-01-05T00:00:00.000Z', author }]), [rina])).toBeNull()
    await storage.putThread(before)
    await backfillCommentAuthorIds(storage, [rina])
    const after = (await storage.getThread('d1', 't1'))!
    expect(after.messages.map((m) => m.author.id)).toEqual([undefined, 'id-rina'])

    await storage.putThread(before)
    await backfillCommentAuthorIds(storage, [rina])
    expect((await storage.getThread('d1', 't1'))!.messages[1]!.author.id).toBeUndefined()
  })
})
