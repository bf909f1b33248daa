import { Plugin, type EditorState } from 'prosemirror-state'
import { brokenReferencesKey, referencesKey } from './keys.js'
import { isRemote } from './suggestions.js'

/** Where the live references that no longer find their Pasal, ayat or huruf stand, in document order. */
export function brokenReferences(state: EditorState): number[] {
  const rendered = referencesKey.getState(state)?.rendered
  return rendered ? [...rendered].flatMap(([pos, reference]) => (reference.broken ? [pos] : [])) : []
}

/**
 * Tells the person whose own edit left live references pointing nowhere (they deleted or cut a
 * Pasal that others name), with how many: the references stay, marked "rujukan tidak ditemukan",
 * rather than turning into words that would name another Pasal after renumbering (SPEC S21).
 * Its state says whether the last change of the text was this person's own; changes from others,
 * and undo (which y-prosemirror applies as one), never notify.
 */
export function brokenReferencesPlugin(onBroken: (count: number) => void): Plugin<boolean> {
  return new Plugin<boolean>({
    key: brokenReferencesKey,
    state: {
      init: () => false,
      apply: (tr, own) => (tr.docChanged ? !isRemote(tr) : own),
    },
    view: () => ({
      update(view, previous) {
        if (view.state.doc === previous.doc || !brokenReferencesKey.getState(view.state)) return
        const added = brokenReferences(view.state).length - brokenReferences(previous).length
        if (added > 0) onBroken(added)
      },
    }),
  })
}
