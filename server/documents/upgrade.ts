import * as Y from 'yjs'
import { isLegacyDocument, upgradeDocument } from '../../shared/model/legacy.js'
import { FRAGMENT, encodeChangeTo } from '../../shared/model/ydoc.js'
import { yXmlFragmentToProseMirrorRootNode } from 'y-prosemirror'
import { schema } from '../../shared/model/schema.js'
import type { DocumentStorage, SettingStorage } from '../storage/types.js'

const UPGRADED = 'drawn-from-metadata'

/**
 * Once per data directory, before any draft is served: takes out of every stored draft what it
 * typed and is now drawn from its metadata (legacy.ts), as one stored update after its others, so
 * browsers holding an offline copy merge the removal like any edit. Returns how many drafts changed.
 */
export async function upgradeStoredDrafts(storage: DocumentStorage & SettingStorage): Promise<number> {
  if (await storage.getSetting(UPGRADED)) return 0
  let changed = 0
  for (const record of await storage.listDocuments()) {
    const stored = await storage.loadDocument(record.id)
    const ydoc = new Y.Doc()
    try {
      if (stored.state) Y.applyUpdate(ydoc, stored.state)
      for (const update of stored.updates) Y.applyUpdate(ydoc, update)
      const doc = yXmlFragmentToProseMirrorRootNode(ydoc.getXmlFragment(FRAGMENT), schema)
      if (!isLegacyDocument(doc)) continue
      const update = encodeChangeTo(ydoc, upgradeDocument(doc))
      if (!update) continue
      await storage.appendUpdates([{ docId: record.id, clock: stored.lastClock + 1, update }])
      changed++
    } finally {
      ydoc.destroy()
    }
  }
  await storage.putSetting(UPGRADED, new Uint8Array([1]))
  return changed
}
