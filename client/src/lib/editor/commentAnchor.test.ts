import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { initProseMirrorDoc, updateYFragment } from 'y-prosemirror'
import { EditorState, TextSelection, type Command } from 'prosemirror-state'
import type { Node } from 'prosemirror-model'
import { bab, pasal, regulation } from '../../../../shared/model/builders.js'
import { encodeDocument, FRAGMENT, toProsemirror } from '../../../../shared/model/ydoc.js'
import { numberDocument } from '../../../../shared/model/numbering.js'
import { schema } from '../../../../shared/model/schema.js'
import { isRelativePosition, positionToRelative, relativeToPosition, resolveAnchor, type AnchorState } from '../../../../shared/anchors.js'
import type { Anchor } from '../../../../shared/comments.js'
import { deletePasal, insertPasal, movePasal, splitAyat } from './commands.js'

/**
 * Comment anchors (issue 4): a thread hangs on a Pasal by id, optionally on a phrase held by Yjs
 * relative positions plus its quote. Every edit below is made the way the editor makes it — a
 * ProseMirror command whose result y-prosemirror writes into the Yjs fragment — or as a concurrent
 * Yjs edit from a second replica.
 */

const PHRASE = 'layanan digital yang aman'
const TARGET_TEXT = `Perangkat Daerah wajib menyediakan ${PHRASE} bagi masyarakat.`

const draft = regulation({
  nama: 'UJI KOMENTAR',
  menimbang: ['bahwa komentar perlu diuji;', 'bahwa jangkar komentar perlu diuji;'],
  mengingat: ['Undang-Undang Nomor 23 Tahun 2014 tentang Pemerintahan Daerah;'],
  batangTubuh: [
    bab(
      'KETENTUAN UMUM',
      pasal('Pasal pertama mengatur ruang lingkup.'),
      pasal('Pasal kedua mengatur asas.'),
      pasal(TARGET_TEXT, 'Ayat kedua pasal ketiga.'),
    ),
    bab(
      'KETENTUAN PENUTUP',
      pasal('Peraturan Gubernur ini mulai berlaku pada tanggal diundangkan.'),
      pasal(`Dinas menyusun rencana ${PHRASE}.`, `Setiap Perangkat Daerah wajib memastikan ${PHRASE} tersedia bagi warga.`),
    ),
  ],
})
const UPDATE = encodeDocument(draft)

/** A replica of the draft (every replica shares the same Yjs items, so anchors are portable). */
function replica(): Y.Doc {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, UPDATE)
  return doc
}

const fragmentOf = (doc: Y.Doc) => doc.getXmlFragment(FRAGMENT)

/** Exchanges everything two replicas lack from each other (a merge through the server). */
function merge(a: Y.Doc, b: Y.Doc) {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)))
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)))
}

/** Id of the Pasal whose text contains `text`. */
function pasalIdWith(doc: Y.Doc, text: string): string {
  const pm = toProsemirror(doc)
  let id: string | null = null
  pm.descendants((node) => {
    if (id) return false
    if (node.type.name === 'pasal' && node.textContent.includes(text)) id = node.attrs.id as string
    return node.type.name !== 'pasal'
  })
  if (!id) throw new Error(`no pasal with "${text}"`)
  return id
}

/** ProseMirror position range of the first occurrence of `text` inside one text block. */
function rangeOf(pm: Node, text: string): { from: number; to: number } {
  let found: { from: number; to: number } | null = null
  pm.descendants((node, pos) => {
    if (found) return false
    if (!node.isTextblock) return true
    const index = node.textContent.indexOf(text)
    if (index >= 0) found = { from: pos + 1 + index, to: pos + 1 + index + text.length }
    return false
  })
  if (!found) throw new Error(`"${text}" is not in the document`)
  return found
}

/**
 * The anchor the editor makes for a selected phrase (start associates right, end left:
 * commentAnchor.ts); `context` picks the occurrence inside a longer stretch of text.
 */
