import type { Node } from 'prosemirror-model'
import { schema } from '../../shared/model/schema.js'
import { bab, bagian, paragraf, regulation, teks, unit } from '../../shared/model/builders.js'
import { withoutUnprintable } from '../../shared/text.js'
import { upgradeDocument } from '../../shared/model/legacy.js'
import { Refusal } from '../refusal.js'

/**
 * Recognises the structure of a Peraturan Gubernur in the paragraphs of a Word draft, as typed by
 * drafters and as our own DOCX export lays it out: the judul, Menimbang, Mengingat, Menetapkan,
 * BAB / Bagian / Paragraf headings each followed by its title, "Pasal N", ayat "(1)", rincian "a.",
 * "1.", "a)", "1)", and the penutup. Numbers in the file are read only to recognise a unit; the
 * draft derives its own. The signature block is fixed in the schema and so skipped.
 */

export interface RecognisedDraft {
  /** e.g. "PERATURAN GUBERNUR KALIMANTAN TIMUR" */
  readonly jenis: string
  /** The subject after TENTANG, e.g. "PENYELENGGARAAN SISTEM PEMERINTAHAN BERBASIS ELEKTRONIK". */
  readonly nama: string
  readonly doc: Node
  readonly counts: { readonly bab: number; readonly pasal: number }
}

type Style = 'huruf.' | 'angka.' | 'huruf)' | 'angka)'
type Block = { readonly kind: 'teks'; text: string } | { readonly kind: 'list'; readonly style: Style; readonly items: Block[][] }

interface Pasal {
  readonly heading: string
  readonly ayat: Block[][]
}
interface Container {
  readonly kind: 'bab' | 'bagian' | 'paragraf'
  readonly heading: string
  title: string | null
  readonly children: Array<Container | Pasal>
}

const LABELS: ReadonlyArray<[Style, RegExp]> = [
  ['huruf.', /^([a-z])\.\s*(.+)$/],
  ['angka.', /^(\d{1,3})\.\s*(.+)$/],
  ['huruf)', /^([a-z])\)\s*(.+)$/],
  ['angka)', /^(\d{1,3})\)\s*(.+)$/],
]

export const BAB = /^BAB\s+[IVXLCDM]+$/i
export const BAGIAN = /^Bagian\s+Ke\S+$/i
export const PARAGRAF = /^Paragraf\s+\d+$/i
export const PASAL = /^Pasal\s+\d+[A-Z]?$/
/** Where the batang tubuh ends and the penutup begins. */
export const PENUTUP = /^Agar setiap orang mengetahuinya/i
const AYAT = /^\(\d{1,3}\)\s*(.*)$/
const MENIMBANG = /^Menimbang\s*:?\s*/i
const MENGINGAT = /^Mengingat\s*:?\s*/i
const MENETAPKAN = /^Menetapkan\s*:?\s*/i
const POINT = /^[a-z]\.\s*/
const ITEM = /^\d{1,3}\.\s*/

/**
 * The unit label that starts a paragraph as laid out ("(2)", "a.", "1)", then a tab or spaces) and
 * where the unit's own text begins, or null: the same labels as LABELS and AYAT, on raw text.
 */
export function leadingLabel(text: string): { label: string; offset: number } | null {
  const match = /^\s*(\(\d{1,3}\)|[a-z][.)]|\d{1,3}[.)])\s+/.exec(text)
  return match ? { label: match[1]!, offset: match[0].length } : null
}

const label = (line: string): { style: Style; text: string } | null => {
  for (const [style, pattern] of LABELS) {
    const match = pattern.exec(line)
    if (match) return { style, text: match[2]!.trim() }
  }
  return null
}

/** Adds a paragraph to the last entry of `list`, or starts one; a point split over paragraphs is one point. */
function addPoint(list: string[], line: string, labelled: boolean) {
  if (labelled || list.length === 0) list.push(line)
  else list[list.length - 1] += ` ${line}`
}

