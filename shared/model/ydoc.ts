import * as Y from 'yjs'
import { initProseMirrorDoc, prosemirrorToYXmlFragment, updateYFragment, yXmlFragmentToProseMirrorRootNode } from 'y-prosemirror'
import type { Node } from 'prosemirror-model'
import { schema } from './schema.js'
import { upgradeDocument } from './legacy.js'

/** The Yjs XmlFragment holding the ProseMirror document (y-prosemirror's default name; see CONTRACT.md). */
export const FRAGMENT = 'prosemirror'

/** A Yjs update (v1) that creates `node` in an empty document. */
export function encodeDocument(node: Node): Uint8Array {
  const doc = new Y.Doc()
  prosemirrorToYXmlFragment(node, doc.getXmlFragment(FRAGMENT))
  const update = Y.encodeStateAsUpdate(doc)
  doc.destroy()
  return update
}

/** The ProseMirror document a Yjs document holds, without what old drafts typed and is now drawn (legacy.ts). */
export function toProsemirror(doc: Y.Doc): Node {
  return upgradeDocument(yXmlFragmentToProseMirrorRootNode(doc.getXmlFragment(FRAGMENT), schema))
}

/**
 * The Yjs update that turns `doc`'s content into `target`, or null when it already is: computed on
 * a copy with y-prosemirror's own diff (the one the editor uses), so unchanged parts keep their Yjs
 * items and concurrent or offline edits to them still merge. `doc` itself is not changed.
 */
export function encodeChangeTo(doc: Y.Doc, target: Node): Uint8Array | null {
  const copy = new Y.Doc()
  try {
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc))
    const updates: Uint8Array[] = []
    copy.on('update', (update: Uint8Array) => updates.push(update))
    const fragment = copy.getXmlFragment(FRAGMENT)
    const { meta } = initProseMirrorDoc(fragment, schema)
    updateYFragment(copy, fragment, target, meta)
    return updates.length > 0 ? Y.mergeUpdates(updates) : null
  } finally {
    copy.destroy()
  }
}
