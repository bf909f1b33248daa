import { TextSelection, type Command, type EditorState, type Transaction } from 'prosemirror-state'
import type { Node, ResolvedPos } from 'prosemirror-model'
import { liftListItem, sinkListItem, splitListItem } from 'prosemirror-schema-list'
import { schema } from '../../../../shared/model/schema.js'
import { createId } from '../../../../shared/model/ids.js'
import { numberDocument } from '../../../../shared/model/numbering.js'
import { findTypedReferences, referenceNode } from '../../../../shared/model/references.js'

/**
 * Editing commands with the structure of a regulation. Each is a ProseMirror `Command`: pure over
 * the state, returns false when it does not apply, dispatches one transaction when it does.
 */

interface Found {
  readonly node: Node
  /** Position before the node. */
  readonly pos: number
  readonly depth: number
}

/** The innermost ancestor of `$pos` of one of `names`. */
export function ancestor($pos: ResolvedPos, ...names: string[]): Found | null {
  for (let depth = $pos.depth; depth > 0; depth--) {
    const node = $pos.node(depth)
    if (names.includes(node.type.name)) return { node, pos: $pos.before(depth), depth }
  }
  return null
}

const teks = (text = '') => schema.node('teks', null, text ? [schema.text(text)] : [])
const newAyat = () => schema.node('ayat', { id: createId() }, [teks()])
const newPasal = () => schema.node('pasal', { id: createId() }, [newAyat()])
const newButir = () => schema.node('butir', { id: createId() }, [teks()])

/** Puts the cursor at the start of the first text block at or after `pos`. */
function cursorInto(tr: Transaction, pos: number): Transaction {
  const $pos = tr.doc.resolve(Math.min(pos, tr.doc.content.size))
  return tr.setSelection(TextSelection.near($pos)).scrollIntoView()
}

/** Puts the cursor at the start of the unit at `pos` (an outline jump). */
export const cursorInside =
  (pos: number): Command =>
  (state, dispatch) => {
    if (pos < 0 || pos >= state.doc.content.size) return false
    if (dispatch) dispatch(state.tr.setSelection(TextSelection.near(state.doc.resolve(pos + 1))))
    return true
  }

/**
 * Inserts an empty Pasal: after the Pasal holding the cursor, or, with the cursor in a BAB,
 * Bagian or Paragraf heading, as the first Pasal of that part.
 */
export const insertPasal: Command = (state, dispatch) => {
  const { $from } = state.selection
  const pasal = ancestor($from, 'pasal')
  let at: number
  if (pasal) {
    at = pasal.pos + pasal.node.nodeSize
  } else {
    const heading = ancestor($from, 'babJudul', 'bagianJudul', 'paragrafJudul')
    if (!heading) return false
    at = heading.pos + heading.node.nodeSize
  }
  if (dispatch) dispatch(cursorInto(state.tr.insert(at, newPasal()), at + 1))
  return true
}

/** Inserts an empty ayat after the one holding the cursor. */
export const insertAyat: Command = (state, dispatch) => {
  const ayat = ancestor(state.selection.$from, 'ayat')
  if (!ayat) return false
  const at = ayat.pos + ayat.node.nodeSize
  if (dispatch) dispatch(cursorInto(state.tr.insert(at, newAyat()), at + 1))
  return true
}

/**
 * Adds a rincian item (huruf a., b. …): after the item holding the cursor, or, in an ayat's text,
 * at the end of the rincian that follows it (starting one when there is none).
 */
export const insertButir: Command = (state, dispatch) => {
  const { $from } = state.selection
  const butir = ancestor($from, 'butir')
  if (butir) {
    const at = butir.pos + butir.node.nodeSize
    if (dispatch) dispatch(cursorInto(state.tr.insert(at, newButir()), at + 1))
    return true
  }
  const block = ancestor($from, 'teks')
  const ayat = ancestor($from, 'ayat')
  if (!block || !ayat || block.depth !== ayat.depth + 1) return false
  const after = block.pos + block.node.nodeSize
  const next = state.doc.nodeAt(after)
  if (dispatch) {
    if (next?.type.name === 'rincian') {
      const at = after + next.nodeSize - 1
      dispatch(cursorInto(state.tr.insert(at, newButir()), at + 1))
    } else {
      dispatch(cursorInto(state.tr.insert(after, schema.node('rincian', { jenis: 'huruf' }, [newButir()])), after + 2))
    }
  }
  return true
}

