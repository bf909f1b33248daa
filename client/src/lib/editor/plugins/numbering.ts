import { Plugin, type EditorState, type Transaction } from 'prosemirror-state'
import { Decoration, DecorationSet } from 'prosemirror-view'
import type { Node } from 'prosemirror-model'
import { explainedPasal, numberDocument, PASAL_DIHAPUS, type Numbering } from '../../../../../shared/model/numbering.js'
import { numberingKey } from './keys.js'

export interface NumberingState {
  readonly numbering: Numbering
  readonly decorations: DecorationSet
  /** The regulation an amendment draft amends, whose numbers it keeps (SPEC S24); null for a new regulation. */
  readonly base: Node | null
}

function build(doc: Node, base: Node | null): NumberingState {
  const numbering = numberDocument(doc, base)
  const decorations: Decoration[] = []
  for (const label of numbering.labels) {
    const node = doc.nodeAt(label.pos)
    if (!node) continue
    decorations.push(Decoration.node(label.pos, label.pos + node.nodeSize, label.label ? { 'data-label': label.label } : { class: 'tanpa-nomor' }))
  }
  // A Penjelasan entry shows the number its Pasal has now (SPEC S19).
  doc.forEach((part, offset) => {
    if (part.type.name !== 'penjelasan') return
    part.forEach((entry, entryOffset) => {
      if (entry.type.name !== 'penjelasanPasal') return
      const pos = offset + 1 + entryOffset
      decorations.push(Decoration.node(pos, pos + entry.nodeSize, { 'data-label': explainedPasal(entry, numbering)?.label ?? PASAL_DIHAPUS }))
    })
  })
  return { numbering, decorations: DecorationSet.create(doc, decorations), base }
}

/** Numbers the draft as an amendment of `base` (Pasal 8A, ayat (2a), "Dihapus." units kept), or afresh with null. */
export const setNumberingBase = (state: EditorState, base: Node | null): Transaction => state.tr.setMeta(numberingKey, { base })

/**
 * Draws the derived numbers (BAB I, Pasal 7, (2), a., Lampiran II, a Penjelasan entry's Pasal) as `data-label` attributes that CSS shows
 * before each unit. Recomputed from the whole document on every change: numbering is global
 * (inserting one Pasal renumbers every later one) and cheap next to a render. An amendment draft
 * is numbered against its base once `setNumberingBase` hands it over.
 */
export function numberingPlugin(): Plugin<NumberingState> {
  return new Plugin<NumberingState>({
    key: numberingKey,
    state: {
      init: (_, state) => build(state.doc, null),
      apply: (tr, previous) => {
        const change = tr.getMeta(numberingKey) as { base: Node | null } | undefined
        if (change) return build(tr.doc, change.base)
        return tr.docChanged ? build(tr.doc, previous.base) : previous
      },
    },
    props: {
      decorations: (state) => numberingKey.getState(state)?.decorations,
    },
  })
}
