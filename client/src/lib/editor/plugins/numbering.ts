import { Plugin } from 'prosemirror-state'
import { Decoration, DecorationSet } from 'prosemirror-view'
import type { Node } from 'prosemirror-model'
import { explainedPasal, numberDocument, PASAL_DIHAPUS, type Numbering } from '../../../../../shared/model/numbering.js'
import { numberingKey } from './keys.js'

export interface NumberingState {
  readonly numbering: Numbering
  readonly decorations: DecorationSet
}

function build(doc: Node): NumberingState {
  const numbering = numberDocument(doc)
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
  return { numbering, decorations: DecorationSet.create(doc, decorations) }
}

/**
 * Draws the derived numbers (BAB I, Pasal 7, (2), a., Lampiran II, a Penjelasan entry's Pasal) as `data-label` attributes that CSS shows
 * before each unit. Recomputed from the whole document on every change: numbering is global
 * (inserting one Pasal renumbers every later one) and cheap next to a render.
 */
export function numberingPlugin(): Plugin<NumberingState> {
  return new Plugin<NumberingState>({
    key: numberingKey,
    state: {
      init: (_, state) => build(state.doc),
      apply: (tr, previous) => (tr.docChanged ? build(tr.doc) : previous),
    },
    props: {
      decorations: (state) => numberingKey.getState(state)?.decorations,
    },
  })
}
