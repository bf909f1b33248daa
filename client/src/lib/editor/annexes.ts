import { TextSelection, type Command } from 'prosemirror-state'
import type { Node } from 'prosemirror-model'
import { isInTable } from 'prosemirror-tables'
import { lampiran, pasalIds, penjelasan, penjelasanPasal, table } from '../../../../shared/model/builders.js'
import { ancestor } from './commands.js'

/**
 * Commands for the parts after the penutup: the Penjelasan and the Lampiran with their tables.
 *
 * The Penjelasan holds one entry per Pasal, bound by id. Entries are added by the "Penjelasan"
 * command, never by a plugin reacting to edits: two people adding a Pasal at once would each add an
 * entry for it and the merge would hold both. So the command both creates the Penjelasan and, run
 * again, adds a "Cukup jelas." entry for each Pasal that has none yet, in Pasal order.
 */

/** Where the part named `name` stands among the doc's children, and its position. */
function part(doc: Node, name: string): { node: Node; pos: number } | null {
  let found: { node: Node; pos: number } | null = null
  doc.forEach((child, offset) => {
    if (!found && child.type.name === name) found = { node: child, pos: offset }
  })
  return found
}

/** End of the penutup: where a Penjelasan goes. */
const afterPenutup = (doc: Node) => {
  const penutup = part(doc, 'penutup')!
  return penutup.pos + penutup.node.nodeSize
}

/**
 * Adds the Penjelasan (I. UMUM and a "Cukup jelas." entry for every Pasal), or, when there is one,
 * an entry for each Pasal that has none, placed after the entry of the Pasal before it.
 */
export const addPenjelasan: Command = (state, dispatch) => {
  const ids = pasalIds(state.doc)
  const existing = part(state.doc, 'penjelasan')
  if (!existing) {
    if (dispatch) {
      const at = afterPenutup(state.doc)
      const tr = state.tr.insert(
        at,
        penjelasan(
          [],
          ids.map((id) => penjelasanPasal(id)),
        ),
      )
      // Into I. UMUM: its first paragraph.
      dispatch(tr.setSelection(TextSelection.near(tr.doc.resolve(at + 3))).scrollIntoView())
    }
    return true
  }
  const explained = new Map<string, number>()
  existing.node.forEach((entry, offset) => {
    if (entry.type.name === 'penjelasanPasal' && typeof entry.attrs.pasal === 'string')
      explained.set(entry.attrs.pasal, existing.pos + 1 + offset + entry.nodeSize)
  })
  const missing = ids.filter((id) => !explained.has(id))
  if (missing.length === 0) return false
  if (dispatch) {
    const tr = state.tr
    // After the Penjelasan Umum when no earlier Pasal has an entry.
    let at = existing.pos + 1 + existing.node.firstChild!.nodeSize
    for (const id of ids) {
      const end = explained.get(id)
      if (end !== undefined) at = tr.mapping.map(end)
      else {
        const entry = penjelasanPasal(id)
        tr.insert(at, entry)
        at += entry.nodeSize
      }
    }
    dispatch(tr.scrollIntoView())
  }
  return true
}

/** Adds a Lampiran at the end, with an empty subject (where the cursor goes) and an empty paragraph. */
export const addLampiran: Command = (state, dispatch) => {
  if (dispatch) {
    const at = state.doc.content.size
    const tr = state.tr.insert(at, lampiran('', ''))
    dispatch(tr.setSelection(TextSelection.near(tr.doc.resolve(at + 2))).scrollIntoView())
  }
  return true
}

/** Columns and rows of a new table: a header row and one empty row. */
const NEW_TABLE = [
  ['', ''],
  ['', ''],
]

/** Inserts a table after the Lampiran block holding the cursor (outside any table), the cursor in its first cell. */
export const insertTable: Command = (state, dispatch) => {
  const { $from } = state.selection
  const annex = ancestor($from, 'lampiran')
  if (!annex || isInTable(state)) return false
  // The block of the Lampiran the cursor is in: its child at the Lampiran's depth + 1.
  const at = $from.after(annex.depth + 1)
  if (dispatch) {
    const tr = state.tr.insert(at, table(NEW_TABLE))
    dispatch(tr.setSelection(TextSelection.near(tr.doc.resolve(at + 4))).scrollIntoView())
  }
  return true
}
