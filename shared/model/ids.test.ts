import { describe, expect, it } from 'vitest'
import { EditorState } from 'prosemirror-state'
import { bab, pasal, regulation } from './builders.js'
import { createId, findIdRepairs } from './ids.js'
import { schema } from './schema.js'

const doc = () =>
  regulation({
    jenis: 'P',
    nama: 'N',
    jabatan: 'G,',
    menimbang: ['bahwa;'],
    mengingat: ['UUD;'],
    menetapkan: 'P.',
    batangTubuh: [bab('SATU', pasal('satu'), pasal('dua'))],
    penutup: [],
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

  it('keeps the id on the first of two units sharing one and renews the second (a split or a paste)', () => {
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
})
