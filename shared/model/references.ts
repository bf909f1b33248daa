import type { Node } from 'prosemirror-model'
import { Transform } from 'prosemirror-transform'
import { huruf } from './ordinals.js'
import { numberDocument, type Label, type Numbering } from './numbering.js'
import { schema, targetsOf } from './schema.js'

/**
 * Live cross-references (teknik pengacuan, Lampiran II): a `rujukan` node stores the ids of what it
 * points at; the words are derived here from the current numbering, so "dalam Pasal 14" becomes
 * "dalam Pasal 15" the moment a Pasal is inserted before it.
 */

/** A piece of a reference's words; the pieces that name a unit carry its id (for links in exports). */
export interface Segment {
  readonly text: string
  readonly targetId?: string
}

export interface RenderedReference {
  /** The words, e.g. "dalam Pasal 14 ayat (2)", "pada ayat (1)", "dalam Pasal 3 sampai dengan Pasal 5". */
  readonly text: string
  /** The same words in pieces: "dalam ", "Pasal 6" (→ its id), " dan ", "Pasal 7" (→ its id). */
  readonly segments: readonly Segment[]
  /** A target no longer exists. */
  readonly broken: boolean
  /** It points at a Pasal after the one it stands in (to be avoided, §1.5). */
  readonly forward: boolean
}

/** Where a reference stands: its Pasal and ayat (ids), or its place among the konsiderans. */
export interface ReferenceContext {
  readonly pasal: Label | null
  readonly ayat: Label | null
  /** 1-based index of the konsiderans holding it, for the closing Menimbang point. */
  readonly konsiderans: number | null
}

const BROKEN = 'rujukan tidak ditemukan'

/** The chain of a target from its Pasal down: [pasal, ayat?, item, sub-item…]. */
function chainOf(id: string, numbering: Numbering): Label[] | null {
  const chain: Label[] = []
  let current = numbering.byId.get(id)
  while (current) {
    chain.unshift(current)
    if (current.kind === 'pasal') return chain
    current = current.parent ? numbering.byId.get(current.parent) : undefined
  }
  return null
}

const componentText = (label: Label): string | null => {
  if (label.kind === 'pasal') return label.label
  if (label.kind === 'ayat') return label.label ? `ayat ${label.label}` : null
  if (label.kind === 'butir' && label.marker) return `${label.marker.kind} ${label.marker.text}`
  return null
}

/** Joins items the Indonesian way: "A", "A dan B", "A, B, dan C". */
function joinSegments(items: ReadonlyArray<readonly Segment[]>): Segment[] {
  const out: Segment[] = []
  items.forEach((item, i) => {
    if (i > 0) out.push({ text: items.length === 2 ? ' dan ' : i === items.length - 1 ? ', dan ' : ', ' })
    out.push(...item)
  })
  return out
}

const textOf = (segments: readonly Segment[]) => segments.map((s) => s.text).join('')

/** "A", "A dan B", "A, B, dan C". */
export const joinIndonesian = (items: readonly string[]): string => textOf(joinSegments(items.map((text) => [{ text }])))

interface Resolved {
  readonly id: string
  readonly text: string
  /** Starts inside the same Pasal (so "pada"), rather than naming a Pasal ("dalam"). */
  readonly local: boolean
  readonly pasal: number
  readonly chain: readonly Label[]
}

function resolveTarget(id: string, context: ReferenceContext, numbering: Numbering): Resolved | null {
  const label = numbering.byId.get(id)
  // A Lampiran is named by its live label ("Lampiran II"); it stands outside every Pasal, so never forward.
  if (label?.kind === 'lampiran') return { id, text: label.label, local: false, pasal: 0, chain: [label] }
  const chain = chainOf(id, numbering)
  if (!chain) return null
  const parts = [...chain]
  const samePasal = context.pasal?.id === chain[0]!.id
  if (samePasal && parts.length > 1) {
    parts.shift()
    if (parts[0]?.kind === 'ayat' && parts[0].id === context.ayat?.id && parts.length > 1) parts.shift()
  }
  const words = parts.map(componentText).filter((w): w is string => w !== null)
  if (words.length === 0) words.push(chain[0]!.label)
  return { id, text: words.join(' '), local: samePasal && parts[0]?.kind !== 'pasal', pasal: chain[0]!.number, chain }
}