function anchorOn(doc: Y.Doc, phrase: string, context = phrase): Anchor {
  const pm = toProsemirror(doc)
  const from = rangeOf(pm, context).from + context.indexOf(phrase)
  const to = from + phrase.length
  const start = positionToRelative(fragmentOf(doc), pm, from, 0)
  const end = positionToRelative(fragmentOf(doc), pm, to, -1)
  if (!start || !end) throw new Error('no relative position')
  return { pasalId: pasalIdWith(doc, context), range: { from: start, to: end, quote: phrase } }
}

/** Where the anchor is now in `doc`, and the text its range covers. */
function resolve(doc: Y.Doc, anchor: Anchor): { state: AnchorState; text: string | null; pm: Node } {
  const pm = toProsemirror(doc)
  const state = resolveAnchor(anchor, pm, numberDocument(pm), doc, fragmentOf(doc))
  const text = state.status === 'attached' && state.range ? pm.textBetween(state.range.from, state.range.to) : null
  return { state, text, pm }
}

/** The range the relative positions alone give, without the quote fallback. */
function relativeRange(doc: Y.Doc, anchor: Anchor): { from: number | null; to: number | null; text: string | null } {
  const pm = toProsemirror(doc)
  const from = relativeToPosition(doc, fragmentOf(doc), pm, anchor.range!.from)
  const to = relativeToPosition(doc, fragmentOf(doc), pm, anchor.range!.to)
  return { from, to, text: from !== null && to !== null && from < to ? pm.textBetween(from, to) : null }
}

/**
 * Runs an editor command with the cursor at `cursor` (a ProseMirror position) and writes the result
 * into the Yjs fragment exactly as y-prosemirror's sync plugin does: the ProseMirror document is
 * built with `initProseMirrorDoc` (which records the Yjs ↔ ProseMirror mapping) and the new
 * document is diffed back into the fragment with `updateYFragment`, in one Yjs transaction.
 */
function editLikeEditor(doc: Y.Doc, cursor: (pm: Node) => number, command: Command) {
  const fragment = fragmentOf(doc)
  const { doc: pm, meta } = initProseMirrorDoc(fragment, schema)
  let state = EditorState.create({ schema, doc: pm })
  state = state.apply(state.tr.setSelection(TextSelection.create(pm, cursor(pm))))
  let next: Node | null = null
  const applied = command(state, (tr) => (next = tr.doc))
  if (!applied || !next) throw new Error('the command did not apply')
  const changed: Node = next
  doc.transact(() => updateYFragment(doc, fragment, changed, meta), 'editor')
}

/** Position just inside the first text block of the Pasal with `text`. */
const inPasalWith = (text: string) => (pm: Node) => rangeOf(pm, text).from

const attachedLabel = (state: AnchorState) => (state.status === 'attached' ? state.pasalLabel : null)

/** The state of an anchor that must be attached (fails the test otherwise). */
function attached(state: AnchorState): Extract<AnchorState, { status: 'attached' }> {
  if (state.status !== 'attached') throw new Error(`expected an attached anchor, got ${JSON.stringify(state)}`)
  return state
}

describe('a range anchor made from a selection', () => {
  it('resolves to the selected phrase in its Pasal, by relative positions', () => {
    const doc = replica()
    const anchor = anchorOn(doc, PHRASE)
    expect(isRelativePosition(anchor.range!.from)).toBe(true)
    expect(isRelativePosition(anchor.range!.to)).toBe(true)

    const { state, text } = resolve(doc, anchor)
    expect(state).toMatchObject({ status: 'attached', pasalLabel: 'Pasal 3' })
    expect(text).toBe(PHRASE)
    expect(relativeRange(doc, anchor).text).toBe(PHRASE)
  })

  it('gives no relative position for a position outside any text block', () => {
    const doc = replica()
    const pm = toProsemirror(doc)
    const pasalPos = numberDocument(pm).labels.find((l) => l.kind === 'pasal')!.pos
    expect(positionToRelative(fragmentOf(doc), pm, pasalPos, 0)).toBeNull()
  })

  it('resolves a Pasal-only anchor to its Pasal without a range', () => {
    const doc = replica()
    const { state } = resolve(doc, { pasalId: pasalIdWith(doc, PHRASE) })
    expect(state).toEqual({ status: 'attached', pasalLabel: 'Pasal 3', pasalPos: expect.any(Number) })
  })
})

