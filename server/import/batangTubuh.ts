import type { Node } from 'prosemirror-model'
import { bab, bagian, paragraf, unit } from '../../shared/model/builders.js'
import { PasalBody, readUnitLine, type Block } from '../../shared/model/unitLines.js'
import { Refusal } from '../refusal.js'
import { ACTION, excerpt, type ImportReport, type Where } from './importReport.js'
import type { Line } from './sourceLines.js'

/**
 * The batang tubuh of a draft from its lines: BAB / Bagian / Paragraf headings each followed by its
 * title, "Pasal N", ayat "(1)", rincian "a.", "1.", "a)", "1)" (typed, or shown by Word's
 * numbering), as the shared recogniser (shared/model/unitLines.ts) reads them. Numbers in the file only tell what a line is; the draft derives its own, and the
 * report says where the file's numbers differed. Text outside any Pasal and tables are kept as text
 * in the nearest Pasal and reported.
 */

interface Pasal {
  /** The derived number: Pasal are numbered on through the whole regulation. */
  readonly number: number
  readonly body: PasalBody
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

/** "Pasal 5" or "Pasal 5 ayat (2)", as the new draft numbers them. */
const placeOf = (pasal: Pasal, ayatIndex: number) => () =>
  pasal.body.ayat.length > 1 ? `Pasal ${pasal.number} ayat (${ayatIndex + 1})` : `Pasal ${pasal.number}`

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
  }
  const startAyat = (pasal: Pasal, first: Block) => {
    const blocks: Block[] = [...stray.flatMap(({ texts }) => texts.map((text) => ({ kind: 'teks' as const, text }))), first]
    for (const { target } of stray) target.place = where(pasal, pasal.body.ayat.length)
    stray = []
    pasal.body.startAyat(blocks)
  }
  const keepStray = (texts: readonly string[], what: string) => {
    const target: { place: Where } = { place: 'batang tubuh' }
    report.add(() => (typeof target.place === 'string' ? target.place : target.place()), what, ACTION.keptAsText)
    stray.push({ texts, target })
  }

  for (const line of lines) {
    if (typeof line !== 'string') {
      const rows = line.table.map((row) => row.join(' | '))
      const what = `Tabel ${rows.length} baris × ${Math.max(...line.table.map((row) => row.length))} kolom`
      if (pasal && pasal.body.current) {
        for (const text of rows) pasal.body.addText(text)
        report.add(where(pasal, pasal.body.ayat.length - 1), what, ACTION.keptAsText)
      } else keepStray(rows, what)
      continue
    }
    const read = readUnitLine(line)
    if (read.kind === 'bab') {
      openContainer('bab', read.heading)
      if (read.title !== null) open.at(-1)!.title = read.title
    } else if (read.kind === 'bagian' || read.kind === 'paragraf') openContainer(read.kind, read.heading)
    else if (read.kind === 'pasal') {
      pasalCount += 1
      const current: Pasal = { number: pasalCount, body: new PasalBody() }
      pasal = current
      if (open.length) open.at(-1)!.children.push(current)
      else if (quoted) top.push(current)
      else throw new Refusal('unreadable', `"${line}" harus berada di dalam sebuah BAB.`)
      const offset = read.number - pasalCount
      if (offset !== pasalOffset && !quoted) report.add(`Pasal ${pasalCount}`, `Di berkas "${line}"`, ACTION.renumbered)
      pasalOffset = offset
    } else if (open.at(-1)?.title === null && !pasal) {
      open.at(-1)!.title = line
    } else if (!pasal) {
      keepStray([line], `Teks di luar Pasal: "${excerpt(line)}"`)
    } else {
      const current: Pasal = pasal
      if (read.kind === 'ayat' || !current.body.current) {
        startAyat(current, { kind: 'teks', text: read.kind === 'ayat' ? read.text : line })
        if (read.kind === 'ayat' && !quoted && read.number !== current.body.ayat.length) {
          report.add(where(current, current.body.ayat.length - 1), `Di berkas ayat "(${read.number})"`, ACTION.renumbered)
        }
      } else if (read.kind === 'butir') {
        current.body.addButir(read, ({ marker, expected, under }) =>
          report.add(
            where(current, current.body.ayat.length - 1),
            `Rincian "${marker}"${under ? ` di bawah "${under}"` : ''} ditulis "${expected}"`,
            ACTION.renumbered,
          ),
        )
      }
      // Text after a rincian closes it ("… sebagaimana dimaksud pada huruf a."): it belongs to the ayat.
      else current.body.addText(line)
    }
  }
  if (stray.length) {
    const last = lastPasal(top)
    if (!last) throw new Refusal('unreadable', 'Batang tubuh tidak memuat satu pun "Pasal".')
    for (const { texts, target } of stray) {
      for (const text of texts) last.body.addText(text)
      target.place = where(last, last.body.ayat.length - 1)
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
  if (pasal.body.ayat.length === 0) throw new Refusal('unreadable', `Pasal ${pasal.number} tidak memiliki isi.`)
  return unit('pasal', pasal.body.ayatNodes())
}
