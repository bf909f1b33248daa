import type { Node } from 'prosemirror-model'
import { formatNumber, readsDihapus, suffixNumber } from './numbers.js'
import type { UnitAddress, UnitKind } from './points.js'

/**
 * The base regulation and its consolidated text (the base as it will read once amended), unit by
 * unit: which unit of one is which of the other, and the number each unit has under the amendment
 * (numbers.ts). Units are matched by their `id` (an amendment draft starts as a copy of its base
 * with the same ids); units without a partner by id are matched by their words, in order, so that
 * a base imported from Word (other ids) still lines up.
 */

export type AddedAs = 'disisipkan' | 'ditambahkan'

export interface AlignedUnit {
  readonly kind: UnitKind
  readonly base: Node | null
  /** Null when the unit was removed from the consolidated text (it counts as deleted). */
  readonly consolidated: Node | null
  /** The number in the base (null for a new unit), and under the amendment ("8A"; "" for the one ayat of a Pasal). */
  readonly baseNumber: string | null
  readonly number: string
  /** Where the unit stands, outermost first, in the amendment's numbering. */
  readonly address: UnitAddress
  /** How a new unit came in: between base units (suffixed) or after the last of its scope (next number). */
  readonly added: AddedAs | null
  /** In the base, and removed from the consolidated text or left there as "Dihapus.". */
  readonly deleted: boolean
  /** For a new unit: the base units of its scope just before and after it. */
  readonly previous: AlignedUnit | null
  readonly next: AlignedUnit | null
  readonly parent: AlignedUnit | null
  readonly children: readonly AlignedUnit[]
  /** For a Pasal: its ayat are numbered by position, not by the base (one of the two texts has a single, unnumbered ayat). */
  readonly renumbered: boolean
}

export interface Alignment {
  readonly bab: readonly AlignedUnit[]
  readonly lampiran: readonly AlignedUnit[]
  /** Every Pasal, in document order (Pasal are numbered across the whole regulation). */
  readonly pasal: readonly AlignedUnit[]
}

/** An aligned unit while it is being numbered. */
interface Unit extends AlignedUnit {
  baseNumber: string | null
  number: string
  address: UnitAddress
  added: AddedAs | null
  previous: Unit | null
  next: Unit | null
  readonly parent: Unit | null
  readonly children: Unit[]
  renumbered: boolean
  /** Position among the base units of its scope (1-based); 0 for a new unit. */
  baseIndex: number
}

/** Node types that are units, by the kind an amendment names them with (butir take theirs from their list). */
const KIND: Readonly<Record<string, UnitKind>> = {
  bab: 'bab',
  bagian: 'bagian',
  paragraf: 'paragraf',
  pasal: 'pasal',
  ayat: 'ayat',
  lampiran: 'lampiran',
}
/** Below this share of common words, two units without matching ids are different units. */
const SIMILAR = 0.5
/** An id match outweighs any number of word matches. */
const ID_MATCH = 1000

/**
 * Whether a unit reads as deleted: a heading or text that is only "Dihapus.", or a BAB, Bagian or
 * Paragraf whose heading reads so and whose Pasal all do (the editor keeps a deleted part's Pasal
 * in it, so that their numbers stay in view).
 */
function readsDeleted(node: Node): boolean {
  if (PARTS.has(node.type.name) && node.childCount > 1 && readsDihapus(node.firstChild!.textContent)) {
    let all = true
    node.forEach((child, _, index) => void (all &&= index === 0 || readsDeleted(child)))
    return all
  }
  // Only a short unit can read "Dihapus."; not reading out every long one keeps numbering cheap.
  return node.content.size <= PLACEHOLDER_SIZE && readsDihapus(node.textContent)
}
/** Larger than any unit holding only "Dihapus; dan" (text plus the tokens of its heading or ayat and teks). */
const PLACEHOLDER_SIZE = 32