describe('an anchor follows its Pasal through structural edits', () => {
  it('keeps the same Pasal and phrase when a Pasal is inserted before it, while its label becomes Pasal 4', () => {
    const doc = replica()
    const anchor = anchorOn(doc, PHRASE)
    editLikeEditor(doc, inPasalWith('Pasal pertama'), insertPasal)

    const { state, text, pm } = resolve(doc, anchor)
    expect(attachedLabel(state)).toBe('Pasal 4')
    expect(state.status === 'attached' && pm.nodeAt(state.pasalPos)!.attrs.id).toBe(anchor.pasalId)
    expect(text).toBe(PHRASE)
  })

  it('follows a Pasal moved with the editor command (deleted and inserted again with the same id) to its new place and number', () => {
    const doc = replica()
    const anchor = anchorOn(doc, PHRASE)
    // Pasal 3 is the last of BAB I: moving it down takes it into BAB II, moving again swaps it past Pasal 4.
    editLikeEditor(doc, inPasalWith(PHRASE), movePasal(1))
    editLikeEditor(doc, inPasalWith(PHRASE), movePasal(1))

    const { state, text, pm } = resolve(doc, anchor)
    expect(numberDocument(pm).byId.get(pasalIdWith(doc, 'Peraturan Gubernur ini mulai berlaku'))!.label).toBe('Pasal 3')
    expect(attachedLabel(state)).toBe('Pasal 4')
    expect(text).toBe(PHRASE)
    // The move deletes the Pasal's Yjs items and inserts new ones (with the same id), so the relative
    // positions point into deleted text and give nothing; the quote finds the phrase in the Pasal.
    expect(relativeRange(doc, anchor)).toEqual({ from: null, to: null, text: null })
  })

  it('orphans the thread with reason pasal-deleted when its Pasal is deleted', () => {
    const doc = replica()
    const anchor = anchorOn(doc, PHRASE)
    const pasalOnly: Anchor = { pasalId: anchor.pasalId }
    editLikeEditor(doc, inPasalWith(PHRASE), deletePasal)

    expect(resolve(doc, anchor).state).toEqual({ status: 'orphaned', reason: 'pasal-deleted' })
    expect(resolve(doc, pasalOnly).state).toEqual({ status: 'orphaned', reason: 'pasal-deleted' })
  })

  it('orphans an anchor whose id names no Pasal (an ayat id, or an unknown one) as pasal-deleted', () => {
    const doc = replica()
    const pm = toProsemirror(doc)
    const ayatId = numberDocument(pm).labels.find((l) => l.kind === 'ayat')!.id!
    expect(resolve(doc, { pasalId: ayatId }).state).toEqual({ status: 'orphaned', reason: 'pasal-deleted' })
    expect(resolve(doc, { pasalId: 'takadapasalini' }).state).toEqual({ status: 'orphaned', reason: 'pasal-deleted' })
  })
})

