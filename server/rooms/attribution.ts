import * as Y from 'yjs'
import type { Author } from '../../shared/accounts.js'
import type { UpdateAttribution } from '../storage/types.js'
import type { UpdateSummary } from './validation.js'

/**
 * Who is behind an update, to be stored with it: the account that sent it owns every Yjs client id
 * that first appears in it, and is recorded as the deleter when it deletes anything. Client ids are
 * per browser tab, so "first appears" is the tab's own first edit; later copies of the same
 * content relayed by someone else's offline client do not change the owner.
 */
export function attributeUpdate(
  summary: UpdateSummary,
  seen: ReadonlySet<number>,
  author: Author,
  deletesNew: boolean,
): UpdateAttribution | undefined {
  const newClients = summary.clients.filter((clientId) => !seen.has(clientId)).map((clientId) => ({ clientId, author }))
  if (newClients.length === 0 && !deletesNew) return undefined
  return deletesNew ? { newClients, deletedBy: author } : { newClients }
}

/**
 * Whether an update deletes anything the document still shows. A client that reconnects sends its
 * whole delete set with its sync step 2; those deletions were made (and recorded) long ago and
 * must not be attributed to whoever happened to reconnect.
 */
export function deletesSomethingVisible(doc: Y.Doc, update: Uint8Array): boolean {
  const { ds } = Y.decodeUpdate(update)
  for (const [client, ranges] of ds.clients) {
    const structs = doc.store.clients.get(client)
    if (!structs || structs.length === 0) return true
    const last = structs[structs.length - 1]!
    for (const { clock, len } of ranges) {
      // Items the document has not received yet: a deletion of content that is on its way.
      if (clock + len > last.id.clock + last.length) return true
      let index: number
      try {
        index = Y.findIndexSS(structs, clock)
      } catch {
        return true
      }
      for (; index < structs.length && structs[index]!.id.clock < clock + len; index++) {
        if (!structs[index]!.deleted) return true
      }
    }
  }
  return false
}
