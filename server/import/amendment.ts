import type { Node } from 'prosemirror-model'
import type { AmendmentPoint, UnitAddress } from '../../shared/amendment/points.js'
import type { AmendmentBase, DraftMeta, ImportReportEntry } from '../../shared/documents.js'
import { jenisName } from '../../shared/model/wording.js'
import { bab, teks, unit } from '../../shared/model/builders.js'
import { schema } from '../../shared/model/schema.js'
import { Refusal } from '../refusal.js'
import { readInstruction, type Instruction } from './amendmentPoints.js'
import { readQuotedUnits } from './batangTubuh.js'
import { ACTION, type ImportReport } from './importReport.js'
import { lineText, type Line } from './sourceLines.js'
import { readKind } from './titleBlock.js'

/**
 * An amendment regulation ("… tentang Perubahan atas Peraturan Gubernur … Nomor 12 Tahun 2021
 * tentang …", Lampiran II UU 12/2011 C.5): the base it cites, and its body, Pasal I with numbered
 * amendment points (each an instruction, then the unit it quotes) and Pasal II. Every point is read
 * into an `AmendmentPoint`, its quoted unit by the same recognisers as a draft's body; a point that
 * cannot be read is reported with its text. The draft keeps Pasal I and Pasal II as ordinary Pasal
 * holding every line of the points as text (SPEC S25), unless its base is among the drafts and
 * every point was read: then the import becomes an amendment draft of that base (server/amendments).
 */

export interface RecognisedAmendment {
  /** The base regulation the judul cites; null when the judul names it in a way not recognised. */
  readonly base: AmendmentBase | null
  readonly points: readonly AmendmentPoint[]
  /** Whether every point of Pasal I was read, with the Lampiran it names: only then can the base be amended by them. */
  readonly complete: boolean
}

/** Points Pasal I may hold: real amendments have tens; beyond this the rest is kept as the last point's text. */
export const MAX_POINTS = 1000
/** An instruction is one sentence; longer lines are not matched against the grammar (its patterns backtrack). */
const MAX_INSTRUCTION = 1000

const PERUBAHAN = /^PERUBAHAN(?:\s+(?:KEDUA|KETIGA|KEEMPAT|KELIMA|KEENAM|KETUJUH|KEDELAPAN|KESEMBILAN|KESEPULUH))?\s+ATAS\s+/i
const CITATION = /^(PERATURAN\s.+?)\s+NOMOR\s+(\S+)\s+TAHUN\s+(\d{4})\s+TENTANG\s+(.+)$/i
export const PASAL_I = /^Pasal\s+I$/
const PASAL_II = /^Pasal\s+II$/
const POINT = /^(\d{1,4})\.\s*((?:Ketentuan|Di\s+antara|Judul|Pasal|BAB|Bagian|Paragraf|Lampiran|Penjelasan|Ayat|Huruf|Angka)\b.*)$/

/** Whether a judul's subject names an amendment ("PERUBAHAN ATAS …", "PERUBAHAN KEDUA ATAS …"). */
export const isAmendmentTitle = (nama: string) => PERUBAHAN.test(nama)

/**
 * The base regulation a judul's subject cites: "PERUBAHAN ATAS PERATURAN GUBERNUR MALUKU NOMOR 98
 * TAHUN 2021 TENTANG …". A Perda citing "PERATURAN DAERAH NOMOR 2 TAHUN 2022" (its own region's,
 * as Perda cite them) takes the region and kind of the amendment itself.
 */
export function readBase(nama: string, own: Partial<DraftMeta>): AmendmentBase | null {
  const match = CITATION.exec(nama.replace(PERUBAHAN, '').replace(/\s+/g, ' ').trim())
  if (!match) return null
  const [, kindText, nomor, tahun, subject] = match
  const kind = readKind(kindText!)
  const jenis = kind?.jenis ?? (/^PERATURAN\s+DAERAH$/i.test(kindText!) ? own.jenis : undefined)
  if (!jenis) return null
  return { jenis, daerah: kind?.daerah || own.daerah || '', nomor: nomor!, tahun: Number(tahun), nama: subject! }
}

interface PointLines {
  readonly number: number
  readonly instruction: string
  readonly quoted: Line[]
}

