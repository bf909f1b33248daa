import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { yXmlFragmentToProseMirrorRootNode } from 'y-prosemirror'
import { MemoryStorage } from '../storage/memory.js'
import { DEFAULT_META } from '../../shared/documents.js'
import { FRAGMENT, encodeDocument } from '../../shared/model/ydoc.js'
import { schema } from '../../shared/model/schema.js'
import { isLegacyDocument, upgradeDocument } from '../../shared/model/legacy.js'
import { legacyDraft } from '../../test/harness/legacy.js'
import { upgradeStoredDrafts } from './upgrade.js'

const stored = async (storage: MemoryStorage, id: string) => {
  const { state, updates } = await storage.loadDocument(id)
  const ydoc = new Y.Doc()
  if (state) Y.applyUpdate(ydoc, state)
  for (const update of updates) Y.applyUpdate(ydoc, update)
  return { doc: yXmlFragmentToProseMirrorRootNode(ydoc.getXmlFragment(FRAGMENT), schema), updates: updates.length }
}

describe('upgrading stored drafts', () => {
  it('stores one update that takes out the typed kind, jabatan, Menetapkan and order, once per data directory (S18)', async () => {
    const storage = new MemoryStorage()
    const record = { id: 'lama', title: 'Rancangan lama', createdAt: '2025-01-01T00:00:00.000Z', epoch: 'e', meta: DEFAULT_META }
    await storage.createDocument(record, encodeDocument(legacyDraft()))
    expect(isLegacyDocument((await stored(storage, 'lama')).doc)).toBe(true)

    expect(await upgradeStoredDrafts(storage)).toBe(1)
    const after = await stored(storage, 'lama')
    expect(after.updates).toBe(1)
    expect(isLegacyDocument(after.doc)).toBe(false)
    expect(after.doc.textContent).toBe('UJIbahwa a;UUD;SATUIsi.Catatan.')

    expect(await upgradeStoredDrafts(storage)).toBe(0)
    expect((await stored(storage, 'lama')).updates).toBe(1)
  })
})

describe('drafts stored before the metadata', () => {
  it('lose what is now drawn from the metadata and keep everything else (S18)', () => {
    const old = legacyDraft()
    expect(isLegacyDocument(old)).toBe(true)
    const upgraded = upgradeDocument(old)
    expect(isLegacyDocument(upgraded)).toBe(false)
    upgraded.check()
    expect(upgraded.textContent).toBe('UJIbahwa a;UUD;SATUIsi.Catatan.')
    expect(upgraded.lastChild!.lastChild!.type.name).toBe('penandatanganan')
  })

  it('are left alone once upgraded', () => {
    const upgraded = upgradeDocument(legacyDraft())
    expect(upgradeDocument(upgraded)).toBe(upgraded)
  })
})
