import { AlignmentType, Document, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx'
import { Node } from 'prosemirror-model'
import type { AmendmentPoint, QuotedUnit, UnitAddress, UnitStep } from '../../shared/amendment/points.js'
import { huruf } from '../../shared/model/ordinals.js'
import { schema } from '../../shared/model/schema.js'
import { ordinalValue, romanValue } from './unitNumbers.js'

/**
 * The "tabel perbandingan" for the rapat on an amendment: two columns, ketentuan lama (the base)
 * and ketentuan baru (as the amendment points have it), one row per changed unit in the order of
 * the points, each under a line citing the units its point names. A point that quotes a whole Pasal compares that Pasal as a whole (the drafters read
 * an ayat in its Pasal); a new unit has "(baru)" on the left, a deleted one "Dihapus" on the right.
 * Pure up to the Word file: `perbandinganRows` works on the base's ProseMirror document and the
 * points, so it can be fed by the generator or by the Word import.
 */

/** One paragraph of a cell. */
export interface CellLine {
  readonly text: string
  readonly bold?: boolean
  readonly italic?: boolean
}

export interface PerbandinganRow {
  /** The units the row is about, as cited: "Pasal 8 ayat (2a)". */
  readonly unit: string
  readonly lama: readonly CellLine[]
  readonly baru: readonly CellLine[]
}

export const BARU = '(baru)'
export const DIHAPUS = 'Dihapus'
/** When the base does not hold a unit a point names (a wrong address, or a base not yet imported). */
export const NOT_IN_BASE = '(tidak ditemukan dalam peraturan yang diubah)'

/** The 1-based position a base's number names: "III" → 3, "c" → 3, "Kedua" → 2, "4" → 4; NaN for a suffixed number ("8A"). */
function position(step: UnitStep): number {
  if (step.kind === 'bab' || step.kind === 'lampiran') return romanValue(step.number)
  if (step.kind === 'bagian') return ordinalValue(step.number)
  if (step.kind === 'huruf') return /^[a-z]$/.test(step.number) ? step.number.charCodeAt(0) - 96 : Number.NaN
  return /^\d+$/.test(step.number) ? Number(step.number) : Number.NaN
}

const childrenOf = (node: Node, type: string) => {
  const found: Node[] = []
  node.forEach((child) => {
    if (child.type.name === type) found.push(child)
  })
  return found
}

/** The unit of the base an address names, counted as the base numbers its units (Pasal through the whole text); null if none. */
export function findUnit(doc: Node, address: UnitAddress): Node | null {
  let node: Node | null = doc
  for (const step of address) {
    if (!node) return null
    const n = position(step)
    if (Number.isNaN(n)) return null
    if (step.kind === 'lampiran') node = childrenOf(doc, 'lampiran')[n - 1] ?? null
    else if (step.kind === 'bab') node = childrenOf(doc.child(2), 'bab')[n - 1] ?? null
    else if (step.kind === 'bagian' || step.kind === 'paragraf') node = childrenOf(node, step.kind)[n - 1] ?? null
    else if (step.kind === 'pasal') {
      const pasal: Node[] = []
      doc.descendants((child) => {
        if (child.type.name === 'pasal') pasal.push(child)
        return child.type.name !== 'pasal' && !child.isTextblock
      })
      node = pasal[n - 1] ?? null
    } else if (step.kind === 'ayat') node = childrenOf(node, 'ayat')[n - 1] ?? null
    else {
      // huruf/angka: an item of the first rincian of the ayat (or of a Pasal's only ayat, or of an item).
      const holder: Node | undefined = node.type.name === 'pasal' ? childrenOf(node, 'ayat')[0] : node
      const list: Node | undefined = holder && childrenOf(holder, 'rincian')[0]
      node = list ? (childrenOf(list, 'butir')[n - 1] ?? null) : null
    }
  }
  return node === doc ? null : node
}

/** "Pasal 8 ayat (2a)", "BAB III", "huruf c", as a citation reads. */
export function citation(address: UnitAddress): string {
  return address
    .map((step) =>
      step.kind === 'ayat'
        ? `ayat (${step.number})`
        : `${step.kind === 'bab' ? 'BAB' : step.kind[0]!.toUpperCase() + step.kind.slice(1)} ${step.number}`,
    )
    .join(' ')
    .replace(/ (Huruf|Angka) /g, (m) => m.toLowerCase())
}

/** Rincian markers by depth, for the outermost rincian's kind (Lampiran II). */
const MARKERS = {
  huruf: [(n: number) => `${huruf(n)}.`, (n: number) => `${n}.`, (n: number) => `${huruf(n)})`, (n: number) => `${n})`],
  angka: [(n: number) => `${n}.`, (n: number) => `${huruf(n)}.`, (n: number) => `${n})`, (n: number) => `${huruf(n)})`],
}

/**
 * The lines of a unit as it reads: headings and titles, ayat with their numbers (`ayatNumbers`, when
 * a point gives the quoted Pasal's own, e.g. "2a"), rincian with their markers, table rows.
 */
export function unitLines(node: Node, heading: string, ayatNumbers?: readonly string[]): CellLine[] {
  const lines: CellLine[] = [{ text: heading, bold: true }]
  const blocks = (parent: Node, prefix: string, outer: 'huruf' | 'angka' | null, depth: number) => {
    let first = true
    parent.forEach((child) => {
      if (child.type.name === 'rincian') {
        const kind = outer ?? (child.attrs.jenis === 'angka' ? 'angka' : 'huruf')
        const marker = MARKERS[kind][Math.min(depth, 3)]!
        child.forEach((item, _, i) => blocks(item, `${marker(i + 1)} `, kind, depth + 1))
      } else if (child.isTextblock) {
        lines.push({ text: `${first ? prefix : ''}${child.textContent}` })
        first = false
      } else blocks(child, '', outer, depth)
    })
  }
  if (node.type.name === 'pasal') {
    const ayat = childrenOf(node, 'ayat')
    ayat.forEach((a, i) => blocks(a, ayat.length > 1 ? `(${ayatNumbers?.[i] ?? i + 1}) ` : '', null, 0))
  } else blocks(node, '', null, 0)
  return lines
}

/**
 * The numbers of a quoted Pasal's ayat when a point inserts or adds ayat to it: the base's numbers
 * around the new ones, which carry the numbers the point gives them ("(2a)"). Null when the point
 * adds no ayat (the quoted Pasal then numbers its ayat from 1).
 */
function quotedAyatNumbers(point: AmendmentPoint, quoted: UnitAddress, count: number): string[] | null {
  const added = point.units.filter((unit) => unit.at(-1)?.kind === 'ayat' && unit.length === quoted.length + 1)
  if (!added.length || (point.action !== 'disisipkan' && point.action !== 'ditambahkan')) return null
  const before = point.action === 'disisipkan' && point.between ? position(point.between[0].at(-1)!) : count - added.length
  if (Number.isNaN(before)) return null
  return Array.from({ length: count }, (_, i) =>
    i < before ? String(i + 1) : i < before + added.length ? added[i - before]!.at(-1)!.number : String(i + 1 - added.length),
  )
}

const label = (address: UnitAddress, node: Node) =>
  node.type.name === 'lampiran' ? `Lampiran ${address.at(-1)!.number}` : citation(address.slice(-1)).replace(/^(\w)/, (c) => c.toUpperCase())

/** The row for one unit a point changes: `quoted` is its new text, absent for a whole unit deleted. */
function row(base: Node, point: AmendmentPoint, quoted: QuotedUnit | undefined): PerbandinganRow {
  const unit = point.units.map(citation).join(', ')
  const compared = quoted?.address ?? (point.units.length === 1 ? point.units[0]! : null)
  const old = compared ? findUnit(base, compared) : null
  const isNew = point.action !== 'diubah' && point.action !== 'dihapus' && !old
  const lama: CellLine[] = isNew
    ? [{ text: BARU, italic: true }]
    : old && compared
      ? point.aspect === 'judul'
        ? [{ text: label(compared, old), bold: true }, { text: old.firstChild?.textContent ?? '' }]
        : unitLines(old, label(compared, old))
      : [{ text: compared ? NOT_IN_BASE : point.units.map(citation).join(', '), italic: true }]
  let baru: CellLine[]
  if (quoted) {
    const node = Node.fromJSON(schema, quoted.node)
    const numbers = node.type.name === 'pasal' ? quotedAyatNumbers(point, quoted.address, node.childCount) : null
    baru =
      point.aspect === 'judul'
        ? [{ text: label(quoted.address, node), bold: true }, { text: node.firstChild?.textContent ?? '' }]
        : unitLines(node, label(quoted.address, node), numbers ?? undefined)
  } else baru = [{ text: point.action === 'dihapus' ? DIHAPUS : '', italic: true }]
  return { unit, lama, baru }
}

/** The rows of the table, one per changed unit (a point quoting two new Pasal gives two), in the order of the points. */
export const perbandinganRows = (base: Node, points: readonly AmendmentPoint[]): PerbandinganRow[] =>
  points.flatMap((point) => (point.quoted?.length ? point.quoted.map((quoted) => row(base, point, quoted)) : [row(base, point, undefined)]))

const CM = 567
const FONT = 'Bookman Old Style'
const SIZE = 20
/** Two equal columns on portrait A4 with 2 cm margins: 17 cm of text width. */
const COLUMN = 8.5 * CM

const paragraph = (line: CellLine, alignment: (typeof AlignmentType)[keyof typeof AlignmentType] = AlignmentType.LEFT) =>
  new Paragraph({
    alignment,
    spacing: { after: 40 },
    children: [new TextRun({ text: line.text, bold: line.bold, italics: line.italic, font: FONT, size: SIZE })],
  })
const cell = (lines: readonly CellLine[], options: { header?: boolean; span?: number; shaded?: boolean } = {}) =>
  new TableCell({
    width: { size: COLUMN * (options.span ?? 1), type: WidthType.DXA },
    margins: { top: 60, bottom: 60, left: 100, right: 100 },
    ...(options.span ? { columnSpan: options.span } : {}),
    ...(options.header ? { shading: { fill: 'D9D9D9' } } : options.shaded ? { shading: { fill: 'F2F2F2' } } : {}),
    children: lines.map((line) => paragraph(line, options.header ? AlignmentType.CENTER : AlignmentType.LEFT)),
  })

/** The table as a Word file: the title, then the two columns with their header repeated on every page. */
export async function toPerbandingan(rows: readonly PerbandinganRow[], judul: string): Promise<Uint8Array> {
  const header = new TableRow({
    tableHeader: true,
    children: ['KETENTUAN LAMA', 'KETENTUAN BARU'].map((text) => cell([{ text, bold: true }], { header: true })),
  })
  // Each change opens with the units its point names, across both columns, then the two texts.
  const body = rows.flatMap((row, i) => [
    new TableRow({ cantSplit: true, children: [cell([{ text: `${i + 1}. ${row.unit}`, bold: true }], { span: 2, shaded: true })] }),
    new TableRow({ children: [cell(row.lama), cell(row.baru)] }),
  ])
  const empty = new TableRow({ children: [cell([{ text: 'Tidak ada ketentuan yang diubah.', italic: true }], { span: 2 })] })
  const centred = (text: string, after = 0) =>
    new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after }, children: [new TextRun({ text, bold: true, font: FONT, size: 24 })] })
  const document = new Document({
    creator: 'Rancang',
    title: `Tabel perbandingan: ${judul}`,
    styles: { default: { document: { run: { font: FONT, size: SIZE } } } },
    sections: [
      {
        properties: { page: { size: { width: 11906, height: 16838 }, margin: { top: 2 * CM, bottom: 2 * CM, left: 2 * CM, right: 2 * CM } } },
        children: [
          centred('TABEL PERBANDINGAN'),
          centred(judul.toUpperCase(), 240),
          new Table({
            width: { size: 2 * COLUMN, type: WidthType.DXA },
            columnWidths: [COLUMN, COLUMN],
            rows: [header, ...(body.length ? body : [empty])],
          }),
        ],
      },
    ],
  })
  return new Uint8Array(await Packer.toBuffer(document))
}