describe('a range anchor under concurrent text edits from another replica', () => {
  it('follows its phrase when text is typed before it in the same ayat, on both replicas after the merge', () => {
    const alice = replica()
    const bob = replica()
    const anchor = anchorOn(alice, PHRASE)
    const bobText = teksOf(bob, PHRASE)
    bobText.insert(0, 'Mulai tahun 2027, ')
    // Meanwhile Alice edits the same ayat after the phrase.
    teksOf(alice, PHRASE).insert(TARGET_TEXT.length - 1, ' di seluruh kabupaten')
    merge(alice, bob)

    for (const doc of [alice, bob]) {
      const { state, text, pm } = resolve(doc, anchor)
      expect(attachedLabel(state)).toBe('Pasal 3')
      expect(text).toBe(PHRASE)
      expect(relativeRange(doc, anchor).text).toBe(PHRASE)
      expect(pm.textContent).toContain(`Mulai tahun 2027, Perangkat Daerah wajib menyediakan ${PHRASE} bagi masyarakat di seluruh kabupaten.`)
    }
  })

  it('follows its phrase when a Pasal is inserted before it concurrently, on both replicas after the merge', () => {
    const alice = replica()
    const bob = replica()
    const anchor = anchorOn(alice, PHRASE)
    editLikeEditor(bob, inPasalWith('Pasal kedua'), insertPasal)
    teksOf(alice, PHRASE).insert(0, 'Dalam hal ini, ')
    merge(alice, bob)

    for (const doc of [alice, bob]) {
      const { state, text } = resolve(doc, anchor)
      expect(attachedLabel(state)).toBe('Pasal 4')
      expect(text).toBe(PHRASE)
    }
  })

  it('covers the edited phrase when a word is typed inside the range concurrently, instead of losing the thread', () => {
    const alice = replica()
    const bob = replica()
    const anchor = anchorOn(alice, PHRASE)
    // Bob inserts "terpadu " inside the phrase: "layanan digital terpadu yang aman".
    const inside = TARGET_TEXT.indexOf(PHRASE) + 'layanan digital '.length
    teksOf(bob, PHRASE).insert(inside, 'terpadu ')
    merge(alice, bob)

    const expected = 'layanan digital terpadu yang aman'
    // The relative positions frame the edited phrase…
    expect(relativeRange(alice, anchor).text).toBe(expected)
    // …and the anchor must stay on it: the phrase was edited, not deleted.
    for (const doc of [alice, bob]) {
      const { state, text } = resolve(doc, anchor)
      expect(state.status).toBe('attached')
      expect(text).toBe(expected)
    }
  })

  it('orphans the thread with reason range-deleted when the phrase is deleted, while its Pasal stays', () => {
    const alice = replica()
    const bob = replica()
    const anchor = anchorOn(alice, PHRASE)
    const start = TARGET_TEXT.indexOf(PHRASE)
    teksOf(bob, PHRASE).delete(start, PHRASE.length + 1)
    merge(alice, bob)

    for (const doc of [alice, bob]) {
      expect(resolve(doc, anchor).state).toEqual({ status: 'orphaned', reason: 'range-deleted' })
      // The Pasal itself is still there: a Pasal-only anchor on it still resolves.
      expect(attachedLabel(resolve(doc, { pasalId: anchor.pasalId }).state)).toBe('Pasal 3')
    }
  })
})