/** Inserts a new BAB (title and one Pasal) after the BAB holding the cursor. */
export const insertBab: Command = (state, dispatch) => {
  const bab = ancestor(state.selection.$from, 'bab')
  if (!bab) return false
  const at = bab.pos + bab.node.nodeSize
  if (dispatch) {
    const node = schema.node('bab', { id: createId() }, [schema.node('babJudul'), newPasal()])
    dispatch(cursorInto(state.tr.insert(at, node), at + 1))
  }
  return true
}

/**
 * A command inserting a new part of `type` (with its heading and one empty Pasal): after the part of
 * that type holding the cursor, or at the end of the enclosing `within` part.
 */
const insertPart =
  (type: 'bagian' | 'paragraf', within: 'bab' | 'bagian'): Command =>
  (state, dispatch) => {
    const { $from } = state.selection
    const current = ancestor($from, type)
    const parent = ancestor($from, within)
    if (!parent) return false
    const at = current ? current.pos + current.node.nodeSize : parent.pos + parent.node.nodeSize - 1
    if (dispatch) {
      const node = schema.node(type, { id: createId() }, [schema.node(`${type}Judul`), newPasal()])
      dispatch(cursorInto(state.tr.insert(at, node), at + 1))
    }
    return true
  }

/** Inserts a new Bagian after the one holding the cursor, or at the end of the BAB. */
export const insertBagian = insertPart('bagian', 'bab')

/** Inserts a new Paragraf after the one holding the cursor, or at the end of the Bagian. */
export const insertParagraf = insertPart('paragraf', 'bagian')

/** Every Pasal in document order, with its position. */
function allPasal(doc: Node): Found[] {
  const out: Found[] = []
  doc.descendants((node, pos) => {
    if (node.type.name === 'pasal') {
      out.push({ node, pos, depth: doc.resolve(pos).depth + 1 })
      return false
    }
    return !node.isTextblock
  })
  return out
}

/**
 * Moves the Pasal holding the cursor one place up (-1) or down (1) in document order. Past the
 * first or last Pasal of a part it crosses into the neighbouring part without changing its
 * number; the next move then swaps it with its new neighbour. The Pasal keeps its id.
 */
export const movePasal =
  (direction: -1 | 1): Command =>
  (state, dispatch) => {
    const { $from } = state.selection
    const current = ancestor($from, 'pasal')
    if (!current) return false
    const list = allPasal(state.doc)
    const index = list.findIndex((p) => p.pos === current.pos)
    const neighbour = list[index + direction]
    if (!neighbour) return false
    if (!dispatch) return true
    const sameParent = state.doc.resolve(neighbour.pos).parent === state.doc.resolve(current.pos).parent
    // Same part: jump over the neighbour. Another part: move to the near edge of that part.
    const target = (direction === -1) === sameParent ? neighbour.pos : neighbour.pos + neighbour.node.nodeSize
    const offset = $from.pos - current.pos
    const tr = state.tr.delete(current.pos, current.pos + current.node.nodeSize)
    const at = tr.mapping.map(target, direction === -1 ? -1 : 1)
    tr.insert(at, current.node)
    tr.setSelection(TextSelection.near(tr.doc.resolve(at + offset))).scrollIntoView()
    dispatch(tr)
    return true
  }

/** Deletes the Pasal holding the cursor (not the last one of the document). */
export const deletePasal: Command = (state, dispatch) => {
  const current = ancestor(state.selection.$from, 'pasal')
  if (!current || allPasal(state.doc).length < 2) return false
  if (dispatch) {
    const tr = state.tr.delete(current.pos, current.pos + current.node.nodeSize)
    dispatch(cursorInto(tr, tr.mapping.map(current.pos)))
  }
  return true
}

/** In a text block directly inside an ayat: `(teks, ayat)` or null. */
function ayatTeks(state: EditorState): { block: Found; ayat: Found } | null {
  const { $from } = state.selection
  const block = ancestor($from, 'teks')
  const ayat = ancestor($from, 'ayat')
  if (!block || !ayat || block.depth !== ayat.depth + 1) return null
  return { block, ayat }
}

