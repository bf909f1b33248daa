import { Plugin, type EditorState } from 'prosemirror-state'
import { Decoration, DecorationSet } from 'prosemirror-view'
import type { Node } from 'prosemirror-model'
import { readChange } from '../../../../../shared/model/schema.js'
import type { ChangeTarget } from '../../versions/changeTargets.js'
import { comparisonKey } from './keys.js'

export interface ComparisonState {
  /** The change the reader is at (next/previous, a summary click), outlined in the text. */
  readonly current: ChangeTarget | null
  readonly decorations: DecorationSet
}

/**
 * A bar in the margin beside every text block with an insertion or deletion, in the colour of the
 * bidang of its first change: the colour says who, while underline and strike-through say what.
 */
function sideMarkers(doc: Node): Decoration[] {
  const markers: Decoration[] = []
  doc.descendants((node, pos) => {
    if (!node.isTextblock) return true
    let color: string | null = null
    node.forEach((child) => {
      for (const mark of child.marks) color ??= readChange(mark.attrs)?.color ?? null
    })
    if (color) markers.push(Decoration.node(pos, pos + node.nodeSize, { class: 'ada-perubahan', style: `--warna-perubahan: ${color}` }))
    return false
  })
  return markers
}

function build(doc: Node, current: ChangeTarget | null): ComparisonState {
  const decorations = sideMarkers(doc)
  if (current) decorations.push(Decoration.node(current.from, current.to, { class: 'perubahan-kini' }))
  return { current, decorations: DecorationSet.create(doc, decorations) }
}

/** The compared document's reading aids: side markers in the bidang colours, and the current change outlined. */
export function comparisonPlugin(): Plugin<ComparisonState> {
  return new Plugin<ComparisonState>({
    key: comparisonKey,
    state: {
      init: (_, state) => build(state.doc, null),
      apply: (tr, previous) => {
        const meta = tr.getMeta(comparisonKey) as { current: ChangeTarget | null } | undefined
        return meta ? build(tr.doc, meta.current) : previous
      },
    },
    props: {
      decorations: (state) => comparisonKey.getState(state)?.decorations,
    },
  })
}

/** A transaction that makes `current` the change the reader is at. */
export const setCurrentChange = (state: EditorState, current: ChangeTarget | null) => state.tr.setMeta(comparisonKey, { current })