/** The unit the quoted lines hold, and its address; null (with the reason) when they hold not exactly that unit. */
function quotedUnit(lines: readonly Line[], quotes: UnitAddress, report: ImportReport, at: string): { node: Node; address: UnitAddress } | string {
  let units: Node[]
  try {
    units = readQuotedUnits(lines, report, { at })
  } catch (error) {
    if (error instanceof Refusal) return error.message
    throw error
  }
  if (units.length !== 1) return units.length ? `memuat ${units.length} unit yang dikutip` : 'unit yang dikutip tidak ditemukan'
  const node = units[0]!
  const depth = quotes.findLastIndex((step) => step.kind === node.type.name)
  if (depth < 0) return `yang dikutip bukan ${quotes.at(-1)!.kind === 'bab' ? 'BAB' : 'Pasal'}`
  const address = quotes.slice(0, depth + 1)
  const heading = lineText(lines[0]!).replace(/\s+/g, ' ')
  const named = `${node.type.name === 'bab' ? 'BAB' : 'Pasal'} ${address.at(-1)!.number}`
  if (heading !== named && !heading.startsWith(`${named} `)) return `yang dikutip "${heading}", bukan ${named}`
  return { node, address }
}

/** Strips the quotation marks around a quoted unit (“Pasal 5 … .”), which some regions print. */
function unquoted(lines: readonly Line[]): Line[] {
  const out = [...lines]
  const first = out.findIndex((line) => typeof line === 'string')
  const last = out.findLastIndex((line) => typeof line === 'string')
  if (first >= 0) out[first] = (out[first] as string).replace(/^[“"]\s*/, '')
  if (last >= 0) out[last] = (out[last] as string).replace(/\s*[”"]\s*[.;]?$/, '')
  return out.filter((line) => line !== '')
}

/** One point read, or the reason it could not be. A Lampiran's new text stands in the Lampiran: `lampiran` marks that. */
function readPoint(point: PointLines, report: ImportReport): { point: AmendmentPoint; lampiran: boolean } | string {
  const found: Instruction | null = point.instruction.length <= MAX_INSTRUCTION ? readInstruction(point.instruction) : null
  if (!found) return 'kalimat perintahnya tidak dikenali'
  const lines = unquoted(point.quoted)
  if (!found.quotes) return lines.length ? 'ada teks sesudah perintah penghapusan' : { point: found.point, lampiran: false }
  if (found.quotes[0]!.kind === 'lampiran') {
    return lines.length ? 'ada teks sesudah perintah perubahan Lampiran' : { point: found.point, lampiran: true }
  }
  const quoted = quotedUnit(lines, found.quotes, report, `Pasal I angka ${point.number}`)
  if (typeof quoted === 'string') return quoted
  return { point: { ...found.point, quoted: [{ address: quoted.address, node: quoted.node.toJSON() }] }, lampiran: false }
}

export interface AmendmentBody {
  /** BAB holding Pasal I and Pasal II as ordinary Pasal. */
  readonly bab: Node
  readonly points: readonly AmendmentPoint[]
  /** Whether every point was read (none overflowed, none unreadable). */
  readonly complete: boolean
  /** Indexes into `points` of those whose new text is a Lampiran of this regulation, in order. */
  readonly lampiranPoints: readonly number[]
}

/** Reads the lines from "Pasal I" to the end of the batang tubuh. */
export function readAmendmentBody(lines: readonly Line[], report: ImportReport): AmendmentBody {
  const pasalIIAt = lines.findIndex((line) => typeof line === 'string' && PASAL_II.test(line))
  const pasalI = lines.slice(lines.findIndex((line) => typeof line === 'string' && PASAL_I.test(line)) + 1, pasalIIAt < 0 ? lines.length : pasalIIAt)
  const pasalII = pasalIIAt < 0 ? [] : lines.slice(pasalIIAt + 1)
  if (pasalIIAt < 0) report.add('Pasal II', 'Pasal II (mulai berlaku) tidak ditemukan', ACTION.checkMeta)

  const intro: string[] = []
  const read: PointLines[] = []
  let overflow = false
  for (const line of pasalI) {
    const point = typeof line === 'string' ? POINT.exec(line) : null
    overflow ||= point !== null && read.length === MAX_POINTS
    if (point && !overflow) read.push({ number: read.length + 1, instruction: point[2]!, quoted: [] })
    else if (read.length) read.at(-1)!.quoted.push(line)
    else intro.push(lineText(line))
  }
  if (overflow) report.add('Pasal I', `Lebih dari ${MAX_POINTS} angka: sisanya disimpan pada angka terakhir`, ACTION.keptAsText)

  const points: AmendmentPoint[] = []
  const lampiranPoints: number[] = []
  for (const point of read) {
    const outcome = readPoint(point, report)
    if (typeof outcome === 'string') {
      const text = [point.instruction, ...point.quoted.map(lineText)].join(' / ')
      report.add(`Pasal I angka ${point.number}`, `Angka ${point.number} tidak terbaca (${outcome}): "${text}"`, ACTION.keptAsText)
      continue
    }
    if (outcome.lampiran) lampiranPoints.push(points.length)
    points.push(outcome.point)
  }

  // Every line of Pasal I stays in the draft as text: the points as angka, their quoted lines under them.
  const butir = read.map((point) => unit('butir', [point.instruction, ...point.quoted.map(lineText)].map(teks)))
  const ayatI = unit('ayat', [
    ...(intro.length || !butir.length ? [intro.join(' ')] : []).map(teks),
    ...(butir.length ? [schema.node('rincian', { jenis: 'angka' }, butir)] : []),
  ])
  const ayatII = (pasalII.length ? pasalII.map(lineText) : ['']).map((text) => unit('ayat', [teks(text)]))
  return { bab: bab('', unit('pasal', [ayatI]), unit('pasal', ayatII)), points, complete: !overflow && points.length === read.length, lampiranPoints }
}

/**
 * The points with their Lampiran: a "Lampiran diubah sehingga menjadi sebagaimana tercantum dalam
 * Lampiran …" point quotes the regulation's own Lampiran of the same order.
 */
export function withLampiran(body: AmendmentBody, lampiran: readonly Node[], report: ImportReport): AmendmentPoint[] {
  return body.points.map((point, i) => {
    const order = body.lampiranPoints.indexOf(i)
    if (order < 0) return point
    const node = lampiran[order]
    if (!node) {
      report.add(
        'Pasal I',
        `Lampiran yang dirujuk ${point.units[0]!.map((s) => `Lampiran ${s.number}`).join('')} tidak ada dalam berkas`,
        ACTION.checkMeta,
      )
      return point
    }
    return { ...point, quoted: [{ address: point.units[0]!, node: node.toJSON() }] }
  })
}

/** Why an amendment regulation was not taken over as an amendment draft of its base (server/amendments). */
export type UnmatchedBase = 'no-base' | 'incomplete' | 'not-applicable'

/**
 * The report's entry for an amendment regulation kept as a draft of its own, Pasal I as text:
 * its base is not among the drafts, a point was not read, or point `point` names a unit the base
 * (the draft `baseTitle`) does not have.
 */
export function unmatchedBaseEntry(reason: UnmatchedBase, cited: AmendmentBase, baseTitle = '', point?: number): ImportReportEntry {
  const kept = 'naskah terpadu tidak disusun'
  switch (reason) {
    case 'no-base':
      return {
        where: 'judul',
        what: `${jenisName(cited.jenis)} ${cited.daerah} Nomor ${cited.nomor} Tahun ${cited.tahun} yang diubah tidak ditemukan di antara rancangan: ${kept}`,
        action: ACTION.keptAsText,
      }
    case 'incomplete':
      return {
        where: 'Pasal I',
        what: `Naskah dasar "${baseTitle}" ditemukan, tetapi tidak semua angka Pasal I terbaca: ${kept}`,
        action: ACTION.keptAsText,
      }
    case 'not-applicable':
      return {
        where: point ? `Pasal I angka ${point}` : 'Pasal I',
        what: `${point ? `Angka ${point}` : 'Sebuah angka'} menyebut ketentuan yang tidak ada dalam naskah dasar "${baseTitle}": ${kept}`,
        action: ACTION.keptAsText,
      }
  }
}
