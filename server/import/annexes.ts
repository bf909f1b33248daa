import type { Node } from 'prosemirror-model'
import { lampiran as lampiranNode, penjelasan as penjelasanNode, penjelasanPasal, table } from '../../shared/model/builders.js'
import { ACTION, excerpt, type ImportReport } from './importReport.js'
import { lineText, type Line } from './sourceLines.js'

/**
 * The parts after the penutup: the Penjelasan ("PENJELASAN ATAS PERATURAN …", "I. UMUM",
 * "II. PASAL DEMI PASAL") and each Lampiran (its heading block, text and tables, its signature).
 * They are recognised in full, so that what belongs to them never ends up in the last Pasal, then
 * mapped into the draft's `penjelasan` and `lampiran` parts (`annexNodes`). Their heading lines and
 * signatures are drawn from the metadata, so only the text between them is kept.
 */

export type AnnexBlock =
  { readonly kind: 'teks'; readonly text: string } | { readonly kind: 'tabel'; readonly rows: ReadonlyArray<readonly string[]> }

export interface RecognisedPenjelasan {
  /** "PENJELASAN ATAS PERATURAN … NOMOR … TENTANG …". */
  readonly heading: readonly string[]
  /** The paragraphs under "I. UMUM". */
  readonly umum: readonly string[]
  /** Under "II. PASAL DEMI PASAL": each Pasal's entry ("Cukup jelas.", "Ayat (1) …"). */
  readonly pasal: ReadonlyArray<{ readonly heading: string; readonly text: readonly string[] }>
  /** Anything after the entries that is no entry ("TAMBAHAN LEMBARAN DAERAH … NOMOR …"). */
  readonly closing: readonly string[]
}

export interface RecognisedLampiran {
  /** "LAMPIRAN I", then "PERATURAN BUPATI …", "NOMOR …", "TENTANG …". */
  readonly heading: readonly string[]
  readonly blocks: readonly AnnexBlock[]
  /** The signature closing it ("BUPATI PULANG PISAU,", "ttd", the name). */
  readonly signature: readonly string[]
}

export interface Annexes {
  readonly penjelasan: RecognisedPenjelasan | null
  readonly lampiran: readonly RecognisedLampiran[]
}

export const PENJELASAN = /^PENJELASAN\b/
export const LAMPIRAN = /^LAMPIRAN(\s+[IVXLCDM]+)?\b/
const UMUM = /^I\.\s*UMUM$/i
const PASAL_DEMI_PASAL = /^II\.\s*PASAL DEMI PASAL$/i
const PASAL = /^Pasal\s+\d+[A-Z]?$/
/** Lines a Lampiran's heading block can span: LAMPIRAN, the kind, NOMOR, TENTANG, the subject, and some slack. */
const HEADING_LINES = 8
const SIGNER = /^(GUBERNUR|BUPATI|WALI\s?KOTA)\s+.+,$/

function readPenjelasan(lines: readonly Line[]): RecognisedPenjelasan {
  const heading: string[] = []
  const umum: string[] = []
  const pasal: Array<{ heading: string; text: string[] }> = []
  const closing: string[] = []
  let part: 'heading' | 'umum' | 'pasal' = 'heading'
  for (const line of lines) {
    const text = lineText(line)
    if (UMUM.test(text)) part = 'umum'
    else if (PASAL_DEMI_PASAL.test(text)) part = 'pasal'
    else if (part === 'heading') heading.push(text)
    else if (part === 'umum') umum.push(text)
    else if (PASAL.test(text)) pasal.push({ heading: text, text: [] })
    else if (/^TAMBAHAN (LEMBARAN|BERITA) DAERAH\b/.test(text) || !pasal.length) closing.push(text)
    else pasal.at(-1)!.text.push(text)
  }
  return { heading, umum, pasal, closing }
}