/** The words two targets share as their enclosing units ("Pasal 6 ", "ayat (2) "), or "". */
function sharedHead(a: Resolved, b: Resolved): string {
  const head = (r: Resolved) => r.text.split(' ').slice(0, -2)
  const [x, y] = [head(a), head(b)]
  let n = 0
  while (n < x.length && n < y.length && x[n] === y[n]) n++
  // Whole units only: "Pasal 6" or "ayat (2)" are two words each.
  n -= n % 2
  return n > 0 ? `${x.slice(0, n).join(' ')} ` : ''
}

/**
 * Collapses runs of three or more consecutive whole Pasal into "Pasal 3 sampai dengan Pasal 5"
 * and orders targets as §1.5 asks: the same Pasal's units first, then other Pasal ascending.
 */
function arrange(targets: Resolved[]): Segment[][] {
  const sorted = [...targets].sort((a, b) => Number(a.local ? 0 : 1) - Number(b.local ? 0 : 1) || a.chain.at(-1)!.pos - b.chain.at(-1)!.pos)
  const out: Segment[][] = []
  const named = (r: Resolved): Segment => ({ text: r.text, targetId: r.id })
  /**
   * "ayat (3)" after "Pasal 6 ayat (1)", "huruf d" after "ayat (2) huruf c": units under the same
   * Pasal (or ayat) name it once (§1.5).
   */
  const shortened = (r: Resolved, previous: Resolved | undefined): Segment => {
    const head = previous && previous.local === r.local ? sharedHead(previous, r) : ''
    return head ? { text: r.text.slice(head.length), targetId: r.id } : named(r)
  }
  for (let i = 0; i < sorted.length;) {
    const current = sorted[i]!
    let j = i
    const whole = (r: Resolved) => !r.local && r.chain.length === 1 && r.chain[0]!.kind === 'pasal'
    while (whole(current) && j + 1 < sorted.length && whole(sorted[j + 1]!) && sorted[j + 1]!.pasal === sorted[j]!.pasal + 1) j++
    if (j - i >= 2) out.push([named(current), { text: ' sampai dengan ' }, named(sorted[j]!)])
    else for (let k = i; k <= j; k++) out.push([shortened(sorted[k]!, sorted[k - 1])])
    i = j + 1
  }
  return out
}

/** The words of a `rujukan` node where it stands. */
export function renderReference(node: Node, context: ReferenceContext, numbering: Numbering): RenderedReference {
  const preposition = node.attrs.preposisi as boolean
  const done = (segments: Segment[], forward = false): RenderedReference => ({ text: textOf(segments), segments, broken: false, forward })
  const broken: RenderedReference = { text: BROKEN, segments: [{ text: BROKEN }], broken: true, forward: false }
  if (node.attrs.mode === 'konsiderans') {
    const before = Math.max(0, (context.konsiderans ?? 1) - 1)
    const letters = Array.from({ length: before }, (_, i) => [{ text: `huruf ${huruf(i + 1)}` }])
    if (letters.length === 0) return broken
    return done([...(preposition ? [{ text: 'dalam ' }] : []), ...joinSegments(letters)])
  }
  const targets = targetsOf(node).map((id) => resolveTarget(id, context, numbering))
  if (targets.length === 0 || targets.some((t) => t === null)) return broken
  const resolved = targets as Resolved[]
  const first = [...resolved].sort((a, b) => Number(a.local ? 0 : 1) - Number(b.local ? 0 : 1))[0]!
  const forward = context.pasal !== null && resolved.some((t) => t.pasal > context.pasal!.number)
  return done([...(preposition ? [{ text: first.local ? 'pada ' : 'dalam ' }] : []), ...joinSegments(arrange(resolved))], forward)
}

/** The context of every position in a document: which Pasal, ayat and konsiderans it is in. */
export function contextAt(doc: Node, pos: number, numbering: Numbering): ReferenceContext {
  const $pos = doc.resolve(pos)
  let pasal: Label | null = null
  let ayat: Label | null = null
  let konsiderans: number | null = null
  for (let depth = $pos.depth; depth > 0; depth--) {
    const node = $pos.node(depth)
    const id = node.attrs.id as string | undefined
    if (node.type.name === 'pasal' && id) pasal = numbering.byId.get(id) ?? null
    if (node.type.name === 'ayat' && id) ayat = numbering.byId.get(id) ?? null
    if (node.type.name === 'konsiderans') konsiderans = $pos.index(depth - 1) + 1
  }
  return { pasal, ayat, konsiderans }
}

