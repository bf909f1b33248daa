import {
  AlignmentType,
  DeletedTextRun,
  Document,
  Footer,
  InsertedTextRun,
  Packer,
  PageNumber,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TabStopType,
  TextRun,
  WidthType,
  type IParagraphRunOptions,
} from 'docx'
import type { Content, Division, Item, Lampiran, Pasal, Penjelasan, Regulation, Run, TableCell as Cell } from './regulation.js'
import type { InsertedUnits, Revision } from './revisions.js'
import type { SignatureBlock, Wording } from '../../shared/model/wording.js'

/**
 * The draft as a Word document in the customary layout for the Biro Hukum: Bookman Old Style 12 pt
 * on A4, centred judul, BAB and Pasal headings, Menimbang/Mengingat with hanging indents, numbered
 * ayat and huruf/angka lists with hanging indents, page numbers, and the signature block. Runs and
 * units that carry a revision (an open suggestion) become Word tracked changes (`w:ins`/`w:del`).
 */

const CM = 567
const FONT = 'Bookman Old Style'
const SIZE = 24

type Child = TextRun | InsertedTextRun | DeletedTextRun

/**
 * Gives every revision element its own `w:id`, as Word expects (unique within the document). One
 * per export, so the ids of a file do not depend on earlier exports.
 */
class RevisionIds {
  #next = 1
  of(revision: Revision) {
    return { id: this.#next++, author: revision.author, date: revision.date }
  }
}

/** Runs, as tracked changes where they carry a revision; `deletion` marks them all deleted (a deleted Pasal). */
function text(runs: readonly Run[], bold = false, ids?: RevisionIds, deletion?: Revision): Child[] {
  return runs.map((run) => {
    const options = { text: run.text, italics: run.italic, bold: bold || run.bold, font: FONT, size: SIZE }
    const revision = deletion ? { kind: 'del' as const, ...deletion } : run.revision
    if (!revision || !ids) return new TextRun(options)
    return revision.kind === 'ins'
      ? new InsertedTextRun({ ...options, ...ids.of(revision) })
      : new DeletedTextRun({ ...options, ...ids.of(revision) })
  })
}
const plain = (value: string, bold = false) => new TextRun({ text: value, bold, font: FONT, size: SIZE })
const tab = () => new TextRun({ text: '\t', font: FONT, size: SIZE })
/** Fixed wording of a unit (its label, its heading), deleted with the unit when the whole unit is. */
const fixedRuns = (value: string, ids: RevisionIds, deletion?: Revision): Child[] =>
  deletion ? text([{ text: value, italic: false, bold: false }], false, ids, deletion) : [plain(value)]
/** A label and the tab after it. */
const lead = (label: string, ids: RevisionIds, deletion?: Revision): Child[] =>
  deletion ? fixedRuns(`${label}\t`, ids, deletion) : [plain(label), tab()]

const centred = (children: Child[], after = 0) => new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after }, children })

/** Menimbang/Mengingat/Menetapkan: label, colon, marker, text, wrapping under the text. */
function labelled(label: string, items: readonly Item[]): Paragraph[] {
  const left = 4.2 * CM
  const tabStops = [
    { type: TabStopType.LEFT, position: 3 * CM },
    { type: TabStopType.LEFT, position: 3.4 * CM },
    { type: TabStopType.LEFT, position: left },
  ]
  return items.map((item, i) => {
    const runs = item.content[0]?.kind === 'teks' ? item.content[0].runs : []
    const marked = Boolean(item.label)
    return new Paragraph({
      alignment: AlignmentType.JUSTIFIED,
      tabStops,
      indent: { left: marked ? left : 3.4 * CM, hanging: marked ? left : 3.4 * CM },
      spacing: { after: i === items.length - 1 ? 240 : 60 },
      children: [plain(i === 0 ? label : ''), tab(), plain(i === 0 ? ':' : ''), tab(), ...(marked ? [plain(item.label), tab()] : []), ...text(runs)],
    })
  })
}

const STEP = 0.75

/** A paragraph of an ayat or item at an indent (cm); `label` starts its first line, `revision` marks its paragraph mark. */
function line(children: Child[], indent: number, label: string, first: boolean, revision?: IParagraphRunOptions) {
  return new Paragraph({
    alignment: AlignmentType.JUSTIFIED,
    tabStops: [{ type: TabStopType.LEFT, position: indent * CM }],
    indent: first ? { left: indent * CM, hanging: STEP * CM } : { left: (indent - (label ? 0 : STEP)) * CM },
    spacing: { after: 60 },
    ...(revision ? { run: revision } : {}),
    children,
  })
}