describe('a range anchor across an ayat split (Enter, as the editor does it; y-prosemirror #44)', () => {
  it('finds the phrase in the new ayat when the ayat is split before it, although the relative positions collapse', () => {
    const doc = replica()
    const anchor = anchorOn(doc, PHRASE)
    // Enter right after "wajib ": the phrase moves into a new ayat.
    editLikeEditor(doc, (pm) => rangeOf(pm, 'menyediakan').from, splitAyat)

    const { state, text, pm } = resolve(doc, anchor)
    expect(attachedLabel(state)).toBe('Pasal 3')
    expect(text).toBe(PHRASE)
    // The phrase is now in the second ayat of Pasal 3.
    const pasalNode = pm.nodeAt(attached(state).pasalPos)!
    expect(pasalNode.child(1).textContent).toBe(`menyediakan ${PHRASE} bagi masyarakat.`)

    // What y-prosemirror does (#44): updateYFragment deletes the tail from the old Y.XmlText and
    // inserts it as new items in a new ayat. Both relative positions pointed into the tail, whose
    // items are now deleted, so both collapse onto the split point at the end of the first ayat;
    // they no longer frame any text. resolveAnchor recovers the phrase through its quote.
    const relative = relativeRange(doc, anchor)
    expect(relative.from).not.toBeNull()
    expect(relative.from).toBe(relative.to)
    expect(relative.text).toBeNull()
    expect(relative.from).toBe(rangeOf(pm, 'Perangkat Daerah wajib ').to)
  })

  it('keeps the phrase by its relative positions when the ayat is split after it', () => {
    const doc = replica()
    const anchor = anchorOn(doc, PHRASE)
    editLikeEditor(doc, (pm) => rangeOf(pm, 'bagi masyarakat').from, splitAyat)

    const { state, text } = resolve(doc, anchor)
    expect(attachedLabel(state)).toBe('Pasal 3')
    expect(text).toBe(PHRASE)
    // The head of the ayat keeps its Yjs items, so the positions themselves still frame the phrase.
    expect(relativeRange(doc, anchor).text).toBe(PHRASE)
  })

  it('keeps the thread on its Pasal when the ayat is split inside the phrase (the text is split, not deleted)', () => {
    const doc = replica()
    const anchor = anchorOn(doc, PHRASE)
    editLikeEditor(doc, (pm) => rangeOf(pm, 'yang aman').from, splitAyat)

    const { state, text } = resolve(doc, anchor)
    expect(attachedLabel(state)).toBe('Pasal 3')
    // Whatever is highlighted is part of the phrase (its head stays framed by the start position).
    if (text !== null) expect(PHRASE).toContain(text.trim())
  })

  it('stays on its own occurrence of a phrase that also appears earlier in the Pasal when the ayat is split before it', () => {
    const doc = replica()
    const context = `memastikan ${PHRASE} tersedia`
    const anchor = anchorOn(doc, PHRASE, context)
    expect(resolve(doc, anchor).state).toMatchObject({ status: 'attached', pasalLabel: 'Pasal 5' })
    editLikeEditor(doc, (pm) => rangeOf(pm, context).from + 'memastikan '.length, splitAyat)

    const { state, text, pm } = resolve(doc, anchor)
    expect(attachedLabel(state)).toBe('Pasal 5')
    expect(text).toBe(PHRASE)
    // The highlighted phrase is the one now opening ayat (3), not the one in ayat (1).
    const { pasalPos, range } = attached(state)
    const pasalNode = pm.nodeAt(pasalPos)!
    expect(pasalNode.child(2).textContent).toBe(`${PHRASE} tersedia bagi warga.`)
    const ayat3 = pasalPos + 1 + pasalNode.child(0).nodeSize + pasalNode.child(1).nodeSize
    expect(range!.from).toBeGreaterThan(ayat3)
  })

  it('finds the phrase after a split made on one replica while another edits the same ayat', () => {
    const alice = replica()
    const bob = replica()
    const anchor = anchorOn(alice, PHRASE)
    editLikeEditor(bob, (pm) => rangeOf(pm, 'menyediakan').from, splitAyat)
    teksOf(alice, PHRASE).insert(0, 'Untuk itu, ')
    merge(alice, bob)

    for (const doc of [alice, bob]) {
      const { state, text } = resolve(doc, anchor)
      expect(attachedLabel(state)).toBe('Pasal 3')
      expect(text).toBe(PHRASE)
    }
  })
})

/** The Y.XmlText of the text block holding `text`. */
function teksOf(doc: Y.Doc, text: string): Y.XmlText {
  const walk = (node: Y.XmlElement | Y.XmlFragment): Y.XmlText | null => {
    for (const child of node.toArray()) {
      if (child instanceof Y.XmlText && child.toString().includes(text)) return child
      if (child instanceof Y.XmlElement) {
        const found = walk(child)
        if (found) return found
      }
    }
    return null
  }
  const found = walk(fragmentOf(doc))
  if (!found) throw new Error(`no text "${text}"`)
  return found
}