const wordsOf = (text: string) =>
  new Set(
    text
      .toLowerCase()
      .split(/[^\p{L}\p{N}]+/u)
      .filter(Boolean),
  )
/** The words a unit is recognised by: all of them, and for a BAB, Bagian, Paragraf or Lampiran also its heading's. */
const words = (node: Node) => ({
  all: wordsOf(node.textContent),
  heading: HEADED.has(node.type.name) ? wordsOf(node.firstChild?.textContent ?? '') : null,
})
const HEADED = new Set(['bab', 'bagian', 'paragraf', 'lampiran'])
const PARTS = new Set(['bab', 'bagian', 'paragraf'])
type Words = ReturnType<typeof words>
/** A container whose heading stayed is the same container, however much of its content changed. */
const likeness = (a: Words, b: Words) => Math.max(similarity(a.all, b.all), a.heading && b.heading ? similarity(a.heading, b.heading) : 0)

function similarity(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 1
  let common = 0
  for (const word of a) if (b.has(word)) common += 1
  return (2 * common) / (a.size + b.size)
}

/**
 * Pairs two lists of sibling units in order, maximising id matches first and word similarity
 * second (a weighted longest common subsequence). Unpaired units of the base come before unpaired
 * units of the consolidated text in the same gap: what was deleted, then what was inserted there.
 */
export function pairUnits(base: readonly Node[], consolidated: readonly Node[]): Array<[Node | null, Node | null]> {
  // The common case while a team edits: the same units, in the same order.
  if (
    base.length === consolidated.length &&
    base.every((node, i) => node.attrs.id && node.attrs.id === consolidated[i]!.attrs.id && node.type === consolidated[i]!.type)
  )
    return base.map((node, i) => [node, consolidated[i]!])
  const baseIds = new Set(base.map((n) => n.attrs.id as unknown).filter(Boolean))
  const consIds = new Set(consolidated.map((n) => n.attrs.id as unknown).filter(Boolean))
  // Words are counted only for units that no id settles (all of them in an imported base, none in a copy).
  const baseWords = new Map<number, Words>()
  const consWords = new Map<number, Words>()
  const cached = (cache: Map<number, Words>, nodes: readonly Node[], i: number) => {
    if (!cache.has(i)) cache.set(i, words(nodes[i]!))
    return cache.get(i)!
  }
  const score = (i: number, j: number): number => {
    const a = base[i]!
    const b = consolidated[j]!
    if (a.type !== b.type) return 0
    if (a.attrs.id && a.attrs.id === b.attrs.id) return ID_MATCH
    // A unit whose id has a partner in the other list is that partner's, never another's.
    if (consIds.has(a.attrs.id) || baseIds.has(b.attrs.id)) return 0
    const s = likeness(cached(baseWords, base, i), cached(consWords, consolidated, j))
    return s >= SIMILAR ? s : 0
  }
  const n = base.length
  const m = consolidated.length
  const best: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0))
  const scores: number[][] = Array.from({ length: n }, () => new Array<number>(m).fill(0))
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--) {
      scores[i]![j] = score(i, j)
      const paired = scores[i]![j]! > 0 ? scores[i]![j]! + best[i + 1]![j + 1]! : 0
      best[i]![j] = Math.max(best[i + 1]![j]!, best[i]![j + 1]!, paired)
    }
  const pairs: Array<[Node | null, Node | null]> = []
  let i = 0
  let j = 0
  while (i < n || j < m) {
    if (i < n && j < m && scores[i]![j]! > 0 && best[i]![j] === scores[i]![j]! + best[i + 1]![j + 1]!) pairs.push([base[i++]!, consolidated[j++]!])
    else if (i < n && (j === m || best[i]![j] === best[i + 1]![j])) pairs.push([base[i++]!, null])
    else pairs.push([null, consolidated[j++]!])
  }
  return pairs
}

