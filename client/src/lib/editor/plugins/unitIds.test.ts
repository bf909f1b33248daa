import { describe, expect, it } from 'vitest'
import { EditorState, TextSelection } from 'prosemirror-state'
import { Slice } from 'prosemirror-model'
import { bab, pasal, regulation } from '../../../../../shared/model/builders.js'
import { findIdRepairs } from '../../../../../shared/model/ids.js'
import { unitIdsPlugin } from './unitIds.js'

const draft = () =>
  regulation({
    nama: 'N',
    menimbang: ['bahwa;'],
    mengingat: ['UUD;'],
    batangTubuh: [bab('SATU', pasal('satu'), pasal('dua'))],
  })

function pasalPositions(doc: EditorState['doc']) {
  const out: number[] = []
  doc.descendants((node, pos) => {
    if (node.type.name === 'pasal') out.push(pos)
    return true
  })
  return out
}

describe('unit id plugin', () => {
  it('strips ids from pasted content so a pasted Pasal gets a fresh id (S4)', () => {
    const plugin = unitIdsPlugin()
    const state = EditorState.create({ doc: draft(), plugins: [plugin] })
    const [first] = pasalPositions(state.doc)
    const copied = state.doc.slice(first!, first! + state.doc.nodeAt(first!)!.nodeSize)
    const pasted = plugin.props.transformPasted!.call(plugin, copied, null as never, false) as Slice
    expect(pasted.content.firstChild!.attrs.id).toBeNull()
    // Pasting it back in: after the appended repair, every id is present and unique again.
    const [, second] = pasalPositions(state.doc)
    const next = state.apply(state.tr.insert(second! + state.doc.nodeAt(second!)!.nodeSize, pasted.content.firstChild!))
    expect(findIdRepairs(next.doc)).toEqual([])
    const ids = pasalPositions(next.doc).map((p) => next.doc.nodeAt(p)!.attrs.id)
    expect(new Set(ids).size).toBe(3)
  })

  it('keeps the original id on the first half of a split Pasal and gives the second half a new one (S4)', () => {
    const state = EditorState.create({ doc: draft(), plugins: [unitIdsPlugin()] })
    const [first] = pasalPositions(state.doc)
    const id = state.doc.nodeAt(first!)!.attrs.id
    // Split the Pasal in the middle of its text, down through teks, ayat and pasal.
    const at = first! + 3 + 2
    const split = state.tr.setSelection(TextSelection.create(state.doc, at)).split(at, 3)
    const next = state.applyTransaction(split).state
    const [a, b] = pasalPositions(next.doc).map((p) => next.doc.nodeAt(p)!)
    expect(a!.attrs.id).toBe(id)
    expect(b!.attrs.id).not.toBe(id)
    expect(b!.attrs.id).toBeTruthy()
    expect(a!.textContent + b!.textContent).toBe('satu')
  })
})
