import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { initProseMirrorDoc, updateYFragment } from 'y-prosemirror'
import { Transform } from 'prosemirror-transform'
import type { Node } from 'prosemirror-model'
import { ayat, bab, pasal, regulation } from './model/builders.js'
import { schema } from './model/schema.js'
import { numberDocument } from './model/numbering.js'
import { encodeDocument, FRAGMENT, toProsemirror } from './model/ydoc.js'
import { positionToRelative } from './anchors.js'
import { placeSuggestion, quoteOf } from './suggestionAnchor.js'
import type { Suggestion } from './suggestions.js'

function draft(): Node {
  return regulation({
    nama: 'UJI',
    menimbang: ['bahwa a;'],
    mengingat: ['UUD 1945;'],
    batangTubuh: [
      bab(
        'KETENTUAN UMUM',
        pasal(ayat('Perangkat Daerah dapat membangun aplikasi.'), ayat('Aplikasi dibangun oleh Dinas.')),
        pasal('Pasal kedua tentang data.'),
      ),
    ],
    penutup: ['Agar setiap orang mengetahuinya.'],
  })
}

/** A live draft, edited the way the editor edits it (a ProseMirror change written with y-prosemirror). */
class Draft {
  readonly ydoc = new Y.Doc()
  constructor() {
    Y.applyUpdate(this.ydoc, encodeDocument(draft()))
  }
  get fragment() {
    return this.ydoc.getXmlFragment(FRAGMENT)
  }
  get doc() {
    return toProsemirror(this.ydoc)
  }
  pasalId(index: number): string {
    return numberDocument(this.doc).labels.filter((l) => l.kind === 'pasal')[index]!.id!
  }
  /** Position of the `occurrence`-th (0-based) `phrase` in the document's text. */
  find(phrase: string, occurrence = 0): number {
    const found: number[] = []
    this.doc.descendants((node, pos) => {
      if (!node.isText) return true
      for (let i = node.text!.indexOf(phrase); i >= 0; i = node.text!.indexOf(phrase, i + 1)) found.push(pos + i)
      return false
    })
    return found[occurrence]!
  }
  edit(change: (tr: Transform) => void) {
    const { doc, meta } = initProseMirrorDoc(this.fragment, schema)
    const tr = new Transform(doc)
    change(tr)
    updateYFragment(this.ydoc, this.fragment, tr.doc, meta)
  }
  suggestion(pasalIndex: number, from: number, to: number): Pick<Suggestion, 'kind' | 'anchor'> {
    const doc = this.doc
    return {
      kind: 'text',
      anchor: {
        pasalId: this.pasalId(pasalIndex),
        range: {
          from: positionToRelative(this.fragment, doc, from)!,
          to: positionToRelative(this.fragment, doc, to)!,
          quote: quoteOf(doc, from, to),
        },
      },
    }
  }
  place(suggestion: Pick<Suggestion, 'kind' | 'anchor'>, search: boolean) {
    const doc = this.doc
    return placeSuggestion(suggestion, doc, numberDocument(doc), this.ydoc, this.fragment, { search })
  }
}