/** Paragraphs of an ayat's or item's content at an indent (cm), its first line carrying `label`. */
function content(list: readonly Content[], indent: number, label: string, out: Paragraph[], ids: RevisionIds, deletion?: Revision) {
  list.forEach((c, i) => {
    if (c.kind === 'rincian') {
      for (const item of c.items) {
        content(item.content, indent + STEP, item.label, out, ids, deletion)
        for (const units of item.inserted ?? []) insertedUnits(units, indent + STEP, out, ids)
      }
      return
    }
    const first = i === 0 && label !== ''
    const runs = text(c.runs, false, ids, deletion)
    out.push(line(first ? [...lead(label, ids, deletion), ...runs] : runs, indent, label, first, deletion && { deletion: ids.of(deletion) }))
  })
}

/** Proposed new units (ayat, butir or Pasal) as inserted paragraphs; their numbers follow once accepted, so "…" stands in. */
function insertedUnits(units: InsertedUnits, indent: number, out: Paragraph[], ids: RevisionIds) {
  const inserted = (value: string) => [new InsertedTextRun({ text: value, font: FONT, size: SIZE, ...ids.of(units.revision) })]
  const mark = () => ({ insertion: ids.of(units.revision) })
  for (const unit of units.units) {
    if (units.pasal) out.push(new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after: 120 }, run: mark(), children: inserted('Pasal …') }))
    for (const value of unit) out.push(line(inserted(value), units.pasal ? 0.75 : indent, '', false, mark()))
  }
}

function pasal(p: Pasal, out: Paragraph[], ids: RevisionIds) {
  const deletion = p.deletion
  const mark = deletion && { deletion: ids.of(deletion) }
  out.push(
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { after: 120 },
      ...(mark ? { run: mark } : {}),
      children: fixedRuns(p.label, ids, deletion),
    }),
  )
  const numbered = p.ayat.some((a) => a.label)
  for (const ayat of p.ayat) {
    content(ayat.content, numbered ? 1 : STEP, ayat.label, out, ids, deletion)
    for (const units of ayat.inserted ?? []) insertedUnits(units, numbered ? 1 : STEP, out, ids)
  }
  out.push(new Paragraph({ spacing: { after: 120 }, children: [] }))
  for (const units of p.inserted ?? []) insertedUnits(units, STEP, out, ids)
}

function division(d: Division, out: Paragraph[], ids: RevisionIds) {
  const bold = d.kind === 'bab'
  // An amendment's Pasal I and II stand in a division without a heading.
  if (d.label || d.title.length) out.push(centred([plain(d.label, bold)]), centred(text(d.title, true), 240))
  for (const child of d.children) {
    if (child.kind === 'pasal') pasal(child, out, ids)
    else division(child, out, ids)
  }
}

/** A closing paragraph: the order to promulgate, or one the drafters added. */
const closingParagraph = (children: Child[]) =>
  new Paragraph({ alignment: AlignmentType.JUSTIFIED, indent: { firstLine: 1.25 * CM }, spacing: { before: 240, after: 240 }, children })

/** The signature block (right), the promulgation block (left), the gazette line and a Perda's NOREG. */
function closing(wording: Wording): Paragraph[] {
  const block = (b: SignatureBlock, paragraph: (value: string) => Paragraph) => [b.tempat, b.tanggal, b.jabatan, '', '', '', b.nama].map(paragraph)
  return [
    ...block(wording.penetapan, (value) => new Paragraph({ indent: { left: 8.5 * CM }, children: [plain(value)] })),
    new Paragraph({ children: [] }),
    ...block(wording.pengundangan, (value) => new Paragraph({ children: [plain(value)] })),
    new Paragraph({ spacing: { before: 240 }, children: [plain(wording.berita, true)] }),
    ...(wording.noreg ? [new Paragraph({ spacing: { before: 120 }, children: [plain(wording.noreg, true)] })] : []),
  ]
}

/** A centred heading of a new page: lines in bold capitals, the first breaking the page. */
const pageHeading = (texts: readonly string[]) =>
  texts.map((value, i) => new Paragraph({ alignment: AlignmentType.CENTER, pageBreakBefore: i === 0, children: [plain(value, true)] }))