/** The unit children of a node that units nest in (BAB, Bagian, Paragraf, Pasal), in order. */
const unitChildren = (node: Node | null): Node[] => {
  const out: Node[] = []
  node?.forEach((child) => {
    if (KIND[child.type.name]) out.push(child)
  })
  return out
}

/** The rincian lists directly inside an ayat or butir, in order. */
const listsOf = (node: Node | null): Node[] => {
  const out: Node[] = []
  node?.forEach((child) => {
    if (child.type.name === 'rincian') out.push(child)
  })
  return out
}

const itemsOf = (list: Node | undefined): Node[] => {
  const out: Node[] = []
  list?.forEach((item) => void out.push(item))
  return out
}

function createUnit(kind: UnitKind, base: Node | null, consolidated: Node | null, parent: Unit | null): Unit {
  const deleted = base !== null && (consolidated === null || (readsDeleted(consolidated) && !readsDeleted(base)))
  return {
    kind,
    base,
    consolidated,
    baseNumber: null,
    number: '',
    address: [],
    added: null,
    deleted,
    previous: null,
    next: null,
    parent,
    children: [],
    renumbered: false,
    baseIndex: 0,
  }
}

/** Which kind the items of a list at `level` are: Lampiran II alternates letters and digits by depth. */
function itemKind(list: Node, level: number): UnitKind {
  const jenis = list.attrs.jenis === 'angka' ? 'angka' : 'huruf'
  return level % 2 === 0 ? jenis : jenis === 'angka' ? 'huruf' : 'angka'
}

/** The rincian items of an ayat or butir, list by list (each list is its own numbering scope). */
function alignItems(parent: Unit, level: number): void {
  const baseLists = listsOf(parent.base)
  const consLists = listsOf(parent.consolidated)
  for (let index = 0; index < Math.max(baseLists.length, consLists.length); index++) {
    const list = (consLists[index] ?? baseLists[index])!
    const kind = itemKind(list, level)
    const scope = pairUnits(itemsOf(baseLists[index]), itemsOf(consLists[index])).map(([b, c]) => {
      const item = createUnit(kind, b, c, parent)
      alignItems(item, level + 1)
      return item
    })
    numberScope(scope, kind)
    parent.children.push(...scope)
  }
}

function alignChildren(parent: Unit): void {
  const pairs = pairUnits(unitChildren(parent.base), unitChildren(parent.consolidated))
  for (const [b, c] of pairs) {
    const kind = KIND[(b ?? c)!.type.name]!
    const unit = createUnit(kind, b, c, parent)
    parent.children.push(unit)
    if (kind === 'ayat') alignItems(unit, 0)
    else alignChildren(unit)
  }
  if (parent.kind === 'pasal') numberAyat(parent)
  else
    for (const kind of ['bagian', 'paragraf'] as const)
      numberScope(
        parent.children.filter((u) => u.kind === kind),
        kind,
      )
}

/**
 * Numbers a scope: base units keep their number (deleted ones too), units between base units take
 * the previous one's number and a suffix, units after the last base unit take the next numbers.
 */
function numberScope(scope: readonly Unit[], kind: UnitKind): void {
  let count = 0
  for (const unit of scope) if (unit.base) unit.baseIndex = ++count
  const lastBase = scope.findLastIndex((unit) => unit.base !== null)
  let previous: Unit | null = null
  let inserted = 0
  scope.forEach((unit, index) => {
    if (unit.base) {
      unit.baseNumber = unit.number = formatNumber(kind, unit.baseIndex)
      previous = unit
      inserted = 0
      return
    }
    inserted += 1
    unit.previous = previous
    unit.next = scope.slice(index + 1).find((u) => u.base !== null) ?? null
    if (index < lastBase) {
      unit.added = 'disisipkan'
      unit.number = suffixNumber(kind, (previous as Unit | null)?.baseNumber ?? '0', inserted)
    } else {
      unit.added = 'ditambahkan'
      unit.number = formatNumber(kind, count + inserted)
    }
  })
}

