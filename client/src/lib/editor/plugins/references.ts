import { Plugin, type EditorState } from 'prosemirror-state'
import { Decoration, DecorationSet, type NodeView } from 'prosemirror-view'
import type { Node } from 'prosemirror-model'
import { findTypedReferences, renderAllReferences, type RenderedReference } from '../../../../../shared/model/references.js'
import { numberingKey, referencesKey } from './keys.js'

export interface ReferencesState {
  readonly rendered: ReadonlyMap<number, RenderedReference>
  readonly decorations: DecorationSet
}

function build(state: EditorState): ReferencesState {
  const numbering = numberingKey.getState(state)!.numbering
  const rendered = renderAllReferences(state.doc, numbering)
  const decorations: Decoration[] = []
  for (const [pos, reference] of rendered) {
    const cls = reference.broken ? 'rujukan rusak' : reference.forward ? 'rujukan maju' : 'rujukan'
    const title = reference.broken
      ? 'Rujukan tidak ditemukan: pasal atau ayat yang dirujuk sudah dihapus.'
      : reference.forward
        ? 'Rujukan ke pasal sesudahnya sebaiknya dihindari.'
        : 'Rujukan hidup: nomornya mengikuti penomoran.'
    decorations.push(Decoration.node(pos, pos + 1, { class: cls, title }, { teks: reference.text }))
  }
  for (const typed of findTypedReferences(state.doc, numbering)) {
    decorations.push(
      Decoration.inline(typed.from, typed.to, {
        class: 'rujukan-ketik',
        title: 'Rujukan diketik manual: nomornya tidak ikut berubah. Jadikan rujukan hidup dengan Ctrl+Alt+R.',
      }),
    )
  }
  return { rendered, decorations: DecorationSet.create(state.doc, decorations) }
}

/**
 * Renders live references with the current numbers, flags broken and forward ones, and marks
 * references typed as plain text with the offer to make them live. Recomputed with the numbering.
 */
export function referencesPlugin(): Plugin<ReferencesState> {
  return new Plugin<ReferencesState>({
    key: referencesKey,
    state: {
      init: (_, state) => build(state),
      apply: (tr, previous, _old, state) => (tr.docChanged ? build(state) : previous),
    },
    props: {
      decorations: (state) => referencesKey.getState(state)?.decorations,
      nodeViews: { rujukan: (node, _view, _getPos, decorations) => new ReferenceView(node, decorations) },
    },
  })
}

/** A reference's words, taken from the decoration the plugin puts on it (real text: read aloud and copied). */
class ReferenceView implements NodeView {
  readonly dom: HTMLElement

  constructor(node: Node, decorations: readonly Decoration[]) {
    this.dom = document.createElement('span')
    this.dom.className = 'rujukan'
    this.dom.contentEditable = 'false'
    this.update(node, decorations)
  }

  update(node: Node, decorations: readonly Decoration[]): boolean {
    if (node.type.name !== 'rujukan') return false
    const spec = decorations.find((d) => (d.spec as { teks?: string }).teks !== undefined)?.spec as { teks?: string } | undefined
    this.dom.textContent = spec?.teks ?? '…'
    return true
  }

  ignoreMutation() {
    return true
  }
}
