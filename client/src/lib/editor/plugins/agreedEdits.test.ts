import { describe, expect, it } from 'vitest'
import { EditorState, TextSelection, type Transaction } from 'prosemirror-state'
import { bab, pasal, regulation } from '../../../../../shared/model/builders.js'
import type { StatusRecord } from '../../../../../shared/agreement.js'
import { movePasal } from '../commands.js'
import { agreedEditsPlugin } from './agreedEdits.js'
import { agreementPlugin, setStatuses } from './agreement.js'
import { numberingPlugin } from './numbering.js'

function setup() {
  const doc = regulation({ nama: 'UJI', menimbang: ['bahwa a;'], mengingat: ['UUD;'], batangTubuh: [bab('UMUM', pasal('satu'), pasal('dua'))] })
  const ids: string[] = []
  doc.descendants((node) => (node.type.name === 'pasal' && ids.push(node.attrs.id as string), true))
  const asked: string[][] = []
  const confirmed = new Set<string>()
  let state = EditorState.create({
    doc,
    plugins: [numberingPlugin(), agreementPlugin(() => {}), agreedEditsPlugin({ confirmed, onAsk: (pasalIds) => asked.push([...pasalIds]) })],
  })
  const record: StatusRecord = { docId: 'd', pasalId: ids[0]!, status: 'disepakati', history: [] }
  state = state.apply(setStatuses(state, new Map([[ids[0]!, record]])))
  const inPasal = (state: EditorState, text: string) => {
    let at = -1
    state.doc.descendants((node, pos) => (node.isText && node.text === text && (at = pos + node.nodeSize), at < 0))
    return state.apply(state.tr.setSelection(TextSelection.create(state.doc, at)))
  }
  return { state, ids, asked, confirmed, inPasal }
}

describe('agreed Pasal', () => {
  it('holds back the first edit of a Disepakati Pasal and asks, naming it; an edit elsewhere passes', () => {
    const { state, ids, asked, inPasal } = setup()
    const inAgreed = inPasal(state, 'satu')
    expect(inAgreed.apply(inAgreed.tr.insertText('X')).doc.eq(inAgreed.doc)).toBe(true)
    expect(asked).toEqual([[ids[0]]])
    const elsewhere = inPasal(state, 'dua')
    expect(elsewhere.apply(elsewhere.tr.insertText('X')).doc.eq(elsewhere.doc)).toBe(false)
    expect(asked).toHaveLength(1)
  })

  it('does not ask again once confirmed for that Pasal', () => {
    const { state, ids, asked, confirmed, inPasal } = setup()
    confirmed.add(ids[0]!)
    const inAgreed = inPasal(state, 'satu')
    expect(inAgreed.apply(inAgreed.tr.insertText('X')).doc.eq(inAgreed.doc)).toBe(false)
    expect(asked).toEqual([])
  })

  it('lets a move of the agreed Pasal through: its text is unchanged, so it stays agreed', () => {
    const { state, asked, inPasal } = setup()
    const inAgreed = inPasal(state, 'satu')
    let moved: Transaction | null = null
    movePasal(1)(inAgreed, (tr) => (moved = tr))
    expect(inAgreed.apply(moved!).doc.eq(inAgreed.doc)).toBe(false)
    expect(asked).toEqual([])
  })
})