describe('placing a suggestion', () => {
  it('quotes a range over two ayat with a line break between them, and a rujukan as U+FFFC', () => {
    const live = new Draft()
    const from = live.find('aplikasi.')
    const to = live.find('dibangun') + 'dibangun'.length
    expect(quoteOf(live.doc, from, to)).toBe('aplikasi.\nAplikasi dibangun')
    live.edit((tr) => tr.insert(live.find(' tentang data'), schema.nodes.rujukan!.create({ targets: [live.pasalId(0)] })))
    const at = live.find('kedua')
    expect(quoteOf(live.doc, at, at + 'kedua'.length + 1 + 1)).toBe('kedua\ufffc ')
  })

  it('applies where its positions frame the quoted text, also after edits before it', () => {
    const live = new Draft()
    const from = live.find('dapat')
    const suggestion = live.suggestion(0, from, from + 'dapat'.length)
    live.edit((tr) => tr.insert(live.find('Perangkat'), schema.text('Setiap ')))
    const placed = live.place(suggestion, false)
    expect(placed).toMatchObject({ status: 'applies' })
    if (placed.status === 'applies') expect(live.doc.textBetween(placed.from, placed.to)).toBe('dapat')
  })

  it('is stale, with what the range reads now, once its text was edited; open again when the edit is undone', () => {
    const live = new Draft()
    const from = live.find('dapat')
    const suggestion = live.suggestion(0, from, from + 'dapat membangun'.length)
    live.edit((tr) => tr.insert(live.find('membangun'), schema.text('tidak ')))
    expect(live.place(suggestion, true)).toEqual({ status: 'stale', current: 'dapat tidak membangun' })
    live.edit((tr) => tr.delete(live.find('tidak '), live.find('tidak ') + 'tidak '.length))
    expect(live.place(suggestion, false)).toMatchObject({ status: 'applies' })
  })

  it('is stale when its Pasal is gone', () => {
    const live = new Draft()
    const from = live.find('kedua')
    const suggestion = live.suggestion(1, from, from + 5)
    const label = numberDocument(live.doc).byId.get(live.pasalId(1))!
    live.edit((tr) => tr.delete(label.pos, label.pos + live.doc.nodeAt(label.pos)!.nodeSize))
    expect(live.place(suggestion, true)).toEqual({ status: 'stale', current: '' })
  })

  it('finds the quote again after its Pasal was moved (new Yjs items, same id) only when it occurs once there', () => {
    const live = new Draft()
    const unique = live.suggestion(0, live.find('membangun'), live.find('membangun') + 'membangun'.length)
    const twice = live.suggestion(0, live.find('plikasi', 1), live.find('plikasi', 1) + 'plikasi'.length)
    // Move Pasal 1 after Pasal 2 by rewriting the container, as a cut and paste does.
    const y = live.fragment
    const batang = y.get(2) as Y.XmlElement
    const babEl = batang.get(0) as Y.XmlElement
    live.ydoc.transact(() => {
      const moved = (babEl.get(1) as Y.XmlElement).clone()
      babEl.delete(1, 1)
      babEl.insert(2, [moved])
    })
    expect(numberDocument(live.doc).byId.get(unique.anchor.pasalId)!.label).toBe('Pasal 2')
    expect(live.place(unique, false)).toMatchObject({ status: 'stale' })
    const placed = live.place(unique, true)
    expect(placed).toMatchObject({ status: 'applies' })
    if (placed.status === 'applies') expect(live.doc.textBetween(placed.from, placed.to)).toBe('membangun')
    // "plikasi" occurs in both ayat: the server would have to guess, so it does not.
    expect(live.place(twice, true)).toMatchObject({ status: 'stale' })
  })

  it('follows a phrase whose positions collapsed on a split only to a single match after the collapse point', () => {
    const live = new Draft()
    const from = live.find('membangun')
    const suggestion = live.suggestion(0, from, from + 'membangun aplikasi'.length)
    // Split ayat (1) before the phrase: y-prosemirror rewrites the tail as new items.
    live.edit((tr) => tr.split(live.find('membangun'), 2, [{ type: schema.nodes.ayat!, attrs: { id: 'baru' } }]))
    expect(live.place(suggestion, false)).toEqual({ status: 'stale', current: '' })
    const placed = live.place(suggestion, true)
    expect(placed).toMatchObject({ status: 'applies' })
    if (placed.status === 'applies') expect(quoteOf(live.doc, placed.from, placed.to)).toBe('membangun aplikasi')
    // Had the phrase also been before the collapse point, that one would not count.
    live.edit((tr) => tr.insert(live.find('Perangkat'), schema.text('membangun aplikasi ')))
    expect(live.place(suggestion, true)).toMatchObject({ status: 'applies' })
  })

  it('places an insertion at its point, and a deletePasal on the whole Pasal', () => {
    const live = new Draft()
    const at = live.find('aplikasi.')
    const insertion = live.suggestion(0, at, at)
    expect(insertion.anchor.range.quote).toBe('')
    expect(live.place(insertion, false)).toMatchObject({ status: 'applies', from: at, to: at })
    const label = numberDocument(live.doc).byId.get(live.pasalId(1))!
    expect(live.place({ ...insertion, kind: 'deletePasal', anchor: { ...insertion.anchor, pasalId: live.pasalId(1) } }, false)).toEqual({
      status: 'applies',
      pasalPos: label.pos,
      from: label.pos,
      to: label.pos + live.doc.nodeAt(label.pos)!.nodeSize,
    })
  })
})