/** Every reference in a document with its rendering, by position. */
export function renderAllReferences(doc: Node, numbering: Numbering): Map<number, RenderedReference> {
  const out = new Map<number, RenderedReference>()
  doc.descendants((node, pos) => {
    if (node.type.name === 'rujukan') out.set(pos, renderReference(node, contextAt(doc, pos, numbering), numbering))
    return true
  })
  return out
}

/** A typed reference that could be a live one: where it is, and what it would point at. */
export interface TypedReference {
  readonly from: number
  readonly to: number
  readonly text: string
  readonly targets: readonly string[]
  readonly preposisi: boolean
  readonly mode: 'unit' | 'konsiderans'
}

/** One or more rincian letters after a unit: "huruf a", "huruf a dan huruf b", "huruf a, huruf b, dan huruf c". */
const HURUF_LIST = String.raw`\s+(huruf\s+[a-z]{1,3}\b(?:\s*,\s*huruf\s+[a-z]{1,3}\b)*(?:,?\s+dan\s+huruf\s+[a-z]{1,3}\b)?)`
const PASAL_REF = new RegExp(
  String.raw`\b(?:(dalam|pada)\s+)?Pasal\s+(\d+)(?:\s+ayat\s+\((\d+)\))?(?:${HURUF_LIST})?(?:\s+(sampai dengan|dan)\s+Pasal\s+(\d+))?`,
  'g',
)
/**
 * "Lampiran II", or "Lampiran" when the draft has only one. Not when a title follows: "Lampiran II
 * Undang-Undang Nomor 12 Tahun 2011" is another law's (the numeral in the lookahead stops a
 * backtrack to a bare "Lampiran").
 */
const LAMPIRAN_REF = /\b(?:(dalam|pada)\s+)?(Lampiran(?:\s+[IVXLCDM]+\b)?)(?!\s+(?:[IVXLCDM]+|Undang-Undang|Peraturan|Keputusan|Instruksi)\b)/g
const AYAT_REF = new RegExp(String.raw`\bpada\s+ayat\s+\((\d+)\)(?:${HURUF_LIST})?`, 'g')
/** The letters of a matched `HURUF_LIST`, in order. */
const lettersOf = (list: string | undefined): string[] => (list ? [...list.matchAll(/huruf\s+([a-z]{1,3})/g)].map((m) => m[1]!) : [])
const KONSIDERANS_REF = /\bdalam\s+huruf\s+a(?:(?:,\s*huruf\s+[a-z])*,?\s+dan\s+huruf\s+[a-z])?\b/g

/** The id of item `letter` (a, b, …) of the first rincian of an ayat, or null. */
function itemOf(ayat: Node, letter: string): string | null {
  let found: string | null = null
  ayat.forEach((child) => {
    if (found || child.type.name !== 'rincian') return
    child.forEach((item, _offset, index) => {
      if (!found && huruf(index + 1) === letter) found = (item.attrs.id as string | null) ?? null
    })
  })
  return found
}

/**
 * The ids the typed words name inside a Pasal: the ayat itself, or its items `letters`. Null when
 * one of them does not exist: then the words stay as typed rather than point at less than they say.
 */
function unitsOf(ayat: Node | null, letters: readonly string[]): string[] | null {
  if (!ayat) return null
  if (letters.length === 0) return ayat.attrs.id ? [ayat.attrs.id as string] : null
  const ids = letters.map((letter) => itemOf(ayat, letter))
  return ids.every((id): id is string => id !== null) ? ids : null
}

/**
 * Finds references typed as plain text ("sebagaimana dimaksud dalam Pasal 12 ayat (2)", "pada
 * ayat (1)", "tercantum dalam Lampiran II", and the closing konsiderans "dalam huruf a dan huruf b") in the Pasal and the
 * konsiderans, with the ids they name under the current numbering. Mengingat is skipped: its
 * "Pasal 18 ayat (6) UUD 1945" points into other laws.
 */
