import * as Y from 'yjs'
import { FRAGMENT, toProsemirror } from '../../shared/model/ydoc.js'
import { numberDocument } from '../../shared/model/numbering.js'

/** Every `pasal` element of a Yjs document, in document order (walking the y-prosemirror tree). */
export function pasalElements(doc: Y.Doc): Y.XmlElement[] {
  const out: Y.XmlElement[] = []
  const walk = (node: Y.XmlElement | Y.XmlFragment) => {
    for (const child of node.toArray()) {
      if (!(child instanceof Y.XmlElement)) continue
      if (child.nodeName === 'pasal') out.push(child)
      else walk(child)
    }
  }
  walk(doc.getXmlFragment(FRAGMENT))
  return out
}

/** The Y.XmlText of the first `teks` of ayat `ayatIndex` (0-based) of a pasal. */
export function ayatText(pasal: Y.XmlElement, ayatIndex = 0): Y.XmlText {
  const ayat = pasal.get(ayatIndex) as Y.XmlElement
  const teks = ayat.get(0) as Y.XmlElement
  return teks.get(0) as Y.XmlText
}

/** Pasal `number` (1-based, as the reader sees it). */
export function pasal(doc: Y.Doc, number: number): Y.XmlElement {
  const element = pasalElements(doc)[number - 1]
  if (!element) throw new Error(`no Pasal ${number}`)
  return element
}

/** The document as ProseMirror JSON, to compare replicas exactly. */
export const contentOf = (doc: Y.Doc) => toProsemirror(doc).toJSON() as unknown

/** "Pasal 1", "Pasal 2", … as numbered from the current structure. */
export const pasalLabels = (doc: Y.Doc) =>
  numberDocument(toProsemirror(doc))
    .labels.filter((l) => l.kind === 'pasal')
    .map((l) => l.label)

/** Inserts a copy-like new pasal (one ayat with `text`) after pasal element `after`. */
export function insertPasalAfter(after: Y.XmlElement, id: string, text: string): Y.XmlElement {
  const parent = after.parent as Y.XmlElement
  const index = parent.toArray().indexOf(after)
  const pasalEl = new Y.XmlElement('pasal')
  pasalEl.setAttribute('id', id)
  const ayatEl = new Y.XmlElement('ayat')
  ayatEl.setAttribute('id', `${id}-a1`)
  const teks = new Y.XmlElement('teks')
  teks.insert(0, [new Y.XmlText(text)])
  ayatEl.insert(0, [teks])
  pasalEl.insert(0, [ayatEl])
  parent.insert(index + 1, [pasalEl])
  return pasalEl
}
