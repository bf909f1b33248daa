import { afterEach, describe, expect, it, vi } from 'vitest'
import * as Y from 'yjs'
import { PasalChanges } from './changes.js'

/** A fragment with one BAB holding one Pasal per text, ids p1, p2, …; each Pasal one ayat of text. */
function draft(texts: readonly string[]) {
  const doc = new Y.Doc()
  const fragment = doc.getXmlFragment('prosemirror')
  const bab = new Y.XmlElement('bab')
  fragment.insert(0, [bab])
  bab.insert(
    0,
    texts.map((text, i) => {
      const pasal = new Y.XmlElement('pasal')
      pasal.setAttribute('id', `p${i + 1}`)
      const ayat = new Y.XmlElement('ayat')
      ayat.insert(0, [new Y.XmlText(text)])
      pasal.insert(0, [ayat])
      return pasal
    }),
  )
  const changes = new PasalChanges(fragment)
  const pasal = (i: number) => bab.get(i) as Y.XmlElement
  const textOf = (i: number) => (pasal(i).get(0) as Y.XmlElement).get(0) as Y.XmlText
  /** The Pasal ids `edit` changed, as one transaction. */
  const changedBy = (edit: () => void): string[] => {
    let seen: Set<string> = new Set()
    const listener = (transaction: Y.Transaction) => (seen = changes.changedBy(transaction))
    doc.on('afterTransaction', listener)
    doc.transact(edit)
    doc.off('afterTransaction', listener)
    return [...seen].sort()
  }
  return { bab, pasal, textOf, changedBy }
}

/** Swaps two Pasal as y-prosemirror may write a move: both elements rewritten in place. */
function swapInPlace(a: Y.XmlElement, b: Y.XmlElement, textA: Y.XmlText, textB: Y.XmlText) {
  const [idA, idB] = [a.getAttribute('id')!, b.getAttribute('id')!]
  const [contentA, contentB] = [textA.toString(), textB.toString()]
  a.setAttribute('id', idB)
  b.setAttribute('id', idA)
  textA.delete(0, textA.length)
  textA.insert(0, contentB)
  textB.delete(0, textB.length)
  textB.insert(0, contentA)
}

describe('which Pasal a transaction changed', () => {
  afterEach(() => vi.restoreAllMocks())

  it('typing in a Pasal changes that Pasal only', () => {
    const { textOf, changedBy } = draft(['Pasal satu.', 'Pasal dua.'])
    expect(changedBy(() => textOf(1).insert(0, 'Ubah '))).toEqual(['p2'])
  })

  it('typing does not render the Pasal to compare it, however long it is', () => {
    const { textOf, changedBy } = draft(['x'.repeat(100_000), 'Pasal dua.'])
    const renderedText = vi.spyOn(Y.XmlText.prototype as { toString(): string }, 'toString')
    const renderedElement = vi.spyOn(Y.XmlElement.prototype as { toString(): string }, 'toString')
    for (let i = 0; i < 20; i++) expect(changedBy(() => textOf(0).insert(i, 'a'))).toEqual(['p1'])
    expect(renderedText).not.toHaveBeenCalled()
    expect(renderedElement).not.toHaveBeenCalled()
  })

  it('a move written as two Pasal rewritten in place changes nothing', () => {
    const { pasal, textOf, changedBy } = draft(['Pasal satu.', 'Pasal dua.'])
    expect(changedBy(() => swapInPlace(pasal(0), pasal(1), textOf(0), textOf(1)))).toEqual([])
  })

  it('a Pasal typed in and then moved counts as changed: it was edited since last compared', () => {
    const { pasal, textOf, changedBy } = draft(['Pasal satu.', 'Pasal dua.'])
    changedBy(() => textOf(0).insert(0, 'Ubah '))
    expect(changedBy(() => swapInPlace(pasal(0), pasal(1), textOf(0), textOf(1)))).toEqual(['p1'])
    // Compared again from then on: moving it back changes nothing.
    expect(changedBy(() => swapInPlace(pasal(0), pasal(1), textOf(0), textOf(1)))).toEqual([])
  })

  it('a Pasal element replaced under the same id with other text is changed; a new Pasal is not', () => {
    const { bab, changedBy } = draft(['Pasal satu.', 'Pasal dua.'])
    const replacement = (id: string, text: string) => {
      const pasal = new Y.XmlElement('pasal')
      pasal.setAttribute('id', id)
      const ayat = new Y.XmlElement('ayat')
      ayat.insert(0, [new Y.XmlText(text)])
      pasal.insert(0, [ayat])
      return pasal
    }
    expect(
      changedBy(() => {
        bab.delete(0, 1)
        bab.insert(0, [replacement('p1', 'Isi lain.')])
        bab.insert(2, [replacement('p3', 'Pasal baru.')])
      }),
    ).toEqual(['p1'])
  })
})
