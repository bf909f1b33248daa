import type { Node } from 'prosemirror-model'
import { schema } from '../../shared/model/schema.js'
import { ayat, bab, bagian, lampiran, pasal, rincian } from '../../shared/model/builders.js'
import { dihapusNode } from '../../shared/amendment/apply.js'
import type { Random } from '../harness/random.js'

/**
 * Random edits a team makes to the consolidated text of an amendment draft: words changed in an
 * ayat or a huruf, Pasal, ayat, huruf, Bagian, BAB and Lampiran inserted, added and deleted (left
 * as "Dihapus."), BAB titles and Lampiran changed. New units never go before the first unit of
 * their scope (an amendment inserts after a base unit: Pasal 8A follows Pasal 8).
 */

interface Json {
  type: string
  attrs?: Record<string, unknown>
  content?: Json[]
  text?: string
}

interface Place {
  readonly node: Json
  readonly siblings: Json[]
}

function places(doc: Json, type: string): Place[] {
  const out: Place[] = []
  const walk = (node: Json) => {
    for (const child of node.content ?? []) {
      if (child.type === type) out.push({ node: child, siblings: node.content! })
      walk(child)
    }
  }
  walk(doc)
  return out
}

const json = (node: Node) => node.toJSON() as Json
const firstText = (node: Json): Json | undefined => (node.type === 'text' ? node : (node.content ?? []).map(firstText).find(Boolean))
const insertAfter = (place: Place, node: Json) => place.siblings.splice(place.siblings.indexOf(place.node) + 1, 0, node)

type Edit = (doc: Json, random: Random) => boolean

const EDITS: Readonly<Record<string, Edit>> = {
  changeAyat(doc, random) {
    const target = random.pick(places(doc, 'ayat'))
    const text = firstText(target.node)
    if (!text) return false
    text.text = `${text.text} ${random.word()}`.trim()
    return true
  },
  changeHuruf(doc, random) {
    const items = places(doc, 'butir')
    if (items.length === 0) return false
    const text = firstText(random.pick(items).node)
    if (!text) return false
    text.text = `${random.word()} ${text.text}`
    return true
  },
  insertPasal(doc, random) {
    insertAfter(random.pick(places(doc, 'pasal')), json(pasal(`Pasal baru ${random.word()}.`, `Ayat kedua ${random.word()}.`)))
    return true
  },
  deletePasal(doc, random) {
    const target = random.pick(places(doc, 'pasal'))
    target.siblings[target.siblings.indexOf(target.node)] = json(dihapusNode(schema.nodeFromJSON(target.node)))
    return true
  },
  insertAyat(doc, random) {
    const target = random.pick(places(doc, 'pasal').filter((p) => (p.node.content?.length ?? 0) > 1))
    const ayatList = target.node.content!
    ayatList.splice(random.between(1, ayatList.length), 0, json(ayat(`Ayat sisipan ${random.word()}.`)))
    return true
  },
  deleteAyat(doc, random) {
    const candidates = places(doc, 'pasal').filter((p) => (p.node.content?.length ?? 0) > 2)
    if (candidates.length === 0) return false
    const ayatList = random.pick(candidates).node.content!
    const index = random.int(ayatList.length)
    ayatList[index] = json(dihapusNode(schema.nodeFromJSON(ayatList[index]!)))
    return true
  },
  insertHuruf(doc, random) {
    const lists = places(doc, 'rincian')
    if (lists.length === 0) return false
    const items = random.pick(lists).node.content!
    items.splice(
      random.between(1, items.length),
      0,
      json(
        schema.node('butir', { id: rincian({ items: ['x'] }).firstChild!.attrs.id }, [
          schema.node('teks', null, [schema.text(`butir baru ${random.word()};`)]),
        ]),
      ),
    )
    return true
  },
  changeBabJudul(doc, random) {
    const heading = random.pick(places(doc, 'bab')).node.content![0]!
    heading.content = [{ type: 'text', text: `JUDUL BARU ${random.word().toUpperCase()}` }]
    return true
  },
  insertBab(doc, random) {
    insertAfter(random.pick(places(doc, 'bab')), json(bab('BAB SISIPAN', pasal(`Isi bab sisipan ${random.word()}.`))))
    return true
  },
  insertBagian(doc, random) {
    const candidates = places(doc, 'bagian')
    if (candidates.length === 0) return false
    insertAfter(random.pick(candidates), json(bagian('Bagian Sisipan', pasal(`Isi bagian sisipan ${random.word()}.`))))
    return true
  },
  changeLampiran(doc, random) {
    const candidates = places(doc, 'lampiran')
    if (candidates.length === 0) return false
    random.pick(candidates).node.content!.push({ type: 'teks', content: [{ type: 'text', text: `Tambahan ${random.word()}` }] })
    return true
  },
  addLampiran(doc, random) {
    doc.content!.push(json(lampiran('LAMPIRAN TAMBAHAN', `Isi ${random.word()}`)))
    return true
  },
}

/** `count` random edits of a copy of `doc` (same ids), and the names of the edits made. */
export function randomEdits(doc: Node, random: Random, count: number): { doc: Node; edits: string[] } {
  const edited = json(doc)
  const edits: string[] = []
  const names = Object.keys(EDITS)
  while (edits.length < count) {
    const name = random.pick(names)
    if (EDITS[name]!(edited, random)) edits.push(name)
  }
  return { doc: schema.nodeFromJSON(edited), edits }
}
