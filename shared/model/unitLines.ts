import type { Node } from 'prosemirror-model'
import { schema } from './schema.js'
import { teks, unit } from './builders.js'

/**
 * The recogniser of regulation text as drafters type it, one line (paragraph) at a time: BAB /
 * Bagian / Paragraf headings, "Pasal N", ayat "(1)", rincian "a.", "1.", "a)", "1)". The Word
 * import (server/import) and the editor's paste handler both read text through it, so that a line
 * means the same thing wherever it comes from. Numbers in the text only tell what a line is; the
 * draft derives its own.
 */

export type RincianStyle = 'huruf.' | 'angka.' | 'huruf)' | 'angka)'

/** What one line is. */
export type UnitLine =
  | { readonly kind: 'bab'; readonly heading: string; readonly title: string | null }
  | { readonly kind: 'bagian' | 'paragraf'; readonly heading: string }
  | { readonly kind: 'pasal'; readonly number: number }
  | { readonly kind: 'ayat'; readonly number: number; readonly text: string }
  | { readonly kind: 'butir'; readonly style: RincianStyle; readonly marker: string; readonly text: string }
  | { readonly kind: 'text'; readonly text: string }

const LABELS: ReadonlyArray<[RincianStyle, RegExp]> = [
  ['huruf.', /^([a-z]{1,3})\.\s*(.+)$/],
  ['angka.', /^(\d{1,3})\.\s*(.+)$/],
  ['huruf)', /^([a-z]{1,3})\)\s*(.+)$/],
  ['angka)', /^(\d{1,3})\)\s*(.+)$/],
]
/** The markers Lampiran II gives each depth, by the outermost rincian's kind. */
const LEVELS: Record<'huruf' | 'angka', readonly RincianStyle[]> = {
  huruf: ['huruf.', 'angka.', 'huruf)', 'angka)'],
  angka: ['angka.', 'huruf.', 'angka)', 'huruf)'],
}
/** The marker of the first item of a rincian of `style` ("a.", "1)"). */
export const firstMarker = (style: RincianStyle) => `${style.startsWith('huruf') ? 'a' : '1'}${style.slice(-1)}`

// "BAB VA": a BAB inserted by an amendment keeps a letter after its number.
const BAB = /^BAB\s+[IVXLCDM]+[A-Z]?$/
const BAB_WITH_TITLE = /^(BAB\s+[IVXLCDM]+[A-Z]?)\s+(\p{Lu}[\p{Lu}\d ,./()-]+)$/u
const BAGIAN = /^Bagian\s+Ke\S+$/i
const PARAGRAF = /^Paragraf\s+\d+$/i
const PASAL = /^Pasal\s+(\d+)[A-Z]?$/
/** "(2)", or "(2a)" inserted by an amendment. */
const AYAT = /^\((\d{1,3})[a-z]?\)\s*(.*)$/

/** Whether a line opens a BAB: "BAB II", or "BAB II KETENTUAN UMUM" typed on one line. */
export const isBabHeading = (line: string) => BAB.test(line) || BAB_WITH_TITLE.test(line)

/** What `line` (trimmed, one paragraph) is. */
export function readUnitLine(line: string): UnitLine {
  const babWithTitle = BAB_WITH_TITLE.exec(line)
  if (babWithTitle) return { kind: 'bab', heading: babWithTitle[1]!, title: babWithTitle[2]! }
  if (BAB.test(line)) return { kind: 'bab', heading: line, title: null }
  if (BAGIAN.test(line)) return { kind: 'bagian', heading: line }
  if (PARAGRAF.test(line)) return { kind: 'paragraf', heading: line }
  const pasal = PASAL.exec(line)
  if (pasal) return { kind: 'pasal', number: Number(pasal[1]) }
  const ayat = AYAT.exec(line)
  if (ayat) return { kind: 'ayat', number: Number(ayat[1]), text: ayat[2]!.trim() }
  for (const [style, pattern] of LABELS) {
    const match = pattern.exec(line)
    if (match) return { kind: 'butir', style, marker: `${match[1]}${style.slice(-1)}`, text: match[2]!.trim() }
  }
  return { kind: 'text', text: line }
}

