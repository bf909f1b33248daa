import { withoutUnprintable } from '../../shared/text.js'
import type { SourceDocument, SourceParagraph, SourceTable } from './wordDocument.js'

/**
 * The lines the recogniser reads, from the blocks of a Word file: each paragraph one line with the
 * label Word's numbering shows in front of it, its line breaks read as spaces, except where a
 * heading and its title share a paragraph ("BAB I↵KETENTUAN UMUM") or a block of capitals is set
 * with breaks (the region header, the judul): there each part is its own line. Tables in the
 * pembukaan, and tables that hold its formulas or the signature (a layout, not data), are read as
 * their cells' lines; other tables stay tables.
 */

export interface TableLine {
  readonly table: ReadonlyArray<readonly string[]>
}
export type Line = string | TableLine

/** A heading whose title may follow on the next line of the same paragraph. */
const HEADING =
  /^(BAB\s+[IVXLCDM]+|Bagian\s+Ke\S+|Paragraf\s+\d+|Pasal\s+\d+[A-Z]?|LAMPIRAN(\s+[IVXLCDM]+)?|PENJELASAN|II?\.\s*(UMUM|PASAL DEMI PASAL))$/
/** Formulas whose parts are set on lines of their own. */
const FORMULA = /^(Ditetapkan di|Diundangkan di|pada tanggal|Dengan Persetujuan Bersama|Salinan sesuai)\b/i
/** A cell's first line that marks a table as layout, not data. */
const LAYOUT =
  /^(Menimbang|Mengingat|Menetapkan|MEMUTUSKAN|Ditetapkan di|Diundangkan di|LAMPIRAN|PENJELASAN|Pasal\s+\d+|BAB\s+[IVXLCDM]+|Dengan Persetujuan Bersama|GUBERNUR|BUPATI|WALI\s?KOTA)\b/

/** A line as text; a table's cells joined with " | ", its rows with " / ". */
export const lineText = (line: Line): string => (typeof line === 'string' ? line : line.table.map((row) => row.join(' | ')).join(' / '))

const clean = (text: string) => withoutUnprintable(text).replace(/\s+/g, ' ').trim()

/** A paragraph's lines: its label first, then its text, split at breaks where that is what the break means. */
export function paragraphLines(paragraph: SourceParagraph): string[] {
  const segments = paragraph.segments.map(clean).filter(Boolean)
  const label = paragraph.label ? clean(paragraph.label) : ''
  if (label && HEADING.test(label)) segments.unshift(label)
  else if (label) segments[0] = segments.length ? `${label} ${segments[0]}` : label
  if (segments.length < 2) return segments
  const split = HEADING.test(segments[0]!) || FORMULA.test(segments[0]!) || segments.every((s) => !/\p{Ll}/u.test(s))
  return split ? segments : [segments.join(' ')]
}

const cellText = (cell: readonly SourceParagraph[]) => cell.flatMap(paragraphLines).join(' ')

const isLayout = (table: SourceTable) => table.rows.some((row) => row.some((cell) => LAYOUT.test(cell.flatMap(paragraphLines)[0] ?? '')))

/** The lines of a document, blank paragraphs left out. */
export function linesOf(source: SourceDocument): Line[] {
  const lines: Line[] = []
  let inBatangTubuh = false
  for (const block of source.blocks) {
    if (block.kind === 'paragraph') {
      for (const line of paragraphLines(block)) {
        lines.push(line)
        // An amendment's batang tubuh opens with "Pasal I", not a BAB.
        inBatangTubuh ||= /^(BAB\s+[IVXLCDM]+\b|Pasal\s+I$)/.test(line)
      }
    } else if (!inBatangTubuh || isLayout(block)) {
      for (const row of block.rows) for (const cell of row) lines.push(...cell.flatMap(paragraphLines))
    } else {
      const table = block.rows.map((row) => row.map(cellText)).filter((row) => row.some(Boolean))
      if (table.length) lines.push({ table })
    }
  }
  return lines
}
