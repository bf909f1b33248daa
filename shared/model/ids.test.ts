import { describe, expect, it } from 'vitest'
import { EditorState } from 'prosemirror-state'
import type { Node } from 'prosemirror-model'
import * as Y from 'yjs'
import { bab, pasal, regulation } from './builders.js'
import { createId, findIdRepairs } from './ids.js'
import { schema } from './schema.js'
import { encodeDocument, FRAGMENT, toProsemirror } from './ydoc.js'

const doc = () =>
  regulation({
    nama: 'N',
    menimbang: ['bahwa;'],
    mengingat: ['UUD;'],
    batangTubuh: [bab('SATU', pasal('satu'), pasal('dua'))],
  })

describe('unit ids', () => {
  it('creates distinct 12-character ids', () => {
    const ids = new Set(Array.from({ length: 5000 }, createId))
    expect(ids.size).toBe(5000)
    for (const id of ids) expect(id).toMatch(/^[0-9a-z]{12}$/)
  })

  it('needs no repair in a freshly built document', () => {
    expect(findIdRepairs(doc())).toEqual([])
  })

  it('keeps the id on the first of two units sharing one and renews the second (a split or a paste) (S4)', () => {
    const original = doc()
    const state = EditorState.create({ doc: original })
    const pasalPos: number[] = []
    original.descendants((node, pos) => {
      if (node.type.name === 'pasal') pasalPos.push(pos)
      return true
    })
    const firstId = original.nodeAt(pasalPos[0]!)!.attrs.id as string
    const tr = state.tr.setNodeAttribute(pasalPos[1]!, 'id', firstId)
    const repairs = findIdRepairs(tr.doc, () => 'fresh-id-0001')
    expect(repairs).toEqual([{ pos: pasalPos[1], id: 'fresh-id-0001' }])
  })

  it('gives a unit without an id a new one', () => {
    const bare = schema.node('pasal', null, [schema.node('ayat', { id: 'a1' }, [schema.node('teks')])])
    const repairs = findIdRepairs(schema.node('batangTubuh', null, [schema.node('bab', { id: 'b1' }, [schema.node('babJudul'), bare])]))
    expect(repairs).toHaveLength(1)
  })

  it('brings a deleted Pasal back with its original id when the deletion is undone, as the editor undoes through Yjs (S4)', () => {
    const pasalIds = (node: Node) => {
      const ids: string[] = []
      node.descendants((n) => void (n.type.name === 'pasal' && ids.push(n.attrs.id as string)))
      return ids
    }
    const ydoc = new Y.Doc()
    Y.applyUpdate(ydoc, encodeDocument(doc()))
    const before = pasalIds(toProsemirror(ydoc))
    const undo = new Y.UndoManager(ydoc.getXmlFragment(FRAGMENT))
    const chapter = ydoc
      .getXmlFragment(FRAGMENT)
      .createTreeWalker((item) => item instanceof Y.XmlElement && item.nodeName === 'bab')
      .next().value as Y.XmlElement
    const second = chapter.toArray().findLastIndex((child) => child instanceof Y.XmlElement && child.nodeName === 'pasal')
    chapter.delete(second, 1)
    expect(pasalIds(toProsemirror(ydoc))).toEqual(before.slice(0, 1))
    undo.undo()
    const restored = toProsemirror(ydoc)
    expect(pasalIds(restored)).toEqual(before)
    expect(findIdRepairs(restored)).toEqual([])
  })
})
