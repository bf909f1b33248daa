import { AlignmentType, Document, Packer, PageOrientation, Paragraph, Table, TableCell, TableRow, TextRun, VerticalMergeType, WidthType } from 'docx'
import type { Node } from 'prosemirror-model'
import type { Author } from '../../shared/accounts.js'
import { numberDocument } from '../../shared/model/numbering.js'
import type { Suggestion } from '../../shared/suggestions.js'
import { ATOM_CHARACTER, BLOCK_SEPARATOR } from '../../shared/suggestionAnchor.js'
import type { PlacedSuggestion } from './revisions.js'

/**
 * The "matriks harmonisasi": the working paper of the rapat harmonisasi, one row per suggestion,
 * grouped per Pasal in document order: No. | Pasal | Rumusan semula | Usulan perubahan | Alasan |
 * Keputusan. Pasal and ayat numbers are derived from the live draft at export time; a suggestion
 * whose Pasal is gone keeps the label it was made on, marked "(dihapus)", at the end.
 */

const CM = 567
const FONT = 'Bookman Old Style'
const SIZE = 20
/** Kalimantan Timur keeps WITA; the rapat reads decisions in its own time. */
const TIME_ZONE = 'Asia/Makassar'
const dateTime = new Intl.DateTimeFormat('id-ID', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: TIME_ZONE,
})

/** Column widths (cm) on landscape A4 with 2 cm margins: 25.7 cm of text width. */
const COLUMNS = [
  { title: 'No.', width: 1.2 },
  { title: 'Pasal', width: 2.6 },
  { title: 'Rumusan semula', width: 6.4 },
  { title: 'Usulan perubahan', width: 6.4 },
  { title: 'Alasan', width: 4.6 },
  { title: 'Keputusan', width: 4.5 },
] as const

const DECISIONS: Record<Suggestion['status'], string> = {
  open: 'Terbuka',
  stale: 'Terbuka',
  accepted: 'Diterima',
  rejected: 'Ditolak',
  withdrawn: 'Ditarik',
}

/** One line of a cell: its runs' text and weight. */
type Line = ReadonlyArray<{ readonly text: string; readonly bold?: boolean; readonly italic?: boolean }>

export interface MatriksRow {
  readonly pasal: string
  /** "ayat (2)" when the Pasal has numbered ayat and the suggestion is placed in one. */
  readonly ayat: string
  readonly semula: readonly Line[]
  readonly usulan: readonly Line[]
  readonly alasan: readonly Line[]
  readonly keputusan: readonly Line[]
}

export const formatDate = (iso: string) => dateTime.format(new Date(iso))
const person = (author: Author) => (author.bidang ? `${author.name} (${author.bidang})` : author.name)
const quoted = (text: string) => `“${text}”`

function semula(suggestion: Suggestion, pasal: string): Line[] {
  if (suggestion.kind === 'deletePasal') return [[{ text: `Seluruh ${pasal}` }]]
  if (suggestion.kind === 'blocks' || !suggestion.anchor.range.quote) return [[{ text: '—' }]]
  // A quote spanning ayat holds a line break per ayat; a live reference in it has no words of its own.
  const lines = suggestion.anchor.range.quote.replaceAll(ATOM_CHARACTER, '[rujukan]').split(BLOCK_SEPARATOR)
  return lines.map((line, i) => [{ text: `${i === 0 ? '“' : ''}${line}${i === lines.length - 1 ? '”' : ''}` }])
}

/** The text of proposed units, one line per text block. */
function blockLines(blocks: readonly unknown[]): Line[] {
  const lines: Line[] = []
  const walk = (json: unknown) => {
    const node = json as { type?: unknown; text?: unknown; content?: unknown }
    if (typeof node !== 'object' || node === null) return
    if (node.type === 'teks' && Array.isArray(node.content)) {
      const text = node.content.map((child: { text?: unknown }) => (typeof child?.text === 'string' ? child.text : '')).join('')
      lines.push([{ text }])
    } else if (Array.isArray(node.content)) node.content.forEach(walk)
  }
  blocks.forEach(walk)
  return lines
}

function usulan(suggestion: Suggestion): Line[] {
  const by: Line = [{ text: `Diusulkan oleh ${person(suggestion.author)}, ${formatDate(suggestion.createdAt)}`, italic: true }]
  if (suggestion.kind === 'deletePasal') return [[{ text: 'Pasal dihapus.' }], by]
  if (suggestion.kind === 'blocks') return [[{ text: 'Unit baru:', bold: true }], ...blockLines(suggestion.blocks ?? []), by]
  if (!suggestion.insert) return [[{ text: 'Dihapus.' }], by]
  return [[{ text: suggestion.anchor.range.quote ? quoted(suggestion.insert) : `Sisipan: ${quoted(suggestion.insert)}` }], by]
}

function keputusan(suggestion: Suggestion): Line[] {
  const lines: Line[] = [[{ text: DECISIONS[suggestion.status], bold: true }]]
  if (suggestion.decidedBy) lines.push([{ text: `oleh ${person(suggestion.decidedBy)}` }])
  if (suggestion.decidedAt) lines.push([{ text: formatDate(suggestion.decidedAt) }])
  if (suggestion.status === 'stale') {
    lines.push([{ text: 'Teks sudah berubah', italic: true }])
    if (suggestion.current !== undefined) lines.push([{ text: `Kini: ${quoted(suggestion.current)}` }])
  }
  return lines
}

/**
 * The rows of the matriks: every suggestion of `suggestions` (any status), grouped per Pasal in the
 * order of `doc`, within a Pasal by position where `placed` knows it, else oldest first.
 */
