import { describe, expect, it } from 'vitest'
import { EditorState } from 'prosemirror-state'
import { bab, pasal, regulation } from '../../../../../shared/model/builders.js'
import { DEFAULT_META, normaliseMeta } from '../../../../../shared/documents.js'
import { setDraftMeta, wordingPlugin } from './wording.js'
import { wordingKey } from './keys.js'

const draft = regulation({ nama: 'PENGELOLAAN DATA', menimbang: ['bahwa a;'], mengingat: ['UUD;'], batangTubuh: [bab('SATU', pasal('Isi.'))] })

/** The drawn parts as their widget keys say them, in document order. */
const drawn = (state: EditorState) =>
  wordingKey
    .getState(state)!
    .decorations.find()
    .map((d) => (d.spec as { key: string }).key)

describe('the wording plugin', () => {
  it('draws the judul lines, jabatan, Menetapkan, order to promulgate and signature blocks from the metadata (S18)', () => {
    const state = EditorState.create({ doc: draft, plugins: [wordingPlugin(DEFAULT_META)] })
    const keys = drawn(state)
    expect(keys.map((k) => k.slice(0, k.indexOf(':')))).toEqual(['judul', 'jabatan', 'menetapkan', 'perintah', 'ttd'])
    expect(keys.join(' ')).toContain('PERATURAN GUBERNUR KALIMANTAN TIMUR')
    expect(keys.join(' ')).toContain('PERATURAN GUBERNUR TENTANG PENGELOLAAN DATA.')
  })

  it('redraws when the metadata changes and when the judul is edited, and not on its own', () => {
    let state = EditorState.create({ doc: draft, plugins: [wordingPlugin(DEFAULT_META)] })
    const before = wordingKey.getState(state)
    state = state.apply(state.tr.setMeta('unrelated', true))
    expect(wordingKey.getState(state)).toBe(before)

    state = state.apply(setDraftMeta(state, normaliseMeta({ jenis: 'perbup', daerah: 'Paser', tempat: 'Tana Paser' })))
    const keys = drawn(state).join(' ')
    expect(keys).toContain('PERATURAN BUPATI PASER')
    expect(keys).toContain('Ditetapkan di Tana Paser')
    expect(keys).not.toMatch(/GUBERNUR|Kalimantan Timur/i)

    state = state.apply(state.tr.insertText(' DAERAH', 1 + 'PENGELOLAAN DATA'.length + 1))
    expect(drawn(state).join(' ')).toContain('PERATURAN BUPATI TENTANG PENGELOLAAN DATA DAERAH.')
  })

  it('draws no order to promulgate nor signature blocks for a draft without a penandatanganan', () => {
    const penutup = draft.child(3)
    const unsigned = draft.replace(draft.content.size - penutup.nodeSize + 1, draft.content.size - 1, draft.slice(0, 0))
    const state = EditorState.create({ doc: unsigned, plugins: [wordingPlugin(DEFAULT_META)] })
    expect(drawn(state).map((k) => k.slice(0, k.indexOf(':')))).toEqual(['judul', 'jabatan', 'menetapkan'])
  })
})
