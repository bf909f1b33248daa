import { describe, expect, it } from 'vitest'
import { EditorState } from 'prosemirror-state'
import { bab, pasal, regulation } from '../../../../../shared/model/builders.js'
import { numberingPlugin, setNumberingBase } from './numbering.js'
import { numberingKey } from './keys.js'

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
