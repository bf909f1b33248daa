import type { Node } from 'prosemirror-model'
import { pasalIds, regulation } from '../../shared/model/builders.js'
import { MetaError, normaliseMeta, type DraftMeta, type ImportReportEntry } from '../../shared/documents.js'
import { Refusal } from '../refusal.js'
import { isAmendmentTitle, PASAL_I, readAmendmentBody, readBase, withLampiran, type RecognisedAmendment } from './amendment.js'
import { annexNodes, readAnnexes, LAMPIRAN, PENJELASAN, type Annexes } from './annexes.js'
import { readBatangTubuh } from './batangTubuh.js'
import { isBabHeading } from '../../shared/model/unitLines.js'
import { ACTION, excerpt, ImportReport } from './importReport.js'
import { readSignatureBlock, SIGNATURE_START } from './signatureBlock.js'
import { lineText, linesOf, type Line } from './sourceLines.js'
import { describeFound, readTitleBlock } from './titleBlock.js'
import type { SourceDocument } from './wordDocument.js'

/**
 * Recognises a regional regulation (Pergub, Perbup, Perwali, Perda) in the lines of a Word file, as
 * drafters type it and as our own DOCX export lays it out: the region header and judul (and the
 * metadata they tell), Menimbang, Mengingat, "Dengan Persetujuan Bersama" (Perda), Menetapkan, the
 * batang tubuh, the penutup, the source's signature block, and the Penjelasan and Lampiran after it.
 * What it does not take over as it stood is listed in the report; what cannot be a draft at all is
 * refused with a message that names what the file seems to be.
 */

export interface RecognisedDraft {
  /** The judul's kind and region, e.g. "PERATURAN BUPATI PULANG PISAU". */
  readonly jenis: string
  /** The subject after TENTANG, e.g. "SISTEM PEMERINTAHAN BERBASIS ELEKTRONIK". */
  readonly nama: string
  readonly meta: DraftMeta
  readonly doc: Node
  readonly counts: UnitCounts
  readonly report: readonly ImportReportEntry[]
  /** Penjelasan and Lampiran, recognised but not yet part of the schema. */
  readonly annexes: Annexes
  /** For an amendment regulation ("Perubahan atas …"): its base and the points of its Pasal I. */
  readonly amendment?: RecognisedAmendment
}

export interface UnitCounts {
  readonly bab: number
  readonly pasal: number
  /** Numbered ayat: those of Pasal with two or more. */
  readonly ayat: number
  /** Rincian items at every depth. */
  readonly rincian: number
}

const MENIMBANG = /^Menimbang\b\s*:?\s*/i
const MENGINGAT = /^Mengingat\b\s*:?\s*/i
const MENETAPKAN = /^Menetapkan\b\s*:?\s*/i
const MEMUTUSKAN = /^MEMUTUSKAN\s*:?$/i
const PERSETUJUAN = /^Dengan Persetujuan Bersama\b/i
const POINT = /^[a-z]\.\s*/
const ITEM = /^\d{1,3}\.\s*/
const PENUTUP = /^Agar setiap orang mengetahuinya/i
const ANNEX = (line: string) => PENJELASAN.test(line) || LAMPIRAN.test(line)
const BODY_END = (line: string) => PENUTUP.test(line) || SIGNATURE_START.test(line) || ANNEX(line)

const refuse = (message: string): never => {
  throw new Refusal('unreadable', message)
}
const indexOf = (lines: readonly Line[], test: (line: string) => boolean, from = 0) => {
  for (let i = from; i < lines.length; i++) if (typeof lines[i] === 'string' && test(lines[i] as string)) return i
  return -1
}

/** Adds a paragraph to the last entry of `list`, or starts one; a point split over paragraphs is one point. */
function addPoint(list: string[], line: string, labelled: boolean) {
  if (!line) return
  if (labelled || list.length === 0) list.push(line)
  else list[list.length - 1] += ` ${line}`
}

