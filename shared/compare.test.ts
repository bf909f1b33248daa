import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { initProseMirrorDoc, updateYFragment } from 'y-prosemirror'
import { EditorState, TextSelection } from 'prosemirror-state'
import { Node } from 'prosemirror-model'
import { bab, pasal, regulation } from './model/builders.js'
import { schema } from './model/schema.js'
import { encodeDocument, FRAGMENT, toProsemirror } from './model/ydoc.js'
import { attributionIndex, compareVersions, type Version } from './compare.js'
import type { Author } from './accounts.js'

const aptika: Author = { username: 'rina', name: 'Rina', bidang: 'Bidang APTIKA' }
const tik: Author = { username: 'bayu', name: 'Bayu', bidang: 'Bidang TIK' }

function draft() {
  return regulation({
    nama: 'UJI',
    menimbang: ['bahwa a;'],
    mengingat: ['UUD 1945;'],
    batangTubuh: [
      bab('KETENTUAN UMUM', pasal('Pasal pertama berbunyi begini.'), pasal('Pasal kedua tentang aplikasi.'), pasal('Pasal ketiga tentang data.')),
    ],
  })
}

/** A replica of a document for one person, who edits it the way the editor does (y-prosemirror). */
class Replica {
  readonly ydoc = new Y.Doc()
  readonly updates: Uint8Array[] = []
  constructor(
    readonly author: Author,
    base: Uint8Array,
  ) {
    Y.applyUpdate(this.ydoc, base)
    this.ydoc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== 'remote') this.updates.push(update)
    })
  }
  get doc(): Node {
    return toProsemirror(this.ydoc)
  }
  edit(change: (state: EditorState) => EditorState['tr']) {
    const fragment = this.ydoc.getXmlFragment(FRAGMENT)
    const { doc, meta } = initProseMirrorDoc(fragment, schema)
    const state = EditorState.create({ doc })
    updateYFragment(this.ydoc, fragment, change(state).doc, meta)
  }
  receive(other: Replica) {
    Y.applyUpdate(this.ydoc, Y.encodeStateAsUpdate(other.ydoc), 'remote')
  }
}

/** Finds `needle` in the document and returns its position. */
function find(doc: Node, needle: string): number {
  let found = -1
  doc.descendants((node, pos) => {
    if (found < 0 && node.isText && node.text!.includes(needle)) found = pos + node.text!.indexOf(needle)
    return found < 0
  })
  if (found < 0) throw new Error(`no text ${needle}`)
  return found
}

function pasalPositions(doc: Node) {
  const out: number[] = []
  doc.descendants((node, pos) => {
    if (node.type.name === 'pasal') out.push(pos)
    return node.type.name !== 'pasal'
  })
  return out
}

/** The Yjs text that starts with `prefix` (edited directly, where y-prosemirror would re-diff). */
function firstText(ydoc: Y.Doc, prefix: string): Y.XmlText {
  const walk = (type: Y.XmlFragment | Y.XmlElement): Y.XmlText | undefined => {
    for (const child of type.toArray()) {
      if (child instanceof Y.XmlText && child.toString().startsWith(prefix)) return child
      const found = child instanceof Y.XmlElement ? walk(child) : undefined
      if (found) return found
    }
    return undefined
  }
  const found = walk(ydoc.getXmlFragment(FRAGMENT))
  if (!found) throw new Error(`no text ${prefix}`)
  return found
}

const snapshotOf = (replica: Replica): Version => {
  const ydoc = new Y.Doc()
  Y.applyUpdate(ydoc, Y.encodeStateAsUpdate(replica.ydoc))
  return { ydoc, doc: toProsemirror(ydoc) }
}

/** Attribution as the server records it: each replica's client id, and every update that deleted. */
function attribution(...replicas: Replica[]) {
  const authors = new Map<number, Author>()
  const deletions: Array<{ author: Author; update: Uint8Array }> = []
  for (const replica of replicas) {
    authors.set(replica.ydoc.clientID, replica.author)
    for (const update of replica.updates) if (Y.decodeUpdate(update).ds.clients.size > 0) deletions.push({ author: replica.author, update })
  }
  return attributionIndex(authors, deletions)
}

const marked = (content: unknown, type: 'added' | 'removed') => {
  const doc = Node.fromJSON(schema, content)
  const out: Array<{ text: string; user: string }> = []
  doc.descendants((node) => {
    const mark = node.marks.find((m) => m.type.name === 'ychange' && m.attrs.type === type)
    if (node.isText && mark) out.push({ text: node.text!, user: mark.attrs.user as string })
    return true
  })
  return out
}

