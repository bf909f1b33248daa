import { AlignmentType, Document, Footer, Packer, PageNumber, Paragraph, TabStopType, TextRun } from 'docx'
import type { Content, Division, Item, Pasal, Regulation, Run } from './regulation.js'
import type { SignatureBlock, Wording } from '../../shared/model/wording.js'

/**
 * The draft as a Word document in the customary layout for the Biro Hukum: Bookman Old Style 12 pt
 * on A4, centred judul, BAB and Pasal headings, Menimbang/Mengingat with hanging indents, numbered
 * ayat and huruf/angka lists with hanging indents, page numbers, and the signature block.
 */

const CM = 567
const FONT = 'Bookman Old Style'
const SIZE = 24

const text = (runs: readonly Run[], bold = false) =>
  runs.map((run) => new TextRun({ text: run.text, italics: run.italic, bold: bold || run.bold, font: FONT, size: SIZE }))
const plain = (value: string, bold = false) => new TextRun({ text: value, bold, font: FONT, size: SIZE })
const tab = () => new TextRun({ text: '\t', font: FONT, size: SIZE })

const centred = (children: TextRun[], after = 0) => new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after }, children })

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

/** Paragraphs of an ayat's or item's content at an indent (cm), its first line carrying `label`. */
function content(list: readonly Content[], indent: number, label: string, out: Paragraph[]) {
  const step = 0.75
  list.forEach((c, i) => {
    if (c.kind === 'rincian') {
      for (const item of c.items) content(item.content, indent + step, item.label, out)
      return
    }
    const first = i === 0 && label !== ''
    out.push(
      new Paragraph({
        alignment: AlignmentType.JUSTIFIED,
        tabStops: [{ type: TabStopType.LEFT, position: indent * CM }],
        indent: first ? { left: indent * CM, hanging: step * CM } : { left: (indent - (label ? 0 : step)) * CM },
        spacing: { after: 60 },
        children: first ? [plain(label), tab(), ...text(c.runs)] : text(c.runs),
      }),
    )
  })
}

function pasal(p: Pasal, out: Paragraph[]) {
  out.push(centred([plain(p.label)], 120))
  const numbered = p.ayat.some((a) => a.label)
  for (const ayat of p.ayat) content(ayat.content, numbered ? 1 : 0.75, ayat.label, out)
  out.push(new Paragraph({ spacing: { after: 120 }, children: [] }))
}

function division(d: Division, out: Paragraph[]) {
  const bold = d.kind === 'bab'
  out.push(centred([plain(d.label, bold)]), centred(text(d.title, true), 240))
  for (const child of d.children) {
    if (child.kind === 'pasal') pasal(child, out)
    else division(child, out)
  }
}

/** A closing paragraph: the order to promulgate, or one the drafters added. */
const closingParagraph = (children: TextRun[]) =>
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

export async function toDocx(regulation: Regulation): Promise<Uint8Array> {
  const { wording } = regulation
  const out: Paragraph[] = [
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
  for (const bab of regulation.bab) division(bab, out)
  if (regulation.signed) out.push(closingParagraph([plain(wording.perintahPengundangan)]))
  for (const para of regulation.penutup) out.push(closingParagraph(text(para)))
  if (regulation.signed) out.push(...closing(wording))
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
