import type { Node } from 'prosemirror-model'
import { schema } from '../../shared/model/schema.js'
import { bab, bagian, paragraf, teks, unit } from '../../shared/model/builders.js'
import { Refusal } from '../refusal.js'
import { ACTION, excerpt, type ImportReport, type Where } from './importReport.js'
import type { Line } from './sourceLines.js'

/**
 * The batang tubuh of a draft from its lines: BAB / Bagian / Paragraf headings each followed by its
 * title, "Pasal N", ayat "(1)", rincian "a.", "1.", "a)", "1)" (typed, or shown by Word's
 * numbering). Numbers in the file only tell what a line is; the draft derives its own, and the
 * report says where the file's numbers differed. Text outside any Pasal and tables are kept as text
 * in the nearest Pasal and reported.
 */

type Style = 'huruf.' | 'angka.' | 'huruf)' | 'angka)'
interface List {
  readonly kind: 'list'
  readonly style: Style
  readonly items: Block[][]
}
type Block = { readonly kind: 'teks'; readonly text: string } | List

interface Pasal {
  /** The derived number: Pasal are numbered on through the whole regulation. */
  readonly number: number
  readonly ayat: Block[][]
}
interface Container {
  readonly kind: 'bab' | 'bagian' | 'paragraf'
  readonly heading: string
  title: string | null
  readonly children: Array<Container | Pasal>
}

export interface BatangTubuh {
  readonly bab: readonly Node[]
  readonly pasal: number
}

/** How units are read where they stand outside a draft's own numbering (a unit quoted by an amendment point). */
export interface QuotedPlace {
  /** Where the report places everything read ("Pasal I angka 3"); the file's numbers are the base's, so none is reported as renumbered. */
  readonly at: string
}

const LABELS: ReadonlyArray<[Style, RegExp]> = [
  ['huruf.', /^([a-z]{1,3})\.\s*(.+)$/],
  ['angka.', /^(\d{1,3})\.\s*(.+)$/],
  ['huruf)', /^([a-z]{1,3})\)\s*(.+)$/],
  ['angka)', /^(\d{1,3})\)\s*(.+)$/],
]
/** The markers Lampiran II gives each depth, by the outermost rincian's kind. */
const LEVELS: Record<'huruf' | 'angka', readonly Style[]> = {
  huruf: ['huruf.', 'angka.', 'huruf)', 'angka)'],
  angka: ['angka.', 'huruf.', 'angka)', 'huruf)'],
}
const firstMarker = (style: Style) => `${style.startsWith('huruf') ? 'a' : '1'}${style.slice(-1)}`

// "BAB VA": a BAB inserted by an amendment keeps a letter after its number.
const BAB = /^BAB\s+[IVXLCDM]+[A-Z]?$/
const BAB_WITH_TITLE = /^(BAB\s+[IVXLCDM]+[A-Z]?)\s+(\p{Lu}[\p{Lu}\d ,./()-]+)$/u
/** Whether a line opens a BAB: "BAB II", or "BAB II KETENTUAN UMUM" typed on one line. */
export const isBabHeading = (line: string) => BAB.test(line) || BAB_WITH_TITLE.test(line)
const BAGIAN = /^Bagian\s+Ke\S+$/i
const PARAGRAF = /^Paragraf\s+\d+$/i
const PASAL = /^Pasal\s+(\d+)[A-Z]?$/
/** "(2)", or "(2a)" inserted by an amendment. */
const AYAT = /^\((\d{1,3}[a-z]?)\)\s*(.*)$/

const label = (line: string): { style: Style; marker: string; text: string } | null => {
  for (const [style, pattern] of LABELS) {
    const match = pattern.exec(line)
    if (match) return { style, marker: `${match[1]}${style.slice(-1)}`, text: match[2]!.trim() }
  }
  return null
}

