import { describe, expect, it } from 'vitest'
import { EditorState, TextSelection } from 'prosemirror-state'
import { Fragment, Slice } from 'prosemirror-model'
import { ySyncPluginKey } from 'y-prosemirror'
import { bab, pasal, regulation } from '../../../../../shared/model/builders.js'
import { schema } from '../../../../../shared/model/schema.js'
import { hasUnprintable } from '../../../../../shared/text.js'
import { textHygienePlugin } from './textHygiene.js'

const draft = () =>
  regulation({
    nama: 'N',
    menimbang: ['bahwa;'],
    mengingat: ['UUD;'],
    batangTubuh: [bab('SATU', pasal('Pasal pertama berlaku.'), pasal('dua'))],
  })

/** A state with the cursor inside the first Pasal's text, after `offset` characters. */
function stateAt(offset: number, doc = draft()) {
  let at = -1
  doc.descendants((node, pos) => {
    if (at < 0 && node.type.name === 'teks' && doc.resolve(pos).parent.type.name === 'ayat') at = pos + 1
    return at < 0
  })
  const state = EditorState.create({ doc, plugins: [textHygienePlugin()] })
  return state.apply(state.tr.setSelection(TextSelection.create(state.doc, at + offset)))
}

const firstAyatText = (state: EditorState) => {
  let text = ''
  state.doc.descendants((node, _pos, parent) => {
    if (!text && node.type.name === 'teks' && parent?.type.name === 'ayat') text = node.textContent
    return !text
  })
  return text
}

describe('text hygiene plugin', () => {
  it('removes control characters and non-characters from typed text, keeping the rest', () => {
    const state = stateAt(6)
    const { state: typed } = state.applyTransaction(state.tr.insertText('\u000bke\u0002dua\ufffe\uffff '))
    expect(firstAyatText(typed)).toBe('Pasal kedua pertama berlaku.')
    // The caret stays right after what was typed.
    expect(typed.selection.head).toBe(state.selection.head + 'kedua '.length)
  })

  it('removes them from a pasted slice, marks and structure kept', () => {
    const state = stateAt(0)
    const pasted = new Slice(Fragment.from([schema.text('Te\u000cmpel', [schema.marks.em!.create()]), schema.text(' \u0002biasa ')]), 0, 0)
    const { state: after } = state.applyTransaction(state.tr.replaceSelection(pasted).setMeta('uiEvent', 'paste'))
    expect(firstAyatText(after)).toBe('Tempel biasa Pasal pertama berlaku.')
    expect(after.selection.head).toBe(state.selection.head + 'Tempel biasa '.length)
    expect(after.doc.textBetween(0, after.doc.content.size).includes('\u000c')).toBe(false)
    let emphasised = ''
    after.doc.descendants((node) => {
      if (node.isText && node.marks.some((m) => m.type.name === 'em')) emphasised += node.text
    })
    expect(emphasised).toBe('Tempel')
  })

  it('leaves changes from the shared document alone: the server already admitted them', () => {
    const state = stateAt(0)
    const remote = state.tr.insertText('\u000b').setMeta(ySyncPluginKey, { isChangeOrigin: true })
    const { state: after } = state.applyTransaction(remote)
    expect(hasUnprintable(firstAyatText(after))).toBe(true)
  })
})