function readLampiran(lines: readonly Line[]): RecognisedLampiran {
  // The heading block is the LAMPIRAN line and the capitals under it, up to the subject after TENTANG.
  let i = 1
  for (let j = 0; j < Math.min(lines.length, HEADING_LINES); j++) {
    const line = lines[j]
    if (typeof line !== 'string' || (j > 0 && /\p{Ll}/u.test(line))) break
    if (/^TENTANG$/.test(line)) {
      i = Math.min(j + 2, lines.length)
      break
    }
    if (/\bTENTANG\b/.test(line)) {
      i = j + 1
      break
    }
  }
  const heading = lines.slice(0, i) as string[]
  let end = lines.length
  for (let j = lines.length - 1; j >= i; j--) {
    if (typeof lines[j] === 'string' && SIGNER.test(lines[j] as string)) {
      end = j
      break
    }
  }
  const blocks: AnnexBlock[] = lines
    .slice(i, end)
    .map((line) => (typeof line === 'string' ? { kind: 'teks', text: line } : { kind: 'tabel', rows: line.table }))
  return { heading, blocks, signature: lines.slice(end).map(lineText) }
}

/** Reads the lines from the first PENJELASAN or LAMPIRAN heading to the end. */
export function readAnnexes(lines: readonly Line[]): Annexes {
  let penjelasan: RecognisedPenjelasan | null = null
  const lampiran: RecognisedLampiran[] = []
  let start = 0
  for (let i = 1; i <= lines.length; i++) {
    const line = lines[i]
    if (i < lines.length && !(typeof line === 'string' && (LAMPIRAN.test(line) || (PENJELASAN.test(line) && !penjelasan)))) continue
    const part = lines.slice(start, i)
    const first = part[0]
    if (typeof first === 'string' && PENJELASAN.test(first)) penjelasan = readPenjelasan(part)
    else if (part.length) lampiran.push(readLampiran(part))
    start = i
  }
  return { penjelasan, lampiran }
}

/** "Pasal 7" as the source numbers it: the number, when it names one of the draft's Pasal (no "7A"). */
const PASAL_NUMBER = /^Pasal\s+(\d+)$/
/** A Lampiran's subject under its heading block: a line in capitals ("INDEKS TERINTEGRASI BANGUNAN GEDUNG"). */
const isSubject = (block: AnnexBlock | undefined): block is { kind: 'teks'; text: string } =>
  block?.kind === 'teks' && !/\p{Ll}/u.test(block.text) && /\p{Lu}/u.test(block.text)

/**
 * The Penjelasan and Lampiran parts of the draft. Each Penjelasan entry is bound to the imported
 * Pasal its heading numbers (`pasalIds` in document order), so it follows that Pasal from then on
 * (SPEC S19); an entry naming no such Pasal is kept as text in the entry before it (or in the
 * Penjelasan Umum) and reported, as is a closing line the metadata does not draw.
 */
export function annexNodes(annexes: Annexes, pasalIds: readonly string[], report: ImportReport): Node[] {
  const parts: Node[] = []
  const { penjelasan, lampiran } = annexes
  if (penjelasan) {
    const umum = [...penjelasan.umum]
    const entries: Array<{ pasal: string; text: string[] }> = []
    for (const entry of penjelasan.pasal) {
      const number = Number(PASAL_NUMBER.exec(entry.heading)?.[1] ?? 0)
      const pasal = pasalIds[number - 1]
      if (pasal) entries.push({ pasal, text: [...entry.text] })
      else {
        ;(entries.at(-1)?.text ?? umum).push(entry.heading, ...entry.text)
        report.add('Penjelasan', `"${entry.heading}" tidak ada dalam rancangan`, ACTION.keptAsText)
      }
    }
    for (const line of penjelasan.closing) report.add('Penjelasan', excerpt(line), ACTION.notImported)
    parts.push(
      penjelasanNode(
        umum,
        entries.map((entry) => penjelasanPasal(entry.pasal, ...entry.text)),
      ),
    )
  }
  for (const part of lampiran) {
    const [first, ...rest] = part.blocks
    const blocks = isSubject(first) ? rest : part.blocks
    parts.push(
      lampiranNode(isSubject(first) ? first.text : '', ...blocks.map((block) => (block.kind === 'teks' ? block.text : table(padded(block.rows))))),
    )
  }
  return parts
}

/** Rows of equal length: a table's rows from Word may have fewer cells than its widest one. */
function padded(rows: ReadonlyArray<readonly string[]>): string[][] {
  const width = Math.max(1, ...rows.map((row) => row.length))
  return rows.map((row) => [...row, ...Array<string>(width - row.length).fill('')])
}
