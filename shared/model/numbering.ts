import type { Node } from 'prosemirror-model'
import { huruf, ordinal, roman } from './ordinals.js'
import { readChange } from './schema.js'
import { amendedNumbers } from '../amendment/alignment.js'

/** Units whose label is derived from their position. */
export type LabelledKind = 'bab' | 'bagian' | 'paragraf' | 'pasal' | 'ayat' | 'butir' | 'konsiderans' | 'dasarHukum' | 'lampiran'

export interface Label {
  readonly kind: LabelledKind
  /** Position of the unit's node in the document. */
  readonly pos: number
  readonly id: string | null
  /** Ordinal within its numbering scope (1-based). */
  readonly number: number
  /** What the reader sees: "BAB II", "Bagian Kesatu", "Pasal 7", "(2)", "a.". Empty when the rules omit it. */
  readonly label: string
  /** Id of the enclosing unit a reference names with it: an ayat's Pasal, a rincian item's ayat or item. */
  readonly parent?: string | null
  /** For rincian items: how a reference names the item ("huruf" a, "angka" 1) and its marker without punctuation. */
  readonly marker?: { readonly kind: 'huruf' | 'angka'; readonly text: string }
}

export interface OutlineEntry {
  readonly kind: 'bab' | 'bagian' | 'paragraf' | 'pasal'
  readonly pos: number
  readonly id: string | null
  readonly label: string
  /** Heading text for BAB/Bagian/Paragraf; the opening words for a Pasal. */
  readonly title: string
  /** 0 for BAB, 1 for Bagian, 2 for Paragraf; a Pasal sits one below its container. */
  readonly depth: number
}

export interface Numbering {
  /** Every labelled unit, in document order. */
  readonly labels: readonly Label[]
  readonly outline: readonly OutlineEntry[]
  /** Labels of units that have an id, by id. */
  readonly byId: ReadonlyMap<string, Label>
  readonly pasalCount: number
  readonly lampiranCount: number
}

/** Marker styles per tabulation level (Lampiran II: a. → 1. → a) → 1)); definitions start with 1. */
const LEVELS: Record<'huruf' | 'angka', ReadonlyArray<{ kind: 'huruf' | 'angka'; close: '.' | ')' }>> = {
  huruf: [
    { kind: 'huruf', close: '.' },
    { kind: 'angka', close: '.' },
    { kind: 'huruf', close: ')' },
    { kind: 'angka', close: ')' },
  ],
  angka: [
    { kind: 'angka', close: '.' },
    { kind: 'huruf', close: '.' },
    { kind: 'angka', close: ')' },
    { kind: 'huruf', close: ')' },
  ],
}

const SNIPPET_LENGTH = 80

/**
 * In a comparison of two versions, a removed part is shown where it was; it takes no number and
 * is labelled with the number it had ("Pasal 7 (dihapus)").
 */
function removedLabel(node: Node): string | null {
  const change = readChange(node.attrs.ychange)
  return change?.type === 'removed' ? `${change.label ?? ''} (dihapus)`.trim() : null
}

function snippet(node: Node): string {
  const text = node.textBetween(0, node.content.size, ' ').replace(/\s+/g, ' ').trim()
  return text.length > SNIPPET_LENGTH ? `${text.slice(0, SNIPPET_LENGTH - 1)}…` : text
}

/**
 * Derive every number of the document from its structure: BAB in Roman numerals, Bagian as ordinal
 * words restarting per BAB, Paragraf restarting per Bagian, Pasal continuous across the document,
 * ayat "(n)" only when a Pasal has two or more, rincian markers by depth, konsiderans lettered and
 * dasar hukum numbered only when there are two or more.
 *
 * Pure and total: any document the schema admits gets labels, so merged concurrent edits (two
 * people inserting a Pasal at once) simply renumber and can never show the same number twice.
 *
 * With `base` (the regulation an amendment draft amends), units take their numbers under the
 * amendment instead (shared/amendment/alignment.ts, SPEC S24): the base's numbers, suffixes for new
 * units. `number` stays the position in the document, so "forward reference" still means later.
 */