interface List {
  readonly kind: 'list'
  readonly style: RincianStyle
  readonly items: Block[][]
}
/**
 * A block of an ayat being read: text, or a rincian with its items' blocks. Text may come with
 * its inline nodes (italic words of a paste); otherwise it is plain.
 */
export type Block = { readonly kind: 'teks'; readonly text: string; readonly inline?: readonly Node[] } | List

/** A rincian item that opened a level under a marker Lampiran II would not give it there. */
export interface UnexpectedMarker {
  /** The marker as written ("1." under "a." where "1." was expected is fine; "a)" there is not). */
  readonly marker: string
  /** The marker the level should start with. */
  readonly expected: string
  /** The marker of the item it hangs under, if any. */
  readonly under: string | null
}

/**
 * The ayat of one Pasal, read line by line: "(n)" starts an ayat, a labelled line adds a rincian
 * item (a new style nests under the item before, a style seen before closes the levels under it),
 * and any other line is text of the current ayat that closes its rincian.
 */
export class PasalBody {
  readonly ayat: Block[][] = []
  /** Open rincian of the current ayat, outermost first, with the marker of each one's last item. */
  #lists: Array<{ list: List; marker: string }> = []

  /** Starts the next ayat with `blocks` (at least one). */
  startAyat(blocks: Block[]): Block[] {
    this.ayat.push(blocks)
    this.#lists = []
    return blocks
  }

  /** The ayat being read, or null before the first. */
  get current(): Block[] | null {
    return this.ayat.at(-1) ?? null
  }

  /** Text of the current ayat (starting one when there is none); it closes any open rincian. */
  addText(text: string, inline?: readonly Node[]) {
    const block: Block = { kind: 'teks', text, ...(inline ? { inline } : {}) }
    const current = this.current
    if (current) current.push(block)
    else this.startAyat([block])
    this.#lists = []
  }

  /** A rincian item; `onUnexpected` hears of a level opened with another marker than Lampiran II gives it. */
  addButir(line: Extract<UnitLine, { kind: 'butir' }>, onUnexpected?: (found: UnexpectedMarker) => void, inline?: readonly Node[]) {
    const ayat = this.current ?? this.startAyat([])
    const same = this.#lists.findIndex(({ list }) => list.style === line.style)
    if (same >= 0) this.#lists = this.#lists.slice(0, same + 1)
    else {
      const list: List = { kind: 'list', style: line.style, items: [] }
      const parent = this.#lists.at(-1)
      ;(parent ? parent.list.items.at(-1)! : ayat).push(list)
      const outer = (this.#lists[0]?.list.style ?? line.style).startsWith('angka') ? 'angka' : 'huruf'
      const expected = LEVELS[outer][this.#lists.length]
      if (expected && expected !== line.style) onUnexpected?.({ marker: line.marker, expected: firstMarker(expected), under: parent?.marker ?? null })
      this.#lists.push({ list, marker: line.marker })
    }
    this.#lists.at(-1)!.list.items.push([{ kind: 'teks', text: line.text, ...(inline ? { inline } : {}) }])
    this.#lists.at(-1)!.marker = line.marker
  }

  /** The ayat nodes read so far. */
  ayatNodes(): Node[] {
    return this.ayat.map((blocks) =>
      unit(
        'ayat',
        blocks.map((block) => blockNode(block)),
      ),
    )
  }
}

/**
 * An ayat's block. Only an outermost rincian's `jenis` matters (definitions start with angka); the
 * markers of nested levels follow from their depth, so those keep the default.
 */
export function blockNode(block: Block, nested = false): Node {
  if (block.kind === 'teks') return block.inline ? schema.node('teks', null, [...block.inline]) : teks(block.text)
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