export function recogniseDraft(paragraphs: readonly string[]): RecognisedDraft {
  const lines = paragraphs.map((p) => withoutUnprintable(p).replace(/\s+/g, ' ').trim()).filter(Boolean)
  let i = 0
  const next = () => lines[i++]!
  const at = (pattern: RegExp) => i < lines.length && pattern.test(lines[i]!)

  // Judul: [RANCANGAN] jenis, NOMOR …, TENTANG, nama, DENGAN RAHMAT TUHAN YANG MAHA ESA, jabatan.
  const jenis: string[] = []
  const nama: string[] = []
  let jabatan = ''
  let part: 'jenis' | 'nama' | 'jabatan' = 'jenis'
  while (i < lines.length && !at(MENIMBANG)) {
    const line = next()
    if (/^RANCANGAN$/i.test(line) || /^NOMOR\b/i.test(line)) continue
    if (/^TENTANG$/i.test(line)) part = 'nama'
    else if (/^DENGAN RAHMAT TUHAN YANG MAHA ESA$/i.test(line)) part = 'jabatan'
    else if (part === 'jenis') jenis.push(line)
    else if (part === 'nama') nama.push(line)
    else jabatan = jabatan ? `${jabatan} ${line}` : line
  }
  if (i === lines.length)
    throw new Refusal('unreadable', 'Bagian "Menimbang" tidak ditemukan: berkas ini tidak tampak seperti rancangan peraturan gubernur.')
  if (jenis.length === 0 || nama.length === 0)
    throw new Refusal('unreadable', 'Judul tidak ditemukan: di atas "Menimbang" harus ada jenis peraturan, "TENTANG", dan nama peraturan.')

  const menimbang: string[] = []
  while (i < lines.length && !at(MENGINGAT)) {
    const line = next().replace(MENIMBANG, '')
    addPoint(menimbang, line.replace(POINT, ''), POINT.test(line))
  }
  const mengingat: string[] = []
  while (i < lines.length && !at(MENETAPKAN) && !at(BAB)) {
    const line = next().replace(MENGINGAT, '')
    if (/^MEMUTUSKAN\s*:?$/i.test(line)) continue
    addPoint(mengingat, line.replace(ITEM, ''), ITEM.test(line))
  }
  if (menimbang.length === 0 || mengingat.length === 0)
    throw new Refusal('unreadable', 'Bagian "Menimbang" dan "Mengingat" harus memuat sedikitnya satu butir.')
  let menetapkan = ''
  while (i < lines.length && !at(BAB)) menetapkan = `${menetapkan} ${next().replace(MENETAPKAN, '')}`.trim()
  if (!menetapkan) throw new Refusal('unreadable', '"Menetapkan" tidak ditemukan sebelum BAB pertama.')
  if (i === lines.length) throw new Refusal('unreadable', 'Batang tubuh tidak ditemukan: naskah harus memuat sedikitnya satu "BAB".')

  // Batang tubuh.
  const babs: Container[] = []
  let open: Container[] = []
  let pasal: Pasal | null = null
  let ayat: Block[] | null = null
  /** Open rincian of the current ayat, outermost first. */
  let lists: Array<Extract<Block, { kind: 'list' }>> = []
  let pasalCount = 0
  const openContainer = (kind: Container['kind'], heading: string) => {
    const depth = kind === 'bab' ? 0 : kind === 'bagian' ? 1 : 2
    if (depth > open.length) throw new Refusal('unreadable', `"${heading}" harus berada di dalam ${depth === 1 ? 'sebuah BAB' : 'sebuah Bagian'}.`)
    const container: Container = { kind, heading, title: null, children: [] }
    if (depth === 0) babs.push(container)
    else open[depth - 1]!.children.push(container)
    open = [...open.slice(0, depth), container]
    pasal = null
  }
  const needsTitle = () => open.at(-1)?.title === null && !pasal

  while (i < lines.length && !PENUTUP.test(lines[i]!)) {
    const line = next()
    if (BAB.test(line)) openContainer('bab', line)
    else if (BAGIAN.test(line)) openContainer('bagian', line)
    else if (PARAGRAF.test(line)) openContainer('paragraf', line)
    else if (PASAL.test(line)) {
      pasal = { heading: line, ayat: [] }
      open.at(-1)!.children.push(pasal)
      pasalCount += 1
      ayat = null
      lists = []
    } else if (needsTitle()) {
      open.at(-1)!.title = line
    } else if (!pasal) {
      throw new Refusal('unreadable', `Teks "${excerpt(line)}" berada di luar Pasal: setelah judul ${open.at(-1)!.heading} harus ada "Pasal".`)
    } else {
      const numbered = AYAT.exec(line)
      const labelled = numbered ? null : label(line)
      if (numbered || !ayat) {
        ayat = [{ kind: 'teks', text: numbered ? numbered[1]!.trim() : line }]
        pasal.ayat.push(ayat)
        lists = []
      } else if (labelled) {
        const same = lists.findIndex((list) => list.style === labelled.style)
        if (same >= 0) lists = lists.slice(0, same + 1)
        else {
          const list: Extract<Block, { kind: 'list' }> = { kind: 'list', style: labelled.style, items: [] }
          const parent = lists.at(-1)
          ;(parent ? parent.items.at(-1)! : ayat).push(list)
          lists.push(list)
        }
        lists.at(-1)!.items.push([{ kind: 'teks', text: labelled.text }])
      } else {
        // Text after a rincian closes it ("… sebagaimana dimaksud pada huruf a."): it belongs to the ayat.
        ayat.push({ kind: 'teks', text: line })
        lists = []
      }
    }
  }
  const penutup: string[] = []
  while (i < lines.length && !/^Ditetapkan di\b/i.test(lines[i]!)) penutup.push(next())

  const judul = { jenis: jenis.join(' '), nama: nama.join(' ') }
  // The jabatan, Menetapkan and the order to promulgate are drawn from the draft's metadata now;
  // upgradeDocument (Documents.importDraft) drops the order from the penutup.
  const doc = upgradeDocument(
    regulation({
      nama: judul.nama,
      menimbang,
      mengingat,
      batangTubuh: babs.map(containerNode),
      penutup,
    }),
  )
  doc.check()
  return { ...judul, doc, counts: { bab: babs.length, pasal: pasalCount } }
}

