import { Plugin, type EditorState, type Transaction } from 'prosemirror-state'
import { Mapping } from 'prosemirror-transform'
import { ySyncPluginKey } from 'y-prosemirror'
import { findUnprintable } from '../../../../../shared/text.js'

/** Changes that came from the shared document (other people, the server): already clean there. */
const isRemote = (tr: Transaction) => Boolean((tr.getMeta(ySyncPluginKey) as { isChangeOrigin?: boolean } | undefined)?.isChangeOrigin)

/** Where the local transactions put content, in the coordinates of the last document. */
function touchedRanges(transactions: readonly Transaction[]): Array<{ from: number; to: number }> {
  const maps = transactions.flatMap((tr) => tr.mapping.maps)
  const ranges: Array<{ from: number; to: number }> = []
  let index = 0
  for (const tr of transactions) {
    for (const map of tr.mapping.maps) {
      index += 1
      if (!tr.docChanged || isRemote(tr)) continue
      const rest = new Mapping(maps.slice(index))
      map.forEach((_oldFrom, _oldTo, from, to) => ranges.push({ from: rest.map(from, -1), to: rest.map(to, 1) }))
    }
  }
  return ranges
}

/**
 * The transaction that removes what is not text (shared/text.ts) from the parts of `state` that
 * local `transactions` touched, or null when they put none there. Pure, for the plugin and tests.
 */
export function cleanTouchedText(transactions: readonly Transaction[], state: EditorState): Transaction | null {
  const dirty = new Map<number, { from: number; to: number }>()
  for (const { from, to } of touchedRanges(transactions)) {
    state.doc.nodesBetween(from, Math.min(to, state.doc.content.size), (node, pos) => {
      if (!node.isText) return
      for (const found of findUnprintable(node.text!)) dirty.set(pos + found.from, { from: pos + found.from, to: pos + found.to })
    })
  }
  if (dirty.size === 0) return null
  const tr = state.tr
  // Character by character and from the end: positions before stay valid, and so does the caret.
  for (const { from, to } of [...dirty.values()].sort((a, b) => b.from - a.from)) tr.delete(from, to)
  return tr
}

/**
 * Text hygiene in the editor: whatever typing, pasting, dropping or a command puts into the draft
 * loses its control characters and non-characters before it reaches the shared document, where
 * the server would refuse it (shared/model/firewall.ts).
 */
export function textHygienePlugin(): Plugin {
  return new Plugin({
    appendTransaction: (transactions, _old, state) => cleanTouchedText(transactions, state),
  })
}