/**
 * Ayat are numbered only when a Pasal has two or more. When the base or the consolidated Pasal has
 * just one, its ayat cannot keep base numbers (the one ayat had none): the whole Pasal is restated,
 * and its ayat are numbered by position.
 */
function numberAyat(pasal: Unit): void {
  const ayat = pasal.children
  const baseCount = ayat.filter((u) => u.base).length
  const consCount = ayat.filter((u) => u.consolidated).length
  if (baseCount > 1 && consCount > 1) return numberScope(ayat, 'ayat')
  // One ayat before and after, the same one: unnumbered in both, and its items can still be named.
  if (ayat.length === 1 && baseCount === 1 && consCount === 1) return
  pasal.renumbered = true
  let base = 0
  let cons = 0
  for (const unit of ayat) {
    if (unit.base) unit.baseNumber = baseCount > 1 ? String(++base) : ''
    unit.number = unit.consolidated && consCount > 1 ? String(++cons) : (unit.baseNumber ?? '')
    if (!unit.base) unit.added = 'ditambahkan'
  }
}

function address(unit: Unit): UnitAddress {
  const step = { kind: unit.kind, number: unit.number }
  const parent = unit.parent
  if (!parent || unit.kind === 'pasal') return [step]
  // The one ayat of a Pasal has no number: a huruf in it is "huruf c Pasal 5".
  if (parent.kind === 'ayat' && parent.number === '') return [...parent.parent!.address, step]
  return [...parent.address, step]
}

function assignAddresses(units: readonly Unit[]): void {
  for (const unit of units) {
    unit.address = address(unit)
    assignAddresses(unit.children)
  }
}

function collectPasal(units: readonly Unit[], into: Unit[]): Unit[] {
  for (const unit of units) {
    if (unit.kind === 'pasal') into.push(unit)
    else if (unit.kind !== 'ayat' && unit.kind !== 'huruf' && unit.kind !== 'angka') collectPasal(unit.children, into)
  }
  return into
}

const childrenOf = (doc: Node, type: string): Node[] => {
  const out: Node[] = []
  doc.forEach((child) => {
    if (child.type.name === type) out.push(child)
  })
  return out
}

/** Aligns the batang tubuh and the Lampiran of a base regulation and its consolidated text. */
export function alignAmendment(base: Node, consolidated: Node): Alignment {
  const body = (doc: Node) => doc.firstChild && (childrenOf(doc, 'batangTubuh')[0] ?? null)
  const bab = pairUnits(unitChildren(body(base)), unitChildren(body(consolidated))).map(([b, c]) => {
    const unit = createUnit('bab', b, c, null)
    alignChildren(unit)
    return unit
  })
  const lampiran = pairUnits(childrenOf(base, 'lampiran'), childrenOf(consolidated, 'lampiran')).map(([b, c]) => createUnit('lampiran', b, c, null))
  numberScope(bab, 'bab')
  const pasal = collectPasal(bab, [])
  numberScope(pasal, 'pasal')
  numberScope(lampiran, 'lampiran')
  // A lone Lampiran has no number ("Lampiran"), as in the base.
  if (lampiran.length === 1 && lampiran[0]!.base) lampiran[0]!.baseNumber = lampiran[0]!.number = ''
  assignAddresses(bab)
  assignAddresses(lampiran)
  return { bab, lampiran, pasal }
}

/**
 * The number each unit of the consolidated text has under the amendment (SPEC S24), by node: what
 * the editor draws instead of counting positions when a draft amends a base.
 */
export function amendedNumbers(base: Node, consolidated: Node): Map<Node, string> {
  const numbers = new Map<Node, string>()
  const visit = (units: readonly AlignedUnit[]) => {
    for (const unit of units) {
      if (unit.consolidated) numbers.set(unit.consolidated, unit.number)
      visit(unit.children)
    }
  }
  const alignment = alignAmendment(base, consolidated)
  visit(alignment.bab)
  visit(alignment.lampiran)
  return numbers
}
