import { describe, expect, it } from 'vitest'
import { EditorState, TextSelection } from 'prosemirror-state'
import { bab, pasal, regulation } from '../../../../../shared/model/builders.js'
import { numberingPlugin, setNumberingBase } from './numbering.js'
import { numberingKey } from './keys.js'
import { structurePlugin } from './structure.js'
import { deletePasal } from '../commands.js'

const base = regulation({ nama: 'UJI', menimbang: ['bahwa a;'], mengingat: ['UUD;'], batangTubuh: [bab('SATU', pasal('Satu.'), pasal('Dua.'))] })

/** The Pasal labels the plugin draws, in document order. */
const drawn = (state: EditorState) =>
  numberingKey
    .getState(state)!
    .decorations.find()
    .map((d) => (d as unknown as { type: { attrs: Record<string, string> } }).type.attrs['data-label'])
    .filter((label) => label?.startsWith('Pasal'))

function pasalPositions(state: EditorState): number[] {
  const out: number[] = []
  state.doc.descendants((node, pos) => {
    if (node.type.name === 'pasal') out.push(pos)
    return !node.isTextblock
  })
  return out
}

describe('the numbering plugin on an amendment draft', () => {
  it('draws suffixed numbers once given the base, and keeps them while the team types (S24)', () => {
    let state = EditorState.create({ doc: base, plugins: [numberingPlugin()] })
    // The team inserts a Pasal between Pasal 1 and Pasal 2 of the consolidated text.
    state = state.apply(state.tr.insert(pasalPositions(state)[1]!, pasal('Sisipan.')))
    expect(drawn(state)).toEqual(['Pasal 1', 'Pasal 2', 'Pasal 3'])
    state = state.apply(setNumberingBase(state, base))
    expect(drawn(state)).toEqual(['Pasal 1', 'Pasal 1A', 'Pasal 2'])
    state = state.apply(state.tr.insertText('x', pasalPositions(state)[0]! + 3))
    expect(drawn(state)).toEqual(['Pasal 1', 'Pasal 1A', 'Pasal 2'])
    state = state.apply(setNumberingBase(state, null))
    expect(drawn(state)).toEqual(['Pasal 1', 'Pasal 2', 'Pasal 3'])
  })
})

describe('"Hapus pasal" on an amendment draft', () => {
  it('leaves a base Pasal as "Dihapus." under its number, and removes a Pasal the draft inserted (S24)', () => {
    let state = EditorState.create({ doc: base, plugins: [numberingPlugin(), structurePlugin()] })
    state = state.apply(setNumberingBase(state, base))
    state = state.apply(state.tr.insert(pasalPositions(state)[1]!, pasal('Sisipan.')))
    const deleteAt = (index: number) => {
      const inside = state.apply(state.tr.setSelection(TextSelection.near(state.doc.resolve(pasalPositions(state)[index]! + 1))))
      expect(deletePasal(inside, (tr) => (state = inside.apply(tr)))).toBe(true)
    }
    deleteAt(0)
    expect(drawn(state)).toEqual(['Pasal 1', 'Pasal 1A', 'Pasal 2'])
    expect(state.doc.nodeAt(pasalPositions(state)[0]!)!.textContent).toBe('Dihapus.')
    deleteAt(1)
    expect(drawn(state)).toEqual(['Pasal 1', 'Pasal 2'])
    expect(state.doc.textContent).not.toContain('Sisipan.')
  })
})
