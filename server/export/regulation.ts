import type { Node } from 'prosemirror-model'
import { explainedPasal, numberDocument, PASAL_DIHAPUS, type Label, type Numbering } from '../../shared/model/numbering.js'
import { contextAt, renderReference } from '../../shared/model/references.js'
import { isUnitId } from '../../shared/model/schema.js'
import { withoutUnprintable } from '../../shared/text.js'
import { NO_REVISIONS, reviseRuns, type InsertedUnits, type Piece, type Revision, type Revisions } from './revisions.js'
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
  /** A proposed change (an open suggestion) this run belongs to. */
  readonly revision?: { readonly kind: 'ins' | 'del' } & Revision
}

export interface Item {
  readonly id: string | null
  /** "a.", "1.", "(2)"; empty when the rules omit it. */
  readonly label: string
  readonly content: readonly Content[]
  /** Units proposed after this one (ayat or butir). */
  readonly inserted?: readonly InsertedUnits[]
}

export type Content = { readonly kind: 'teks'; readonly runs: readonly Run[] } | { readonly kind: 'rincian'; readonly items: readonly Item[] }

export interface Pasal {
  readonly kind: 'pasal'
  readonly id: string | null
  readonly number: number
  readonly label: string
  readonly ayat: readonly Item[]
  /** A proposal to delete the whole Pasal. */
  readonly deletion?: Revision
  /** Pasal proposed after this one. */
  readonly inserted?: readonly InsertedUnits[]
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

/** One Penjelasan Pasal demi Pasal entry: the Pasal's current label (SPEC S19) and its explanation. */
export interface PenjelasanPasal {
  readonly pasalId: string | null
  /** "Pasal 7"; for an entry whose Pasal is gone, says so. */
  readonly label: string
  readonly content: readonly Content[]
}

export interface Penjelasan {
  readonly umum: readonly Content[]
  readonly pasal: readonly PenjelasanPasal[]
}

export interface TableCell {
  readonly header: boolean
  readonly colspan: number
  readonly rowspan: number
  readonly content: readonly Content[]
}

/** A part of a Lampiran: text, a list, a sub-heading or a table. */
export type LampiranBlock =
  | Content
  | { readonly kind: 'subjudul'; readonly runs: readonly Run[] }
  | { readonly kind: 'tabel'; readonly rows: ReadonlyArray<readonly TableCell[]> }

export interface Lampiran {
  readonly id: string | null
  /** "LAMPIRAN I", or "LAMPIRAN" when it is the only one. */
  readonly label: string
  /** Its subject. */
  readonly judul: readonly Run[]
  readonly blocks: readonly LampiranBlock[]
}

export interface Regulation {
  readonly meta: DraftMeta
  /** Everything that follows from the metadata: the judul lines, jabatan, Menetapkan, the penutup blocks (SPEC S18). */
  readonly wording: Wording
  readonly nama: readonly Run[]
  readonly menimbang: readonly Item[]
  readonly mengingat: readonly Item[]
  readonly bab: readonly Division[]
  /** The drafters' closing paragraphs, after the order to promulgate. */
  readonly penutup: ReadonlyArray<readonly Run[]>
  /** Whether the draft has its signature block (and with it the order to promulgate and the gazette line). */
  readonly signed: boolean
  readonly penjelasan: Penjelasan | null
  readonly lampiran: readonly Lampiran[]
  /** Labels by id, for resolving reference targets to numbers (e.g. AKN eIds). */
  readonly numbering: Numbering
}

const markRun = (run: Run, kind: 'ins' | 'del', revision: Revision): Run => ({ ...run, revision: { kind, ...revision } })
const plainRun = (text: string): Run => ({ text, italic: false, bold: false })

function runsOf(block: Node, blockPos: number, doc: Node, numbering: Numbering, revisions: Revisions = NO_REVISIONS): Run[] {
  const pieces: Piece<Run>[] = []
  block.forEach((child, offset) => {
    const italic = child.marks.some((m) => m.type.name === 'em')
    const bold = child.marks.some((m) => m.type.name === 'strong')
    const from = blockPos + 1 + offset
    if (child.isText) {
      pieces.push({ from, to: from + child.nodeSize, runs: [{ text: withoutUnprintable(child.text!), italic, bold }], atom: false })
    } else if (child.type.name === 'rujukan') {
      // Each unit a reference names becomes its own linked run ("Pasal 6" and "Pasal 7").
      const rendered = renderReference(child, contextAt(doc, from, numbering), numbering)
      const runs = rendered.segments.map((segment): Run => {
        const target = segment.targetId ? numbering.byId.get(segment.targetId) : undefined
        return {
          text: segment.text,
          italic,
          bold,
          ...(target && segment.targetId ? { ref: { targetId: segment.targetId, targetKind: target.kind } } : {}),
        }
      })
      pieces.push({ from, to: from + 1, runs, atom: true })
    }
  })
  return reviseRuns(pieces, blockPos + 1 + block.content.size, revisions.text, markRun, plainRun)
}

/**
 * The regulation `doc` holds, with the parts that follow from `meta` (which the API checked) worded
 * from it, and `revisions` (open suggestions, see revisions.ts) marked on its runs and units; by
 * default none. With `base` (an amendment draft's frozen base), numbered as the amendment numbers
 * it: the base's numbers kept, suffixes for new units, "Dihapus." ones kept (the naskah terpadu).
 */
export function toRegulation(doc: Node, meta: DraftMeta, revisions: Revisions = NO_REVISIONS, base: Node | null = null): Regulation {
  const numbering = numberDocument(doc, base)
  const labelAt = new Map(numbering.labels.map((l) => [l.pos, l]))
  const label = (pos: number) => labelAt.get(pos)?.label ?? ''
  const number = (pos: number) => labelAt.get(pos)?.number ?? 0
  const id = (node: Node) => (isUnitId(node.attrs.id) ? node.attrs.id : null)

  /** A text or list block at `pos`, or null for any other node. */
  const block = (child: Node, pos: number): Content | null => {
    if (child.type.name === 'teks') return { kind: 'teks', runs: runsOf(child, pos, doc, numbering, revisions) }
    if (child.type.name === 'rincian') return { kind: 'rincian', items: items(child, pos) }
    return null
  }
  const content = (node: Node, pos: number): Content[] => {
    const out: Content[] = []
    node.forEach((child, offset) => {
      const found = block(child, pos + 1 + offset)
      if (found) out.push(found)
    })
    return out
  }
  const items = (list: Node, pos: number): Item[] => {
    const out: Item[] = []
    list.forEach((item, offset) => {
      const itemPos = pos + 1 + offset
      out.push({ id: id(item), label: label(itemPos), content: content(item, itemPos), ...inserted(itemPos) })
    })
    return out
  }
  const inserted = (pos: number) => {
    const units = revisions.insertedAfter.get(pos)
    return units ? { inserted: units } : {}
  }
  const pasal = (node: Node, pos: number): Pasal => {
    const ayat: Item[] = []
    node.forEach((child, offset) => {
      const childPos = pos + 1 + offset
      ayat.push({ id: id(child), label: label(childPos), content: content(child, childPos), ...inserted(childPos) })
    })
    const deletion = revisions.deletedPasal.get(pos)
    return { kind: 'pasal', id: id(node), number: number(pos), label: label(pos), ayat, ...(deletion ? { deletion } : {}), ...inserted(pos) }
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
  let explanation: Penjelasan | null = null
  const annexes: Lampiran[] = []
  doc.forEach((part, offset) => {
    if (part.type.name === 'penjelasan') explanation = penjelasanOf(part, offset)
    if (part.type.name === 'lampiran') annexes.push(lampiranOf(part, offset))
  })
  function penjelasanOf(node: Node, pos: number): Penjelasan {
    const umum: Content[] = []
    const entries: PenjelasanPasal[] = []
    node.forEach((child, offset) => {
      const childPos = pos + 1 + offset
      if (child.type.name === 'penjelasanUmum') umum.push(...content(child, childPos))
      else {
        const bound = explainedPasal(child, numbering)
        entries.push({ pasalId: bound?.id ?? null, label: bound?.label ?? PASAL_DIHAPUS, content: content(child, childPos) })
      }
    })
    return { umum, pasal: entries }
  }
  function lampiranOf(node: Node, pos: number): Lampiran {
    let judul: Run[] = []
    const blocks: LampiranBlock[] = []
    node.forEach((child, offset) => {
      const childPos = pos + 1 + offset
      const name = child.type.name
      if (name === 'lampiranJudul') judul = runsOf(child, childPos, doc, numbering)
      else if (name === 'lampiranSubjudul') blocks.push({ kind: 'subjudul', runs: runsOf(child, childPos, doc, numbering) })
      else if (name === 'table') blocks.push({ kind: 'tabel', rows: tableRows(child, childPos) })
      else {
        const found = block(child, childPos)
        if (found) blocks.push(found)
      }
    })
    return { id: id(node), label: label(pos).toLocaleUpperCase('id'), judul, blocks }
  }
  function tableRows(table: Node, pos: number): TableCell[][] {
    const rows: TableCell[][] = []
    table.forEach((row, rowOffset) => {
      const rowPos = pos + 1 + rowOffset
      const cells: TableCell[] = []
      row.forEach((cell, cellOffset) => {
        cells.push({
          header: cell.type.name === 'table_header',
          colspan: Number(cell.attrs.colspan) || 1,
          rowspan: Number(cell.attrs.rowspan) || 1,
          content: content(cell, rowPos + 1 + cellOffset),
        })
      })
      rows.push(cells)
    })
    return rows
  }

  return {
    meta,
    wording: wordingOf(meta, plainText(nama)),
    nama,
    menimbang: listItems(pembukaan.child(0), childPos(pembukaan, pembukaanPos, 0)),
    mengingat: listItems(pembukaan.child(1), childPos(pembukaan, pembukaanPos, 1)),
    bab,
    penutup: closing,
    signed,
    penjelasan: explanation,
    lampiran: annexes,
    numbering,
  }
}

/** Plain text of runs. */
export const plainText = (runs: readonly Run[]) => runs.map((r) => r.text).join('')