/** Enter in an ayat: the text after the cursor (and what follows it) becomes the next ayat. */
export const splitAyat: Command = (state, dispatch) => {
  const found = ayatTeks(state)
  if (!found) return false
  if (dispatch) {
    let tr = state.tr
    if (!state.selection.empty) tr = tr.deleteSelection()
    const pos = tr.selection.from
    tr.split(pos, 2, [{ type: schema.nodes.ayat!, attrs: { id: null } }, { type: schema.nodes.teks! }])
    dispatch(tr.scrollIntoView())
  }
  return true
}

/**
 * Backspace at the very start of an ayat (not the first of its Pasal): joins it to the previous
 * ayat, its text continuing the previous ayat's last sentence.
 */
export const joinAyatBackward: Command = (state, dispatch) => {
  const found = ayatTeks(state)
  const { $cursor } = state.selection as TextSelection
  if (!found || !$cursor || $cursor.parentOffset > 0) return false
  const { block, ayat } = found
  if (block.pos !== ayat.pos + 1) return false
  const $ayat = state.doc.resolve(ayat.pos)
  const previous = $ayat.nodeBefore
  if (!previous || previous.type.name !== 'ayat') return false
  if (dispatch) {
    const tr = state.tr.join(ayat.pos)
    // The join leaves the two texts side by side; merge them when the previous ayat ended in text.
    const seam = ayat.pos - 1
    if (tr.doc.resolve(seam).nodeBefore?.type.name === 'teks') tr.join(seam)
    dispatch(tr.setSelection(TextSelection.create(tr.doc, tr.mapping.map($cursor.pos, -1))).scrollIntoView())
  }
  return true
}

/** Enter in a heading (the judul's name, a BAB, Bagian or Paragraf title): go on to the next text block instead of splitting. */
export const enterMovesOn: Command = (state, dispatch) => {
  const { $from } = state.selection
  const names = ['judulNama', 'babJudul', 'bagianJudul', 'paragrafJudul']
  if (!names.includes($from.parent.type.name)) return false
  if (dispatch) {
    const after = $from.after()
    dispatch(state.tr.setSelection(TextSelection.near(state.doc.resolve(Math.min(after, state.doc.content.size)), 1)).scrollIntoView())
  }
  return true
}

const butirType = schema.nodes.butir!
/** Enter in a rincian item: next item; in an empty item: out of (one level of) the list. */
export const splitButir: Command = splitListItem(butirType, { id: null })
/** Tab: the item becomes a sub-item of the previous one (a. → 1.). */
export const sinkButir: Command = sinkListItem(butirType)
/** Shift-Tab: the sub-item moves up a level. */
export const liftButir: Command = liftListItem(butirType)

/**
 * Turns references typed as plain text ("dalam Pasal 12 ayat (2)") into live ones: those touching
 * the cursor or selection, or all in the text block when the cursor touches none.
 */
export const makeReferencesLive: Command = (state, dispatch) => {
  const { from, to, $from } = state.selection
  const typed = findTypedReferences(state.doc, numberDocument(state.doc))
  let chosen = typed.filter((t) => t.from <= to && t.to >= from)
  if (chosen.length === 0) chosen = typed.filter((t) => t.from >= $from.start() && t.to <= $from.end())
  if (chosen.length === 0) return false
  if (dispatch) {
    const tr = state.tr
    for (const t of [...chosen].reverse()) tr.replaceWith(t.from, t.to, referenceNode(t))
    dispatch(tr.scrollIntoView())
  }
  return true
}

/** Inserts a live reference to `targets` (unit ids) at the cursor, inside a Pasal or konsiderans. */
export const insertReference =
  (targets: readonly string[]): Command =>
  (state, dispatch) => {
    const { $from } = state.selection
    if (targets.length === 0 || !$from.parent.isTextblock || !ancestor($from, 'pasal', 'konsiderans')) return false
    if (dispatch) {
      const node = referenceNode({ targets, preposisi: true, mode: 'unit' })
      const needsSpace = $from.nodeBefore?.isText && !/\s$/.test($from.nodeBefore.text!)
      const tr = state.tr
      if (needsSpace) tr.insertText(' ')
      dispatch(tr.replaceSelectionWith(node, false).scrollIntoView())
    }
    return true
  }