const excerpt = (text: string) => (text.length > 60 ? `${text.slice(0, 57)}…` : text)

/** The node of a BAB, Bagian or Paragraf; refuses one without its title or with an empty Pasal. */
function containerNode(container: Container): Node {
  const title = container.title
  if (title === null) throw new Refusal('unreadable', `${container.heading} tidak memiliki judul.`)
  const children = container.children.map((child) => ('kind' in child ? containerNode(child) : pasalNode(child)))
  if (container.kind === 'bab') return bab(title, ...children)
  if (container.kind === 'bagian') return bagian(title, ...children)
  return paragraf(title, ...children)
}

function pasalNode(pasal: Pasal): Node {
  if (pasal.ayat.length === 0) throw new Refusal('unreadable', `${pasal.heading} tidak memiliki isi.`)
  return unit(
    'pasal',
    pasal.ayat.map((blocks) =>
      unit(
        'ayat',
        blocks.map((block) => blockNode(block)),
      ),
    ),
  )
}

/**
 * An ayat's block. Only an outermost rincian's `jenis` matters (definitions start with angka); the
 * markers of nested levels follow from their depth, so those keep the default.
 */
function blockNode(block: Block, nested = false): Node {
  if (block.kind === 'teks') return teks(block.text)
  const jenis = !nested && block.style.startsWith('angka') ? 'angka' : 'huruf'
  return schema.node(
    'rincian',
    { jenis },
    block.items.map((item) =>
      unit(
        'butir',
        item.map((child) => blockNode(child, true)),
      ),
    ),
  )
}