/** "Pasal 5" or "Pasal 5 ayat (2)", as the new draft numbers them. */
const placeOf = (pasal: Pasal, ayatIndex: number) => () =>
  pasal.ayat.length > 1 ? `Pasal ${pasal.number} ayat (${ayatIndex + 1})` : `Pasal ${pasal.number}`

/** Reads the lines from the first BAB to the end of the batang tubuh. */
export function readBatangTubuh(lines: readonly Line[], report: ImportReport): BatangTubuh {
  const { units, pasal } = readUnits(lines, report)
  return { bab: units, pasal }
}

/**
 * The BAB and Pasal an amendment point quotes ("Pasal 8A", "(1) …"; "BAB VA", its title, its Pasal),
 * read by the same recognisers as a draft's body, outermost first.
 */
export function readQuotedUnits(lines: readonly Line[], report: ImportReport, place: QuotedPlace): Node[] {
  return readUnits(lines, report, place).units
}

function readUnits(lines: readonly Line[], report: ImportReport, quoted?: QuotedPlace): { units: Node[]; pasal: number } {
  /** Outermost units: BAB, or (only quoted) a Pasal standing alone. */
  const top: Array<Container | Pasal> = []
  const where = (pasal: Pasal, ayatIndex: number): Where => (quoted ? quoted.at : placeOf(pasal, ayatIndex))
  let open: Container[] = []
  let pasal: Pasal | null = null
  let ayat: Block[] | null = null
  /** Open rincian of the current ayat, outermost first, with the file's marker of each one's last item. */
  let lists: Array<{ list: List; marker: string }> = []
  /** Text met outside any Pasal, waiting for the next one; each with the report entry that names where it went. */
  let stray: Array<{ texts: readonly string[]; target: { place: Where } }> = []
  let pasalCount = 0
  /** The file's Pasal number minus ours, to report only where the file's numbering departs from ours. */
  let pasalOffset = 0

  const openContainer = (kind: Container['kind'], heading: string) => {
    const depth = kind === 'bab' ? 0 : kind === 'bagian' ? 1 : 2
    if (depth > open.length) throw new Refusal('unreadable', `"${heading}" harus berada di dalam ${depth === 1 ? 'sebuah BAB' : 'sebuah Bagian'}.`)
    const container: Container = { kind, heading, title: null, children: [] }
    if (depth === 0) top.push(container)
    else open[depth - 1]!.children.push(container)
    open = [...open.slice(0, depth), container]
    pasal = null
    ayat = null
  }
  const startAyat = (pasal: Pasal, first: Block) => {
    const blocks: Block[] = [...stray.flatMap(({ texts }) => texts.map((text) => ({ kind: 'teks' as const, text }))), first]
    for (const { target } of stray) target.place = where(pasal, pasal.ayat.length)
    stray = []
    pasal.ayat.push(blocks)
    lists = []
    return blocks
  }
  const keepStray = (texts: readonly string[], what: string) => {
    const target: { place: Where } = { place: 'batang tubuh' }
    report.add(() => (typeof target.place === 'string' ? target.place : target.place()), what, ACTION.keptAsText)
    stray.push({ texts, target })
  }
  const addList = (ayat: Block[], pasal: Pasal, labelled: { style: Style; marker: string; text: string }) => {
    const same = lists.findIndex(({ list }) => list.style === labelled.style)
    if (same >= 0) lists = lists.slice(0, same + 1)
    else {
      const list: List = { kind: 'list', style: labelled.style, items: [] }
      const parent = lists.at(-1)
      ;(parent ? parent.list.items.at(-1)! : ayat).push(list)
      const outer = (lists[0]?.list.style ?? labelled.style).startsWith('angka') ? 'angka' : 'huruf'
      const expected = LEVELS[outer][lists.length]
      if (expected && expected !== labelled.style) {
        const under = parent ? ` di bawah "${parent.marker}"` : ''
        report.add(where(pasal, pasal.ayat.length - 1), `Rincian "${labelled.marker}"${under} ditulis "${firstMarker(expected)}"`, ACTION.renumbered)
      }
      lists.push({ list, marker: labelled.marker })
    }
    lists.at(-1)!.list.items.push([{ kind: 'teks', text: labelled.text }])
    lists.at(-1)!.marker = labelled.marker
  }

  for (const line of lines) {
    if (typeof line !== 'string') {
      const rows = line.table.map((row) => row.join(' | '))
      const what = `Tabel ${rows.length} baris × ${Math.max(...line.table.map((row) => row.length))} kolom`
      if (pasal && ayat) {
        for (const text of rows) ayat.push({ kind: 'teks', text })
        lists = []
        report.add(where(pasal, pasal.ayat.length - 1), what, ACTION.keptAsText)
      } else keepStray(rows, what)
      continue
    }
    const babWithTitle = BAB_WITH_TITLE.exec(line)
    const pasalHeading = PASAL.exec(line)
    if (BAB.test(line) || babWithTitle) {
      openContainer('bab', babWithTitle ? babWithTitle[1]! : line)
      if (babWithTitle) open.at(-1)!.title = babWithTitle[2]!
    } else if (BAGIAN.test(line)) openContainer('bagian', line)
    else if (PARAGRAF.test(line)) openContainer('paragraf', line)
    else if (pasalHeading) {
      pasalCount += 1
      const current: Pasal = { number: pasalCount, ayat: [] }
      pasal = current
      if (open.length) open.at(-1)!.children.push(current)
      else if (quoted) top.push(current)
      else throw new Refusal('unreadable', `"${line}" harus berada di dalam sebuah BAB.`)
      ayat = null
      lists = []
      const offset = Number(pasalHeading[1]) - pasalCount
      if (offset !== pasalOffset && !quoted) report.add(`Pasal ${pasalCount}`, `Di berkas "${line}"`, ACTION.renumbered)
      pasalOffset = offset
    } else if (open.at(-1)?.title === null && !pasal) {
      open.at(-1)!.title = line
    } else if (!pasal) {
      keepStray([line], `Teks di luar Pasal: "${excerpt(line)}"`)
    } else {
      const current: Pasal = pasal
      const numbered = AYAT.exec(line)
      const labelled = numbered ? null : label(line)
      if (numbered || !ayat) {
        ayat = startAyat(current, { kind: 'teks', text: numbered ? numbered[2]!.trim() : line })
        if (numbered && !quoted && numbered[1] !== String(current.ayat.length)) {
          report.add(where(current, current.ayat.length - 1), `Di berkas ayat "(${numbered[1]})"`, ACTION.renumbered)
        }
      } else if (labelled) addList(ayat, current, labelled)
      else {
        // Text after a rincian closes it ("… sebagaimana dimaksud pada huruf a."): it belongs to the ayat.
        ayat.push({ kind: 'teks', text: line })
        lists = []
      }
    }
  }
  if (stray.length) {
    const last = lastPasal(top)
    if (!last) throw new Refusal('unreadable', 'Batang tubuh tidak memuat satu pun "Pasal".')
    for (const { texts, target } of stray) {
      last.ayat.at(-1)!.push(...texts.map((text) => ({ kind: 'teks' as const, text })))
      target.place = where(last, last.ayat.length - 1)
    }
  }
  return { units: top.map((unit) => ('kind' in unit ? containerNode(unit) : pasalNode(unit))), pasal: pasalCount }
}

function lastPasal(units: ReadonlyArray<Container | Pasal>): Pasal | null {
  for (let i = units.length - 1; i >= 0; i--) {
    const unit = units[i]!
    const found = 'kind' in unit ? lastPasal(unit.children) : unit
    if (found) return found
  }
  return null
}

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
  if (pasal.ayat.length === 0) throw new Refusal('unreadable', `Pasal ${pasal.number} tidak memiliki isi.`)
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