export function matriksRows(doc: Node, suggestions: readonly Suggestion[], placed: readonly PlacedSuggestion[]): MatriksRow[] {
  const numbering = numberDocument(doc)
  const labelAt = new Map(numbering.labels.map((l) => [l.pos, l]))
  const positions = new Map(placed.map((p) => [p.suggestion.id, p.from]))
  const ayatOf = (pos: number | undefined) => {
    if (pos === undefined) return ''
    const $pos = doc.resolve(pos)
    for (let depth = $pos.depth; depth > 0; depth--) {
      if ($pos.node(depth).type.name !== 'ayat') continue
      const label = labelAt.get($pos.before(depth))?.label
      return label ? `ayat ${label}` : ''
    }
    return ''
  }
  const keyed = suggestions.map((suggestion) => {
    const label = numbering.byId.get(suggestion.anchor.pasalId)
    const live = label?.kind === 'pasal' ? label : undefined
    return {
      suggestion,
      pasal: live ? live.label : `${suggestion.origin.pasalLabel} (dihapus)`,
      // Gone Pasal sort after every live one, grouped by the label they had.
      order: live ? live.pos : Number.MAX_SAFE_INTEGER,
      pos: positions.get(suggestion.id),
    }
  })
  keyed.sort(
    (a, b) =>
      a.order - b.order ||
      a.pasal.localeCompare(b.pasal) ||
      (a.pos ?? Number.MAX_SAFE_INTEGER) - (b.pos ?? Number.MAX_SAFE_INTEGER) ||
      a.suggestion.createdAt.localeCompare(b.suggestion.createdAt),
  )
  return keyed.map(({ suggestion, pasal, pos }) => ({
    pasal,
    ayat: ayatOf(pos),
    semula: semula(suggestion, pasal),
    usulan: usulan(suggestion),
    alasan: suggestion.note ? suggestion.note.split('\n').map((text) => [{ text }]) : [[{ text: '—' }]],
    keputusan: keputusan(suggestion),
  }))
}

const paragraph = (line: Line, alignment: (typeof AlignmentType)[keyof typeof AlignmentType] = AlignmentType.LEFT) =>
  new Paragraph({
    alignment,
    spacing: { after: 40 },
    children: line.map((run) => new TextRun({ text: run.text, bold: run.bold, italics: run.italic, font: FONT, size: SIZE })),
  })

const cell = (lines: readonly Line[], index: number, options: { merge?: 'restart' | 'continue'; header?: boolean } = {}) =>
  new TableCell({
    width: { size: COLUMNS[index]!.width * CM, type: WidthType.DXA },
    margins: { top: 60, bottom: 60, left: 100, right: 100 },
    ...(options.header ? { shading: { fill: 'D9D9D9' } } : {}),
    ...(options.merge ? { verticalMerge: options.merge === 'restart' ? VerticalMergeType.RESTART : VerticalMergeType.CONTINUE } : {}),
    children: lines.map((line) => paragraph(line, options.header || index < 2 ? AlignmentType.CENTER : AlignmentType.LEFT)),
  })

/** The matriks as a Word file: landscape A4, title block, the table with its header repeated on every page. */
export async function toMatriks(rows: readonly MatriksRow[], judul: string, date: string): Promise<Uint8Array> {
  const header = new TableRow({
    tableHeader: true,
    children: COLUMNS.map((column, i) => cell([[{ text: column.title, bold: true }]], i, { header: true })),
  })
  const body = rows.map((row, i) => {
    // One Pasal cell per group: merged down over the Pasal's rows.
    const first = i === 0 || rows[i - 1]!.pasal !== row.pasal
    const pasalLines: Line[] = first ? [[{ text: row.pasal, bold: true }]] : []
    return new TableRow({
      cantSplit: true,
      children: [
        cell([[{ text: `${i + 1}.` }]], 0),
        cell(pasalLines, 1, { merge: first ? 'restart' : 'continue' }),
        cell(row.ayat ? [[{ text: row.ayat, bold: true }], ...row.semula] : row.semula, 2),
        cell(row.usulan, 3),
        cell(row.alasan, 4),
        cell(row.keputusan, 5),
      ],
    })
  })
  const empty = new TableRow({
    children: [
      new TableCell({
        columnSpan: COLUMNS.length,
        children: [paragraph([{ text: 'Belum ada usulan perubahan.', italic: true }], AlignmentType.CENTER)],
      }),
    ],
  })
  const centred = (text: string, after = 0) =>
    new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after }, children: [new TextRun({ text, bold: true, font: FONT, size: 24 })] })
  const document = new Document({
    creator: 'Rancang',
    title: `Matriks harmonisasi: ${judul}`,
    styles: { default: { document: { run: { font: FONT, size: SIZE } } } },
    sections: [
      {
        properties: {
          page: {
            size: { width: 11906, height: 16838, orientation: PageOrientation.LANDSCAPE },
            margin: { top: 2 * CM, bottom: 2 * CM, left: 2 * CM, right: 2 * CM },
          },
        },
        children: [
          centred('MATRIKS HARMONISASI'),
          centred(judul.toUpperCase(), 120),
          new Paragraph({
            alignment: AlignmentType.CENTER,
            spacing: { after: 240 },
            children: [new TextRun({ text: `Keadaan per ${formatDate(date)} WITA`, font: FONT, size: SIZE })],
          }),
          new Table({
            width: { size: COLUMNS.reduce((sum, column) => sum + column.width, 0) * CM, type: WidthType.DXA },
            columnWidths: COLUMNS.map((column) => column.width * CM),
            rows: [header, ...(body.length > 0 ? body : [empty])],
          }),
        ],
      },
    ],
  })
  return new Uint8Array(await Packer.toBuffer(document))
}
