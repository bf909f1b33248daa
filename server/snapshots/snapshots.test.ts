import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { DEFAULT_META } from '../../shared/documents.js'
import type { SnapshotMeta } from '../../shared/versions.js'
import type { AuditEvent } from '../../shared/audit.js'
import { MemoryStorage } from '../storage/memory.js'
import { admitEverything, inlineValidator } from '../rooms/validation.js'
import { Rooms } from '../rooms/rooms.js'
import type { RoomAccess } from '../rooms/hooks.js'
import { waitFor } from '../../test/harness/clients.js'
import { Snapshots } from './snapshots.js'

const EDITOR = { username: 'penyusun', name: 'Penyusun', bidang: 'Bidang Aplikasi Informatika' }

/** The in-memory storage, with each version's write taking a few milliseconds, as a disk's does. */
class SlowSnapshotStorage extends MemoryStorage {
  writing = 0
  mostAtOnce = 0

  override async putSnapshot(meta: SnapshotMeta, data: Uint8Array, audit?: AuditEvent): Promise<void> {
    this.writing += 1
    this.mostAtOnce = Math.max(this.mostAtOnce, this.writing)
    try {
      await new Promise((resolve) => setTimeout(resolve, 5))
      await super.putSnapshot(meta, data, audit)
    } finally {
      this.writing -= 1
    }
  }
}

describe('Snapshots', () => {
  it('takes the automatic versions of drafts first edited at the same moment one at a time, and each draft gets its version', async () => {
    const storage = new SlowSnapshotStorage()
    const ids = Array.from({ length: 8 }, (_, i) => `draf-${i}`)
    for (const id of ids) {
      const seed = new Y.Doc()
      seed.getText('teks').insert(0, `Draf ${id}`)
      await storage.createDocument(
        { id, title: id, createdAt: '2026-01-01T00:00:00.000Z', epoch: 'e1', meta: DEFAULT_META },
        Y.encodeStateAsUpdate(seed),
      )
    }
    const access: RoomAccess = { with: (id, task) => rooms.with(id, task), peek: (id) => rooms.peek(id) }
    const snapshots = new Snapshots(storage, access, { autoIntervalMs: 60_000 })
    const rooms = new Rooms(
      storage,
      {
        compactAfterUpdates: 500,
        maxBufferedBytes: 1024 * 1024,
        maxStateBytes: 16 * 1024,
        maxClientsPerConnection: 8,
        validator: inlineValidator,
        syncAnswersPerMinute: 60,
        createFirewall: () => admitEverything,
        idleUnloadMs: 60_000,
      },
      [snapshots],
    )
    // Every draft edited by a person in the same moment (an edit carried out on their behalf).
    await Promise.all(
      ids.map((id) =>
        rooms.with(id, (room) => {
          const edit = new Y.Doc()
          Y.applyUpdate(edit, Y.encodeStateAsUpdate(room.doc))
          edit.getText('teks').insert(0, 'Ubah: ')
          return room.applyServerUpdate(Y.encodeStateAsUpdate(edit, Y.encodeStateVector(room.doc)), EDITOR, { onBehalf: true })
        }),
      ),
    )
    await waitFor(async () => (await Promise.all(ids.map((id) => snapshots.list(id)))).every((list) => list.length === 1), 'a version of every draft')
    expect(storage.mostAtOnce).toBe(1)
    for (const id of ids) expect((await snapshots.list(id))[0]).toMatchObject({ auto: true, name: 'Versi otomatis' })
    await rooms.closeAll()
  })
})