export function findTypedReferences(doc: Node, numbering: Numbering): TypedReference[] {
  const pasalIds = numbering.labels.filter((l) => l.kind === 'pasal')
  const pasalNode = (number: number) => {
    const label = pasalIds[number - 1]
    return label ? { label, node: doc.nodeAt(label.pos)! } : null
  }
  const lampiranIds = new Map(numbering.labels.filter((l) => l.kind === 'lampiran' && l.id).map((l) => [l.label, l.id!]))
  const ayatOf = (pasal: Node, number: number) => (number >= 1 && number <= pasal.childCount ? pasal.child(number - 1) : null)
  const out: TypedReference[] = []
  doc.descendants((node, pos) => {
    if (node.type.name === 'mengingat') return false
    if (!node.isTextblock) return true
    const context = contextAt(doc, pos + 1, numbering)
    node.forEach((child, offset) => {
      if (!child.isText) return
      const text = child.text!
      const base = pos + 1 + offset
      if (context.konsiderans !== null) {
        for (const match of text.matchAll(KONSIDERANS_REF)) {
          out.push({
            from: base + match.index,
            to: base + match.index + match[0].length,
            text: match[0],
            targets: [],
            preposisi: true,
            mode: 'konsiderans',
          })
        }
        return
      }
      if (!context.pasal) return
      const pasalRefs = new RegExp(PASAL_REF)
      for (let match = pasalRefs.exec(text); match; match = pasalRefs.exec(text)) {
        const [whole, preposition, pasalNumber, ayatNumber, hurufList, joiner, secondPasal] = match
        // Words that name nothing stay as typed; the Pasal they mention after may still be a reference.
        const skip = () => (pasalRefs.lastIndex = match!.index + 1)
        const first = pasalNode(Number(pasalNumber))
        if (!first) {
          skip()
          continue
        }
        const letters = lettersOf(hurufList)
        // "Pasal 8 huruf a" names an item of a Pasal without numbered ayat: of its only ayat.
        const ayat = ayatNumber
          ? ayatOf(first.node, Number(ayatNumber))
          : letters.length > 0 && first.node.childCount === 1
            ? first.node.child(0)
            : null
        const named = ayatNumber || letters.length > 0 ? unitsOf(ayat, letters) : first.label.id ? [first.label.id] : null
        if (!named) {
          skip()
          continue
        }
        const targets = [...named]
        if (secondPasal) {
          const last = Number(secondPasal)
          const from = Number(pasalNumber)
          const range = joiner === 'dan' ? [last] : Array.from({ length: Math.max(0, last - from) }, (_, i) => from + 1 + i)
          for (const number of range) {
            const extra = pasalNode(number)
            if (extra?.label.id) targets.push(extra.label.id)
          }
        }
        out.push({
          from: base + match.index,
          to: base + match.index + whole.length,
          text: whole,
          targets,
          preposisi: Boolean(preposition),
          mode: 'unit',
        })
      }
      for (const match of text.matchAll(LAMPIRAN_REF)) {
        const [whole, preposition, name] = match
        const target = lampiranIds.get(name!.replace(/\s+/g, ' '))
        if (!target) continue
        out.push({
          from: base + match.index,
          to: base + match.index + whole.length,
          text: whole,
          targets: [target],
          preposisi: Boolean(preposition),
          mode: 'unit',
        })
      }
      const pasal = doc.nodeAt(context.pasal.pos)
      if (!pasal) return
      for (const match of text.matchAll(AYAT_REF)) {
        const [whole, ayatNumber, hurufList] = match
        const targets = unitsOf(ayatOf(pasal, Number(ayatNumber)), lettersOf(hurufList))
        if (!targets) continue
        out.push({ from: base + match.index, to: base + match.index + whole.length, text: whole, targets, preposisi: true, mode: 'unit' })
      }
    })
    return false
  })
  return out.sort((a, b) => a.from - b.from)
}

/** The `rujukan` node for a typed reference. */
export const referenceNode = (typed: Pick<TypedReference, 'targets' | 'preposisi' | 'mode'>) =>
  schema.node('rujukan', { targets: [...typed.targets], preposisi: typed.preposisi, mode: typed.mode })

/** The document with every typed reference replaced by a live one (for drafts written as plain text). */
export function convertTypedReferences(doc: Node): Node {
  const tr = new Transform(doc)
  for (const typed of findTypedReferences(doc, numberDocument(doc)).reverse()) tr.replaceWith(typed.from, typed.to, referenceNode(typed))
  return tr.doc
}
