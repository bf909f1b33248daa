import { Plugin, type Transaction } from 'prosemirror-state'
import type { Node } from 'prosemirror-model'
import { agreedEditsKey, agreementKey } from './keys.js'
import { isRemote } from './suggestions.js'

export interface AgreedEditsOptions {
  /** Agreed Pasal this person already chose to change in this session (not asked again). */
  readonly confirmed: ReadonlySet<string>
  /** A local edit to agreed Pasal not yet confirmed was held back; `edit` may be dispatched once they are. */
  readonly onAsk: (pasalIds: readonly string[], edit: Transaction) => void
}

/** The ids of the Pasal a transaction's steps change, in the documents they apply to. */
export function pasalTouched(tr: Transaction): Set<string> {
  const ids = new Set<string>()
  tr.steps.forEach((step, i) => {
    const doc = tr.docs[i]!
    step.getMap().forEach((from, to) => {
      for (const pos of [from, to]) {
        const $pos = doc.resolve(pos)
        for (let depth = $pos.depth; depth > 0; depth--) {
          const node = $pos.node(depth)
          if (node.type.name === 'pasal' && typeof node.attrs.id === 'string') ids.add(node.attrs.id)
        }
      }
      doc.nodesBetween(from, to, (node) => {
        if (node.type.name === 'pasal' && typeof node.attrs.id === 'string') ids.add(node.attrs.id)
        return !node.isTextblock
      })
    })
  })
  return ids
}

/** The Pasal of `doc` with one of `ids`, by id. */
function pasalById(doc: Node, ids: ReadonlySet<string>): Map<string, Node> {
  const found = new Map<string, Node>()
  doc.descendants((node) => {
    if (node.type.name === 'pasal') {
      if (ids.has(node.attrs.id as string)) found.set(node.attrs.id as string, node)
      return false
    }
    return !node.isTextblock
  })
  return found
}

/**
 * The Pasal among `ids` whose content `tr` changes. A Pasal moved whole (delete and insert of the
 * same content, Alt+Shift+↑/↓) keeps its text and so its agreement; one deleted has changed.
 */
function changedPasal(tr: Transaction, ids: ReadonlySet<string>): string[] {
  const before = pasalById(tr.before, ids)
  const after = pasalById(tr.doc, ids)
  return [...ids].filter((id) => !after.get(id)?.content.eq(before.get(id)!.content))
}

/**
 * Asks before the first change this session makes to an agreed (Disepakati) Pasal, since any change
 * sends it back to Dibahas for everyone. The edit is held back until the person confirms; cancel
 * leaves the text as it was. Changes from others, undo (applied through Yjs) and the repairs other
 * plugins append are never held.
 */
export function agreedEditsPlugin(options: AgreedEditsOptions): Plugin {
  return new Plugin({
    key: agreedEditsKey,
    filterTransaction: (tr, state) => {
      if (!tr.docChanged || isRemote(tr) || tr.getMeta('appendedTransaction')) return true
      const statuses = agreementKey.getState(state)?.statuses
      if (!statuses) return true
      const agreed = new Set([...pasalTouched(tr)].filter((id) => statuses.get(id)?.status === 'disepakati' && !options.confirmed.has(id)))
      if (agreed.size === 0) return true
      const asked = changedPasal(tr, agreed)
      if (asked.length === 0) return true
      options.onAsk(asked, tr)
      return false
    },
  })
}