/** The Penjelasan: its heading, I. UMUM, II. PASAL DEMI PASAL with each Pasal by its current number (SPEC S19). */
function penjelasan(part: Penjelasan, wording: Wording, out: Array<Paragraph | Table>, ids: RevisionIds) {
  out.push(...pageHeading(wording.penjelasan), new Paragraph({ spacing: { before: 240 }, children: [plain('I.\tUMUM', true)] }))
  const paragraphs: Paragraph[] = []
  content(part.umum, STEP, '', paragraphs, ids)
  out.push(...paragraphs, new Paragraph({ spacing: { before: 240 }, children: [plain('II.\tPASAL DEMI PASAL', true)] }))
  for (const entry of part.pasal) {
    const entryParagraphs: Paragraph[] = [new Paragraph({ indent: { left: STEP * CM }, spacing: { before: 120 }, children: [plain(entry.label)] })]
    content(entry.content, 2 * STEP, '', entryParagraphs, ids)
    out.push(...entryParagraphs)
  }
}

const FULL_WIDTH = 100

function table(rows: ReadonlyArray<readonly Cell[]>, ids: RevisionIds): Table {
  return new Table({
    width: { size: FULL_WIDTH, type: WidthType.PERCENTAGE },
    rows: rows.map(
      (row) =>
        new TableRow({
          children: row.map((cell) => {
            const paragraphs: Paragraph[] = []
            content(cell.content, STEP, '', paragraphs, ids)
            return new TableCell({
              columnSpan: cell.colspan,
              rowSpan: cell.rowspan,
              children: paragraphs.length ? paragraphs : [new Paragraph({ children: [] })],
            })
          }),
        }),
    ),
  })
}

/** A Lampiran on its own page: the heading block at the right, its subject, its parts, the signature. */
function lampiran(part: Lampiran, wording: Wording, out: Array<Paragraph | Table>, ids: RevisionIds) {
  const right = { left: 8.5 * CM }
  out.push(
    ...[part.label, ...wording.lampiran].map((value, i) => new Paragraph({ indent: right, pageBreakBefore: i === 0, children: [plain(value)] })),
    centred(text(part.judul, true), 240),
  )
  for (const block of part.blocks) {
    if (block.kind === 'subjudul') out.push(new Paragraph({ spacing: { before: 120, after: 60 }, children: text(block.runs, true) }))
    else if (block.kind === 'tabel') out.push(table(block.rows, ids))
    else {
      const paragraphs: Paragraph[] = []
      content([block], STEP, '', paragraphs, ids)
      out.push(...paragraphs)
    }
  }
  out.push(
    ...[wording.penetapan.jabatan, '', '', '', wording.penetapan.nama].map((value) => new Paragraph({ indent: right, children: [plain(value)] })),
  )
}

export async function toDocx(regulation: Regulation): Promise<Uint8Array> {
  const { wording } = regulation
  const out: Array<Paragraph | Table> = [
    ...(wording.rancangan ? [centred([plain('RANCANGAN', true)], 120)] : []),
    centred([plain(wording.judulJenis, true)]),
    centred([plain(wording.judulNomor, true)], 240),
    centred([plain('TENTANG', true)], 120),
    centred(text(regulation.nama, true), 360),
    centred([plain('DENGAN RAHMAT TUHAN YANG MAHA ESA', true)], 240),
    centred([plain(wording.jabatan, true)], 360),
    ...labelled('Menimbang', regulation.menimbang),
    ...labelled('Mengingat', regulation.mengingat),
    ...(wording.persetujuan ?? []).map((line, i, all) => centred([plain(line, true)], i === all.length - 1 ? 240 : 0)),
    centred([plain('MEMUTUSKAN:', true)], 240),
    ...labelled('Menetapkan', [
      { id: null, label: '', content: [{ kind: 'teks', runs: [{ text: wording.menetapkan, italic: false, bold: false }] }] },
    ]),
  ]
  const ids = new RevisionIds()
  const body: Paragraph[] = []
  for (const bab of regulation.bab) division(bab, body, ids)
  out.push(...body)
  if (regulation.signed) out.push(closingParagraph([plain(wording.perintahPengundangan)]))
  for (const para of regulation.penutup) out.push(closingParagraph(text(para)))
  if (regulation.signed) out.push(...closing(wording))
  if (regulation.penjelasan) penjelasan(regulation.penjelasan, wording, out, ids)
  for (const part of regulation.lampiran) lampiran(part, wording, out, ids)
  const document = new Document({
    creator: 'Rancang',
    title: regulation.nama.map((r) => r.text).join(''),
    styles: { default: { document: { run: { font: FONT, size: SIZE } } } },
    sections: [
      {
        properties: { page: { size: { width: 11906, height: 16838 }, margin: { top: 2.5 * CM, bottom: 2.5 * CM, left: 3 * CM, right: 2 * CM } } },
        footers: {
          default: new Footer({
            children: [
              new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ children: [PageNumber.CURRENT], font: FONT, size: 20 })] }),
            ],
          }),
        },
        children: out,
      },
    ],
  })
  return new Uint8Array(await Packer.toBuffer(document))
}
