import { describe, expect, it } from 'vitest'
import { Transform } from 'prosemirror-transform'
import type { Node } from 'prosemirror-model'
import { bab, pasal, pasalIds, regulation } from '../../../../shared/model/builders.js'
import { schema } from '../../../../shared/model/schema.js'
import type { PartChange } from '../../../../shared/versions.js'
import { locateChanges, stepChange } from './changeTargets.js'

const change = (key: string, kind: PartChange['kind'] = 'diubah'): PartChange => ({ key, label: key, kind, authors: [] })

function textPos(doc: Node, needle: string): number {
  let found = -1
  doc.descendants((node, pos) => {
    if (found < 0 && node.isText && node.text!.includes(needle)) found = pos + node.text!.indexOf(needle)
    return found < 0
  })
  return found
}

/** A comparison's document: "aplikasi" inserted in the second Pasal, the third Pasal new, the BAB heading unchanged. */
function compared() {
  const doc = regulation({
    nama: 'UJI',
    menimbang: ['bahwa a;'],
    mengingat: ['UUD 1945;'],
    batangTubuh: [bab('KETENTUAN UMUM', pasal('Pasal pertama.'), pasal('Pasal kedua tentang aplikasi.'), pasal('Pasal ketiga.'))],
  })
  const [first, second, third] = pasalIds(doc)
  const tr = new Transform(doc)
  const at = textPos(doc, 'aplikasi')
  tr.addMark(at, at + 'aplikasi'.length, schema.marks.ychange!.create({ type: 'added', user: 'Rina', color: '#dc2626' }))
  doc.descendants((node, pos) => {
    if (node.attrs.id === third) tr.setNodeAttribute(pos, 'ychange', { type: 'added', user: 'Rina', color: '#dc2626' })
    return true
  })
  return { doc: tr.doc, ids: { first: first!, second: second!, third: third! }, inserted: at }
}

describe('the changes of a comparison, located in its text', () => {
  it('lands on the first marked text of a changed Pasal, and on the Pasal itself when it is new', () => {
    const { doc, ids, inserted } = compared()
    const [second, third] = locateChanges(doc, [change(`pasal:${ids.second}`), change(`pasal:${ids.third}`, 'baru')])
    expect(second!.first).toBe(inserted)
    expect(doc.nodeAt(second!.from)!.attrs.id).toBe(ids.second)
    expect(second!.to).toBe(second!.from + doc.nodeAt(second!.from)!.nodeSize)
    expect(third!.first).toBe(third!.from)
    expect(doc.nodeAt(third!.from)!.attrs.id).toBe(ids.third)
  })

  it("does not take a change inside a BAB's Pasal for a change of its heading", () => {
    const { doc } = compared()
    let babId = ''
    doc.descendants((node) => {
      if (node.type.name === 'bab') babId = node.attrs.id as string
      return !babId
    })
    const [heading] = locateChanges(doc, [change(`bab:${babId}`)])
    expect(heading!.first).toBe(heading!.from)
  })

  it('has no place for a part that is not in the text', () => {
    const { doc } = compared()
    expect(locateChanges(doc, [change('pasal:tidak-ada', 'dihapus')])).toEqual([null])
  })

  it('steps forward and back through the changes that have a place, wrapping round at either end', () => {
    const t = { from: 0, to: 1, first: 0 }
    const targets = [t, null, t, t]
    expect(stepChange(targets, null, 1)).toBe(0)
    expect(stepChange(targets, 0, 1)).toBe(2)
    expect(stepChange(targets, 3, 1)).toBe(0)
    expect(stepChange(targets, null, -1)).toBe(3)
    expect(stepChange(targets, 2, -1)).toBe(0)
    expect(stepChange(targets, 0, -1)).toBe(3)
    expect(stepChange([null, null], null, 1)).toBeNull()
    expect(stepChange([], null, 1)).toBeNull()
  })
})