describe('comparing two versions', () => {
  it('attributes concurrent edits by two bidang to each, inline and in the summary (S11)', () => {
    const base = encodeDocument(draft())
    const rina = new Replica(aptika, base)
    const bayu = new Replica(tik, base)
    const before = snapshotOf(rina)
    rina.edit((state) => state.tr.insertText('umum ', find(state.doc, 'aplikasi')))
    bayu.edit((state) => {
      const at = find(state.doc, 'data')
      return state.tr.delete(at, at + 'data'.length).insertText('informasi', at)
    })
    rina.receive(bayu)
    bayu.receive(rina)
    const result = compareVersions(before, snapshotOf(rina), attribution(rina, bayu))
    expect(result.changes.map((c) => [c.label, c.kind, c.authors.map((a) => a.bidang)])).toEqual([
      ['Pasal 2', 'diubah', ['Bidang APTIKA']],
      ['Pasal 3', 'diubah', ['Bidang TIK']],
    ])
    expect(marked(result.content, 'added')).toEqual([
      { text: 'umum ', user: 'Rina · Bidang APTIKA' },
      { text: 'informasi', user: 'Bayu · Bidang TIK' },
    ])
    expect(marked(result.content, 'removed')).toEqual([{ text: 'data', user: 'Bayu · Bidang TIK' }])
  })

  it('marks a typed word whole even where the editor placed a typed letter after an equal old one', () => {
    const base = encodeDocument(draft())
    const bayu = new Replica(tik, base)
    const before = snapshotOf(bayu)
    // Typing "Tambahan Pasal " before "Pasal": the browser may report the typed "P" as inserted
    // after the old one, so the old "P" ends up inside the new words and a new "P" outside them.
    const text = firstText(bayu.ydoc, 'Pasal pertama')
    bayu.ydoc.transact(() => {
      text.insert(1, 'asal P')
      text.insert(0, 'Tambahan ')
    })
    const result = compareVersions(before, snapshotOf(bayu), attribution(bayu))
    expect(bayu.doc.textContent).toContain('Tambahan Pasal Pasal pertama')
    expect(marked(result.content, 'added')).toEqual([{ text: 'Tambahan Pasal ', user: 'Bayu · Bidang TIK' }])
  })

  it('recognises a moved Pasal by its id and reports it renumbered, not deleted and re-added', () => {
    const rina = new Replica(aptika, encodeDocument(draft()))
    const before = snapshotOf(rina)
    rina.edit((state) => {
      const [first, , third] = pasalPositions(state.doc)
      const node = state.doc.nodeAt(first!)!
      const end = third! + state.doc.nodeAt(third!)!.nodeSize
      return state.tr.insert(end, node).delete(first!, first! + node.nodeSize)
    })
    const result = compareVersions(before, snapshotOf(rina), attribution(rina))
    expect(result.changes).toEqual([
      { key: expect.stringMatching(/^pasal:/), label: 'Pasal 3', labelBefore: 'Pasal 1', kind: 'dipindahkan', authors: [aptika] },
    ])
    expect(marked(result.content, 'added')).toEqual([])
    expect(marked(result.content, 'removed')).toEqual([])
  })

  it('shows a split ayat as an edit of the same Pasal, not as lost text', () => {
    const rina = new Replica(aptika, encodeDocument(draft()))
    const before = snapshotOf(rina)
    rina.edit((state) => {
      const at = find(state.doc, 'tentang aplikasi')
      const split = state.tr.setSelection(TextSelection.create(state.doc, at))
      return split.split(at, 2).insertText('Ayat baru tentang ', at + 4)
    })
    const after = snapshotOf(rina)
    expect(pasalPositions(after.doc).map((p) => after.doc.nodeAt(p)!.childCount)).toEqual([1, 2, 1])
    const result = compareVersions(before, after, attribution(rina))
    expect(result.changes.map((c) => [c.label, c.kind])).toEqual([['Pasal 2', 'diubah']])
    expect(
      marked(result.content, 'added')
        .map((m) => m.text)
        .join(''),
    ).toBe('Ayat baru tentang ')
    expect(marked(result.content, 'removed')).toEqual([])
  })

  it('shows a new Pasal as new and a deleted one where it was, without a number', () => {
    const rina = new Replica(aptika, encodeDocument(draft()))
    const before = snapshotOf(rina)
    rina.edit((state) => {
      const [first, second] = pasalPositions(state.doc)
      const gone = state.doc.nodeAt(second!)!
      const fresh = schema.node('pasal', { id: 'baru12345678' }, [
        schema.node('ayat', { id: 'ayatbaru0001' }, [schema.node('teks', null, [schema.text('Pasal sisipan.')])]),
      ])
      return state.tr.delete(second!, second! + gone.nodeSize).insert(first!, fresh)
    })
    const result = compareVersions(before, snapshotOf(rina), attribution(rina))
    expect(result.changes.map((c) => [c.label, c.kind, c.authors.map((a) => a.username)])).toEqual([
      ['Pasal 1', 'baru', ['rina']],
      ['Pasal 2', 'dihapus', ['rina']],
    ])
    const doc = Node.fromJSON(schema, result.content)
    const kinds: Array<[string, string | null]> = []
    doc.descendants((node) => {
      if (node.type.name === 'pasal') kinds.push([node.textContent, (node.attrs.ychange as { type?: string } | null)?.type ?? null])
      return node.type.name !== 'pasal'
    })
    expect(kinds).toEqual([
      ['Pasal sisipan.', 'added'],
      ['Pasal pertama berbunyi begini.', null],
      ['Pasal kedua tentang aplikasi.', 'removed'],
      ['Pasal ketiga tentang data.', null],
    ])
  })

  it('finds no change between identical versions', () => {
    const rina = new Replica(aptika, encodeDocument(draft()))
    expect(compareVersions(snapshotOf(rina), snapshotOf(rina), attribution(rina)).changes).toEqual([])
  })
})
