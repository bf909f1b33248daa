import type { Node } from 'prosemirror-model'
import type { AmendedRegulation, DraftMeta } from '../../shared/documents.js'
import { amendmentArticles } from '../../shared/amendment/articles.js'
import { addressKey, type AmendmentPoint } from '../../shared/amendment/points.js'
import { schema } from '../../shared/model/schema.js'
import { NO_REVISIONS } from './revisions.js'
import type { AmendmentAkn } from './amendmentAkn.js'
import { toRegulation, type Content, type Division, type Item, type Pasal, type Regulation, type Run } from './regulation.js'

const run = (text: string): Run => ({ text, italic: false, bold: false })
const teks = (text: string): Content => ({ kind: 'teks', runs: [run(text)] })

/** Every Pasal and division of a regulation by id, to quote them as the consolidated text numbers them. */
function unitsById(regulation: Regulation): Map<string, Pasal | Division> {
  const out = new Map<string, Pasal | Division>()
  const visit = (unit: Pasal | Division) => {
    if (unit.id) out.set(unit.id, unit)
    if (unit.kind !== 'pasal') unit.children.forEach(visit)
  }
  regulation.bab.forEach(visit)
  return out
}

/** A quoted Pasal as content: its number on a line, then its ayat as a list (one unnumbered ayat as text). */
const quotedPasal = (pasal: Pasal): Content[] => [
  teks(pasal.label),
  ...(pasal.ayat.length === 1 && !pasal.ayat[0]!.label ? pasal.ayat[0]!.content : [{ kind: 'rincian' as const, items: pasal.ayat }]),
]

/** The quoted text of one point: each Pasal in full, a heading as its number and title. */
function quotedOf(point: AmendmentPoint, units: ReadonlyMap<string, Pasal | Division>): Content[] {
  return (point.quoted ?? []).flatMap((quoted): Content[] => {
    const id = (quoted.node as { attrs?: { id?: unknown } }).attrs?.id
    const unit = typeof id === 'string' ? units.get(id) : undefined
    if (unit?.kind === 'pasal') return quotedPasal(unit)
    if (unit)
      return [
        teks(unit.label),
        { kind: 'teks', runs: unit.title },
        ...unit.children.flatMap((c) => (c.kind === 'pasal' ? quotedPasal(c) : [teks(c.label)])),
      ]
    // A heading quoted alone (a changed judul): its words.
    return [teks(schema.nodeFromJSON(quoted.node).textContent)]
  })
}

/**
 * The amendment regulation of an amendment draft laid out as a regulation, for DOCX and print:
 * the draft's judul, Menimbang and Mengingat, then Pasal I (the points, each unit quoted as the
 * consolidated text numbers it) and Pasal II; a Lampiran replaced whole is attached as amended.
 */
export function toAmendmentRegulation(base: Node, consolidated: Node, meta: DraftMeta & { readonly amends: AmendedRegulation }): Regulation {
  const terpadu = toRegulation(consolidated, meta, NO_REVISIONS, base)
  const articles = amendmentArticles(base, consolidated, meta)
  const units = unitsById(terpadu)
  const points: Item[] = articles.points.map(({ point, words }, index) => ({
    id: null,
    label: articles.points.length > 1 ? `${index + 1}.` : '',
    content: [teks(articles.points.length > 1 ? words.replace(/^\d+\. /, '') : words), ...quotedOf(point, units)],
  }))
  const pasalI: Pasal = {
    kind: 'pasal',
    id: null,
    number: 1,
    label: 'Pasal I',
    ayat: [{ id: null, label: '', content: [teks(articles.opening), ...(points.length ? [{ kind: 'rincian' as const, items: points }] : [])] }],
  }
  const pasalII: Pasal = { kind: 'pasal', id: null, number: 2, label: 'Pasal II', ayat: [{ id: null, label: '', content: [teks(articles.pasalII)] }] }
  const lampiranChanged = new Set(
    articles.points.flatMap(({ point }) => (point.action !== 'dihapus' ? point.units.filter((u) => u[0]?.kind === 'lampiran').map(addressKey) : [])),
  )
  return {
    ...terpadu,
    bab: [{ kind: 'bab', id: null, number: 0, label: '', title: [], children: [pasalI, pasalII] }],
    penjelasan: null,
    lampiran: lampiranChanged.size ? terpadu.lampiran : [],
  }
}

/**
 * What the Akoma Ntoso builder of an amendment (`toAmendmentAkn`) needs of an amendment draft: its
 * own regulation (judul, pembukaan, penutup), the base as cited, and Pasal I and II worded.
 */
export function amendmentAkn(base: Node, consolidated: Node, meta: DraftMeta & { readonly amends: AmendedRegulation }): AmendmentAkn {
  const articles = amendmentArticles(base, consolidated, meta)
  const { amends } = meta
  return {
    regulation: toRegulation(consolidated, meta, NO_REVISIONS, base),
    // An unnumbered base is cited by its draft's id, as an unnumbered draft is (akn.ts `workOf`).
    base: { jenis: amends.jenis, daerah: meta.daerah, nomor: amends.nomor ?? amends.documentId, tahun: amends.tahun ?? 0, nama: amends.nama },
    intro: articles.opening,
    points: articles.points.map(({ point, words }) => ({ point, instruction: words.replace(/^\d+\. /, '') })),
    pasalII: [articles.pasalII],
  }
}