export function recogniseDraft(source: SourceDocument): RecognisedDraft {
  const lines = linesOf(source)
  const report = new ImportReport()
  if (source.figures) report.add('seluruh naskah', `${source.figures} gambar atau objek`, ACTION.notImported)

  const menimbangAt = indexOf(lines, (line) => MENIMBANG.test(line))
  const title = readTitleBlock(lines.slice(0, menimbangAt < 0 ? lines.length : menimbangAt).map(lineText), report)
  const found = describeFound(title)
  const seemsLike = `Berkas ini tampak seperti ${found ?? 'rancangan peraturan'}`
  if (menimbangAt < 0) {
    refuse(
      found
        ? `${seemsLike}, tetapi bagian "Menimbang" tidak ditemukan.`
        : 'Tidak ditemukan "Menimbang": berkas ini tidak tampak seperti rancangan peraturan (judul "PERATURAN …", Menimbang, Mengingat, lalu BAB dan Pasal).',
    )
  }
  if (!title.jenis || !title.nama) refuse('Judul tidak ditemukan: di atas "Menimbang" harus ada jenis peraturan, "TENTANG", dan nama peraturan.')
  // The batang tubuh opens at BAB I; an amendment's, at Pasal I (the points), followed by Pasal II.
  const amending = isAmendmentTitle(title.nama)
  const bodyAt = indexOf(lines, amending ? (line) => PASAL_I.test(line) : isBabHeading, menimbangAt)
  if (bodyAt < 0 && amending) refuse(`${seemsLike}, tetapi "Pasal I" yang memuat angka-angka perubahan tidak ditemukan.`)
  if (bodyAt < 0) {
    const pasal = lines.filter((line) => typeof line === 'string' && /^Pasal\s+\d+/.test(line)).length
    refuse(
      `${seemsLike}, tetapi tidak memuat BAB${pasal ? ` (ditemukan ${pasal} Pasal tanpa BAB)` : ''}: Rancang menyusun batang tubuh dalam BAB. ` +
        'Tambahkan "BAB I" beserta judulnya sebelum Pasal pertama, lalu impor lagi.',
    )
  }

  // Pembukaan: Menimbang, Mengingat, Dengan Persetujuan Bersama, MEMUTUSKAN, Menetapkan.
  const pembukaan = lines.slice(menimbangAt, bodyAt).map(lineText)
  let i = 0
  const at = (pattern: RegExp) => i < pembukaan.length && pattern.test(pembukaan[i]!)
  const menimbang: string[] = []
  while (i < pembukaan.length && !at(MENGINGAT)) {
    const line = pembukaan[i++]!.replace(MENIMBANG, '').replace(/^:\s*/, '')
    addPoint(menimbang, line.replace(POINT, ''), POINT.test(line))
  }
  const mengingat: string[] = []
  while (i < pembukaan.length && !at(PERSETUJUAN) && !at(MEMUTUSKAN) && !at(MENETAPKAN)) {
    const line = pembukaan[i++]!.replace(MENGINGAT, '').replace(/^:\s*/, '')
    addPoint(mengingat, line.replace(ITEM, ''), ITEM.test(line))
  }
  if (menimbang.length === 0 || mengingat.length === 0) refuse('Bagian "Menimbang" dan "Mengingat" harus memuat sedikitnya satu butir.')
  // "Dengan Persetujuan Bersama DPRD … dan BUPATI …", MEMUTUSKAN and Menetapkan are drawn from the
  // metadata: read past them. Lines after the Menetapkan sentence are no part of it: they go, as text
  // outside any Pasal, to the first Pasal.
  while (i < pembukaan.length && !at(MENETAPKAN)) i++
  if (i === pembukaan.length) refuse(`${seemsLike}, tetapi "Menetapkan" tidak ditemukan sebelum ${amending ? 'Pasal I' : 'BAB I'}.`)
  let menetapkan = ''
  while (i < pembukaan.length && !menetapkan.endsWith('.'))
    menetapkan = `${menetapkan} ${pembukaan[i++]!.replace(MENETAPKAN, '').replace(/^:\s*/, '')}`.trim()
  const bodyStart = menimbangAt + i

  // Batang tubuh, penutup, the source's signature block, then Penjelasan and Lampiran.
  const bodyEnd = indexOf(lines, BODY_END, bodyAt)
  const end = bodyEnd < 0 ? lines.length : bodyEnd
  const bodyLines = lines.slice(bodyStart, end).filter((line) => typeof line !== 'string' || !MEMUTUSKAN.test(line))
  const amendmentBody = amending ? readAmendmentBody(bodyLines, report) : null
  const batangTubuh = amendmentBody ? { bab: [amendmentBody.bab] } : readBatangTubuh(bodyLines, report)
  const annexAt = indexOf(lines, ANNEX, end)
  const rest = lines.slice(end, annexAt < 0 ? lines.length : annexAt)
  const signatureAt = rest.findIndex((line, k) => k > 0 && typeof line === 'string' && SIGNATURE_START.test(line))
  const closingAt = typeof rest[0] === 'string' && SIGNATURE_START.test(rest[0]) ? 0 : signatureAt < 0 ? rest.length : signatureAt
  // The order to promulgate is drawn from the metadata; paragraphs the drafters added stay.
  const penutup = rest
    .slice(0, closingAt)
    .map(lineText)
    .filter((line) => !PENUTUP.test(line))
  const signature = readSignatureBlock(rest.slice(closingAt).map(lineText), report)
  const annexes = readAnnexes(annexAt < 0 ? [] : lines.slice(annexAt))

  const meta = metaOf({ ...title.meta, ...(signature.tempat ? { tempat: signature.tempat } : {}) }, report)
  const body = regulation({ nama: title.nama, menimbang, mengingat, batangTubuh: batangTubuh.bab, penutup })
  const annexParts = annexNodes(annexes, pasalIds(body), report)
  const doc = body.type.create(null, [...body.children, ...annexParts])
  doc.check()
  const points =
    amendmentBody &&
    withLampiran(
      amendmentBody,
      annexParts.filter((part) => part.type.name === 'lampiran'),
      report,
    )
  const amendment = amendmentBody &&
    points && {
      base: readBase(title.nama, meta),
      points,
      // A Lampiran point whose Lampiran is not in the file has nothing to put in its place.
      complete: amendmentBody.complete && points.every((point) => point.action === 'dihapus' || point.quoted !== undefined),
    }
  if (amendment && !amendment.base) report.add('judul', `Peraturan yang diubah tidak dikenali dalam "${excerpt(title.nama)}"`, ACTION.checkMeta)
  return {
    jenis: title.jenis,
    nama: title.nama,
    meta,
    doc,
    counts: countUnits(doc),
    report: report.entries(),
    annexes,
    ...(amendment ? { amendment } : {}),
  }
}

/** The recognised metadata made valid: a field the rules refuse is left to its default and reported. */
function metaOf(recognised: Partial<DraftMeta>, report: ImportReport): DraftMeta {
  const fields: Partial<DraftMeta> = { ...recognised }
  for (;;) {
    try {
      return normaliseMeta(fields)
    } catch (error) {
      if (!(error instanceof MetaError) || !(error.field in fields)) throw error
      report.add('data naskah', `"${excerpt(String(fields[error.field]))}" bukan ${error.field} yang sah`, ACTION.checkMeta)
      delete (fields as Record<string, unknown>)[error.field]
    }
  }
}

/** BAB, Pasal, numbered ayat and rincian items of a document. */
export function countUnits(doc: Node): UnitCounts {
  let bab = 0
  let pasal = 0
  let ayat = 0
  let rincian = 0
  doc.descendants((node) => {
    if (node.type.name === 'bab') bab += 1
    else if (node.type.name === 'pasal') {
      pasal += 1
      if (node.childCount > 1) ayat += node.childCount
    } else if (node.type.name === 'butir') rincian += 1
    return true
  })
  return { bab, pasal, ayat, rincian }
}