export function numberDocument(doc: Node, base: Node | null = null): Numbering {
  // An amendment draft keeps its base's numbers (SPEC S24): Pasal 8A, ayat (2a), "Dihapus." units kept.
  const amended = base ? amendedNumbers(base, doc) : null
  const numberOf = (node: Node, counted: string) => amended?.get(node) ?? counted
  const labels: Label[] = []
  const outline: OutlineEntry[] = []
  let bab = 0
  let bagian = 0
  let paragraf = 0
  let pasal = 0
  let depth = 0
  const lampiranTotal = countLampiran(doc)
  let lampiran = 0

  const add = (kind: LabelledKind, node: Node, pos: number, number: number, label: string, extra: Pick<Label, 'parent' | 'marker'> = {}) => {
    labels.push({ kind, pos, id: (node.attrs.id as string | null | undefined) ?? null, number, label, ...extra })
    return label
  }

  const rincian = (list: Node, pos: number, level: number, style: 'huruf' | 'angka', parent: string | null) => {
    const { kind, close } = LEVELS[style][Math.min(level, LEVELS[style].length - 1)]!
    list.forEach((item, offset, index) => {
      const itemPos = pos + 1 + offset
      const text = numberOf(item, kind === 'huruf' ? huruf(index + 1) : String(index + 1))
      add('butir', item, itemPos, index + 1, `${text}${close}`, { parent, marker: { kind, text } })
      item.forEach((child, childOffset) => {
        if (child.type.name === 'rincian') rincian(child, itemPos + 1 + childOffset, level + 1, style, (item.attrs.id as string | null) ?? null)
      })
    })
  }

  const visitPasal = (node: Node, pos: number) => {
    const gone = removedLabel(node)
    if (gone) {
      add('pasal', node, pos, 0, gone)
      return
    }
    pasal += 1
    const label = add('pasal', node, pos, pasal, `Pasal ${numberOf(node, String(pasal))}`)
    outline.push({ kind: 'pasal', pos, id: node.attrs.id as string | null, label, title: snippet(node), depth: depth + 1 })
    const numbered = node.childCount > 1
    const pasalId = (node.attrs.id as string | null) ?? null
    node.forEach((ayat, offset, index) => {
      const ayatPos = pos + 1 + offset
      const number = numberOf(ayat, numbered ? String(index + 1) : '')
      add('ayat', ayat, ayatPos, index + 1, number ? `(${number})` : '', { parent: pasalId })
      ayat.forEach((child, childOffset) => {
        if (child.type.name === 'rincian')
          rincian(child, ayatPos + 1 + childOffset, 0, child.attrs.jenis as 'huruf' | 'angka', (ayat.attrs.id as string | null) ?? null)
      })
    })
  }

  const visitContainer = (node: Node, pos: number) => {
    node.forEach((child, offset) => {
      const childPos = pos + 1 + offset
      switch (child.type.name) {
        case 'bab': {
          const gone = removedLabel(child)
          if (gone) {
            add('bab', child, childPos, 0, gone)
            break
          }
          bab += 1
          bagian = 0
          const label = add('bab', child, childPos, bab, `BAB ${numberOf(child, roman(bab))}`)
          outline.push({ kind: 'bab', pos: childPos, id: child.attrs.id as string | null, label, title: snippet(child.firstChild!), depth: 0 })
          depth = 0
          visitContainer(child, childPos)
          break
        }
        case 'bagian':
        case 'paragraf': {
          const isBagian = child.type.name === 'bagian'
          const number = isBagian ? ++bagian : ++paragraf
          if (isBagian) paragraf = 0
          const kind = isBagian ? 'bagian' : 'paragraf'
          const label = add(
            kind,
            child,
            childPos,
            number,
            `${isBagian ? 'Bagian' : 'Paragraf'} ${numberOf(child, isBagian ? ordinal(number) : String(number))}`,
          )
          const level = isBagian ? 1 : 2
          outline.push({ kind, pos: childPos, id: child.attrs.id as string | null, label, title: snippet(child.firstChild!), depth: level })
          depth = level
          visitContainer(child, childPos)
          depth = level - 1
          break
        }
        case 'pasal':
          visitPasal(child, childPos)
          break
        case 'lampiran': {
          lampiran += 1
          const number = numberOf(child, lampiranTotal > 1 ? roman(lampiran) : '')
          add('lampiran', child, childPos, lampiran, number ? `Lampiran ${number}` : 'Lampiran')
          child.forEach((part, partOffset) => {
            if (part.type.name === 'rincian') rincian(part, childPos + 1 + partOffset, 0, part.attrs.jenis as 'huruf' | 'angka', null)
          })
          break
        }
        case 'batangTubuh':
        case 'pembukaan':
          visitContainer(child, childPos)
          break
        case 'menimbang':
        case 'mengingat': {
          const kind = child.type.name === 'menimbang' ? 'konsiderans' : 'dasarHukum'
          const numbered = child.childCount > 1
          child.forEach((item, itemOffset, index) => {
            const n = index + 1
            const text = !numbered ? '' : kind === 'konsiderans' ? `${huruf(n)}.` : `${n}.`
            add(kind, item, childPos + 1 + itemOffset, n, text)
          })
          break
        }
      }
    })
  }

  visitContainer(doc, -1)

  const byId = new Map<string, Label>()
  for (const label of labels) if (label.id) byId.set(label.id, label)
  return { labels, outline, byId, pasalCount: pasal, lampiranCount: lampiran }
}

/** Lampiran are numbered I, II… only when there are two or more (pergub.md §1.4). */
function countLampiran(doc: Node): number {
  let count = 0
  doc.forEach((child) => {
    if (child.type.name === 'lampiran') count += 1
  })
  return count
}

/** How a Penjelasan entry whose Pasal was deleted is labelled, rather than naming another Pasal. */
export const PASAL_DIHAPUS = 'Pasal (dihapus)'

/**
 * The Pasal a Penjelasan entry explains, as it is numbered now ("Pasal 7"), or null when that
 * Pasal is gone: the entry names it by id, never by number (SPEC S19).
 */
export function explainedPasal(entry: Node, numbering: Numbering): Label | null {
  const id = entry.attrs.pasal as string | null
  const label = id ? numbering.byId.get(id) : undefined
  return label?.kind === 'pasal' && label.number > 0 ? label : null
}
