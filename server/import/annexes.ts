import { ACTION, excerpt, type ImportReport } from './importReport.js'
import { lineText, type Line } from './sourceLines.js'

/**
 * The parts after the penutup: the Penjelasan ("PENJELASAN ATAS PERATURAN …", "I. UMUM",
 * "II. PASAL DEMI PASAL") and each Lampiran (its heading block, text and tables, its signature).
 * They are recognised in full, so that what belongs to them never ends up in the last Pasal; the
 * draft's schema cannot hold them yet, so the import lists them in its report and a later change
 * only has to map these records into the document.
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

/** Reads the lines from the first PENJELASAN or LAMPIRAN heading to the end, and reports each part. */
export function readAnnexes(lines: readonly Line[], report: ImportReport): Annexes {
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
  if (penjelasan) {
    report.add(
      'Penjelasan',
      `Penjelasan: Umum (${penjelasan.umum.length} paragraf) dan Pasal demi Pasal (${penjelasan.pasal.length} Pasal)`,
      ACTION.notStoredYet,
    )
  }
  lampiran.forEach((part, index) => {
    const tables = part.blocks.filter((block) => block.kind === 'tabel').length
    const numeral = LAMPIRAN.exec(part.heading[0] ?? '')?.[1]?.trim()
    const name = numeral ? `Lampiran ${numeral}` : lampiran.length > 1 ? `Lampiran ${index + 1}` : 'Lampiran'
    const subject = part.heading.slice(1).join(' ')
    report.add(
      name,
      `${name}${subject ? ` (${excerpt(subject, 60)})` : ''}: ${part.blocks.length - tables} paragraf, ${tables} tabel`,
      ACTION.notStoredYet,
    )
  })
  return { penjelasan, lampiran }
}
