import type { Node } from 'prosemirror-model'
import { numberDocument, type Label, type Numbering } from '../../shared/model/numbering.js'
import { contextAt, renderReference } from '../../shared/model/references.js'
import { isUnitId } from '../../shared/model/schema.js'
import { withoutUnprintable } from '../../shared/text.js'
import type { DraftMeta } from '../../shared/documents.js'
import { wordingOf, type Wording } from '../../shared/model/wording.js'

/**
 * A regulation ready to be laid out: every number derived, every live reference turned into its
 * words (and the id it points at), nothing left that needs the editor. The DOCX, Akoma Ntoso and
 * HTML exports all read this, so they agree with each other and with the screen. Its text holds
 * only characters XML 1.0 can carry and its ids only id characters, whatever the stored document
 * holds (data older than the schema firewall), so every export is well-formed.
 */

export interface Run {
  readonly text: string
  readonly italic: boolean
  readonly bold: boolean
  /** For a live reference: the unit it points at (the first target), for a link. */
  readonly ref?: { readonly targetId: string; readonly targetKind: Label['kind'] }
}

export interface Item {
  readonly id: string | null
  /** "a.", "1.", "(2)"; empty when the rules omit it. */
  readonly label: string
  readonly content: readonly Content[]
}

export type Content = { readonly kind: 'teks'; readonly runs: readonly Run[] } | { readonly kind: 'rincian'; readonly items: readonly Item[] }

export interface Pasal {
  readonly kind: 'pasal'
  readonly id: string | null
  readonly number: number
  readonly label: string
  readonly ayat: readonly Item[]
}

export interface Division {
  readonly kind: 'bab' | 'bagian' | 'paragraf'
  readonly id: string | null
  readonly number: number
  /** "BAB II", "Bagian Kesatu", "Paragraf 1". */
  readonly label: string
  readonly title: readonly Run[]
  readonly children: ReadonlyArray<Division | Pasal>
}

export interface Regulation {
  readonly meta: DraftMeta
  /** Everything that follows from the metadata: the judul lines, jabatan, Menetapkan, the penutup blocks (SPEC S17). */
  readonly wording: Wording
  readonly nama: readonly Run[]
  readonly menimbang: readonly Item[]
  readonly mengingat: readonly Item[]
  readonly bab: readonly Division[]
  /** The drafters' closing paragraphs, after the order to promulgate. */
  readonly penutup: ReadonlyArray<readonly Run[]>
  /** Whether the draft has its signature block (and with it the order to promulgate and the gazette line). */
  readonly signed: boolean
  /** Labels by id, for resolving reference targets to numbers (e.g. AKN eIds). */
  readonly numbering: Numbering
}

function runsOf(block: Node, blockPos: number, doc: Node, numbering: Numbering): Run[] {
  const runs: Run[] = []
  block.forEach((child, offset) => {
    const italic = child.marks.some((m) => m.type.name === 'em')
    const bold = child.marks.some((m) => m.type.name === 'strong')
    if (child.isText) {
      runs.push({ text: withoutUnprintable(child.text!), italic, bold })
    } else if (child.type.name === 'rujukan') {
      // Each unit a reference names becomes its own linked run ("Pasal 6" and "Pasal 7").
      const rendered = renderReference(child, contextAt(doc, blockPos + 1 + offset, numbering), numbering)
      for (const segment of rendered.segments) {
        const target = segment.targetId ? numbering.byId.get(segment.targetId) : undefined
        runs.push({
          text: segment.text,
          italic,
          bold,
          ...(target && segment.targetId ? { ref: { targetId: segment.targetId, targetKind: target.kind } } : {}),
        })
      }
    }
  })
  return runs
}

/** The regulation `doc` holds, with the parts that follow from `meta` (which the API checked) worded from it. */
export function toRegulation(doc: Node, meta: DraftMeta): Regulation {
  const numbering = numberDocument(doc)
  const labelAt = new Map(numbering.labels.map((l) => [l.pos, l]))
  const label = (pos: number) => labelAt.get(pos)?.label ?? ''
  const number = (pos: number) => labelAt.get(pos)?.number ?? 0
  const id = (node: Node) => (isUnitId(node.attrs.id) ? node.attrs.id : null)

  const content = (node: Node, pos: number): Content[] => {
    const out: Content[] = []
    node.forEach((child, offset) => {
      const childPos = pos + 1 + offset
      if (child.type.name === 'teks') out.push({ kind: 'teks', runs: runsOf(child, childPos, doc, numbering) })
      if (child.type.name === 'rincian') out.push({ kind: 'rincian', items: items(child, childPos) })
    })
    return out
  }
  const items = (list: Node, pos: number): Item[] => {
    const out: Item[] = []
    list.forEach((item, offset) => {
      const itemPos = pos + 1 + offset
      out.push({ id: id(item), label: label(itemPos), content: content(item, itemPos) })
    })
    return out
  }
  const pasal = (node: Node, pos: number): Pasal => {
    const ayat: Item[] = []
    node.forEach((child, offset) => {
      const childPos = pos + 1 + offset
      ayat.push({ id: id(child), label: label(childPos), content: content(child, childPos) })
    })
    return { kind: 'pasal', id: id(node), number: number(pos), label: label(pos), ayat }
  }
  const division = (node: Node, pos: number): Division => {
    const children: Array<Division | Pasal> = []
    let title: Run[] = []
    node.forEach((child, offset) => {
      const childPos = pos + 1 + offset
      if (child.isTextblock) title = runsOf(child, childPos, doc, numbering)
      else if (child.type.name === 'pasal') children.push(pasal(child, childPos))
      else children.push(division(child, childPos))
    })
    return { kind: node.type.name as Division['kind'], id: id(node), number: number(pos), label: label(pos), title, children }
  }
  const listItems = (list: Node, pos: number): Item[] => {
    const out: Item[] = []
    list.forEach((item, offset) => {
      const itemPos = pos + 1 + offset
      out.push({ id: null, label: label(itemPos), content: [{ kind: 'teks', runs: runsOf(item, itemPos, doc, numbering) }] })
    })
    return out
  }

  const [judul, pembukaan, batangTubuh, penutup] = [doc.child(0), doc.child(1), doc.child(2), doc.child(3)]
  const nama = runsOf(judul.child(0), 1, doc, numbering)
  const pembukaanPos = judul.nodeSize
  const childPos = (parent: Node, parentPos: number, index: number) => {
    let pos = parentPos + 1
    for (let i = 0; i < index; i++) pos += parent.child(i).nodeSize
    return pos
  }
  const batangPos = pembukaanPos + pembukaan.nodeSize
  const penutupPos = batangPos + batangTubuh.nodeSize
  const bab: Division[] = []
  batangTubuh.forEach((child, offset) => bab.push(division(child, batangPos + 1 + offset)))
  const closing: Run[][] = []
  let signed = false
  penutup.forEach((child, offset) => {
    if (child.type.name === 'teks') closing.push(runsOf(child, penutupPos + 1 + offset, doc, numbering))
    if (child.type.name === 'penandatanganan') signed = true
  })
  return {
    meta,
    wording: wordingOf(meta, plainText(nama)),
    nama,
    menimbang: listItems(pembukaan.child(0), childPos(pembukaan, pembukaanPos, 0)),
    mengingat: listItems(pembukaan.child(1), childPos(pembukaan, pembukaanPos, 1)),
    bab,
    penutup: closing,
    signed,
    numbering,
  }
}

/** Plain text of runs. */
export const plainText = (runs: readonly Run[]) => runs.map((r) => r.text).join('')
