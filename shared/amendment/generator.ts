import type { Node } from 'prosemirror-model'
import { alignAmendment, type AlignedUnit } from './alignment.js'
import type { AmendmentAction, AmendmentPoint, QuotedUnit, UnitAddress } from './points.js'

/**
 * Pasal I of an amendment, as data: the points that turn the base regulation into the
 * consolidated text, in the order their units appear, at the granularity Lampiran II asks for.
 *
 * - A changed Pasal is restated whole, unless one kind of change touches at most half of its ayat
 *   (or of the huruf or angka of one list): then the point names those ayat ("Ketentuan ayat (3)
 *   dan ayat (4) Pasal 7 diubah …") and still quotes the whole Pasal.
 * - New units between base units are "disisipkan" with suffixed numbers, new units after the last
 *   of their scope "ditambahkan"; units next to each other make one point.
 * - A deleted unit is "dihapus"; a changed BAB, Bagian or Paragraf heading is "Judul … diubah"; a
 *   changed Lampiran is replaced whole.
 */
export function generateAmendment(base: Node, consolidated: Node): AmendmentPoint[] {
  const alignment = alignAmendment(base, consolidated)
  const points: AmendmentPoint[] = []
  visitSiblings(alignment.bab, points)
  visitSiblings(alignment.lampiran, points)
  return points
}

const withoutIds = (value: unknown): unknown =>
  Array.isArray(value)
    ? value.map(withoutIds)
    : value !== null && typeof value === 'object'
      ? Object.fromEntries(Object.entries(value).flatMap(([key, v]) => (key === 'id' ? [] : [[key, withoutIds(v)]])))
      : value

/** Whether two nodes hold the same text and structure, whatever their ids (a base imported from Word has others). */
export const sameContent = (a: Node, b: Node): boolean => a.eq(b) || JSON.stringify(withoutIds(a.toJSON())) === JSON.stringify(withoutIds(b.toJSON()))

const json = (node: Node): unknown => node.toJSON()
const quote = (unit: AlignedUnit): QuotedUnit => ({ address: unit.address, node: json(unit.consolidated!) })
const heading = (node: Node) => node.firstChild!

/** Visits a list of sibling units, folding runs of new units into one point each. */
function visitSiblings(units: readonly AlignedUnit[], points: AmendmentPoint[]): void {
  for (let i = 0; i < units.length; i++) {
    const unit = units[i]!
    if (unit.added) {
      const run = [unit]
      // Siblings only: new units of two BAB are two points, each placed in its own BAB.
      const joins = (next: AlignedUnit | undefined) => next?.added === unit.added && next.kind === unit.kind && next.previous === unit.previous
      while (joins(units[i + 1])) run.push(units[++i]!)
      points.push(insertion(run))
    } else visitUnit(unit, points)
  }
}

function insertion(run: readonly AlignedUnit[]): AmendmentPoint {
  const first = run[0]!
  const point = { action: first.added!, units: run.map((u) => u.address), quoted: run.map(quote) }
  if (first.added === 'ditambahkan' || !first.previous || !first.next) return point
  // A Pasal that opens the next BAB or Bagian is placed before it, not after the one it follows.
  const anchor = first.previous.parent === first.parent ? 'after' : first.next.parent === first.parent ? 'before' : 'after'
  return { ...point, between: [first.previous.address, first.next.address], ...(anchor === 'before' ? { anchor } : {}) }
}

function visitUnit(unit: AlignedUnit, points: AmendmentPoint[]): void {
  if (unit.deleted) {
    points.push({ action: 'dihapus', units: [unit.address] })
    return
  }
  const { base, consolidated } = unit as { base: Node; consolidated: Node }
  if (sameContent(base, consolidated)) return
  switch (unit.kind) {
    case 'bab':
    case 'bagian':
    case 'paragraf':
      if (!sameContent(heading(base), heading(consolidated)))
        points.push({
          action: 'diubah',
          units: [unit.address],
          aspect: 'judul',
          quoted: [{ address: unit.address, node: json(heading(consolidated)) }],
        })
      visitSiblings(unit.children, points)
      return
    case 'pasal':
      points.push(pasalPoint(unit))
      return
    default:
      points.push({ action: 'diubah', units: [unit.address], quoted: [quote(unit)] })
  }
}

interface SubChange {
  readonly action: AmendmentAction
  readonly unit: AlignedUnit
}

/** How a unit changed compared with its base, or null when it did not. */
function changeOf(unit: AlignedUnit): AmendmentAction | null {
  if (unit.added) return unit.added
  if (unit.deleted) return 'dihapus'
  return sameContent(unit.base!, unit.consolidated!) ? null : 'diubah'
}

/** The sub-units of a Pasal that changed, at the finest level that holds all the change (ayat, or the items of one list). */
function subChanges(pasal: AlignedUnit): SubChange[] | null {
  const changes = finestChanges(pasal)
  // The one, unnumbered ayat of a Pasal cannot be named: the Pasal is restated.
  return changes?.some((c) => c.unit.kind === 'ayat' && c.unit.number === '') ? null : changes
}

function finestChanges(pasal: AlignedUnit): SubChange[] | null {
  if (pasal.renumbered) return null
  const changed = pasal.children.flatMap((unit) => {
    const action = changeOf(unit)
    return action ? [{ action, unit }] : []
  })
  const only = changed[0]
  if (changed.length !== 1 || only!.action !== 'diubah') return changed
  // One ayat changed: if its own sentences did not, name the items of its list that did.
  const ayat = only!.unit
  const ownText = (node: Node) => {
    const parts: Node[] = []
    node.forEach((child) => void (child.type.name !== 'rincian' && parts.push(child)))
    return parts
  }
  const [baseText, consText] = [ownText(ayat.base!), ownText(ayat.consolidated!)]
  const lists = (node: Node) => node.children.filter((child) => child.type.name === 'rincian').length
  if (baseText.length !== consText.length || baseText.some((node, i) => !sameContent(node, consText[i]!))) return changed
  if (lists(ayat.base!) !== 1 || lists(ayat.consolidated!) !== 1) return changed
  const items = ayat.children.flatMap((unit) => {
    const action = changeOf(unit)
    return action ? [{ action, unit }] : []
  })
  return items.length > 0 ? items : changed
}

/**
 * The point for a changed Pasal: naming its changed ayat (or items) when one kind of change
 * touches at most half of them, else restating it whole.
 */
function pasalPoint(pasal: AlignedUnit): AmendmentPoint {
  const whole: AmendmentPoint = { action: 'diubah', units: [pasal.address], quoted: [quote(pasal)] }
  const changes = subChanges(pasal)
  if (!changes || changes.length === 0) return whole
  const action = changes[0]!.action
  if (changes.some((c) => c.action !== action)) return whole
  const siblings = changes[0]!.unit.parent!.children
  const baseCount = siblings.filter((u) => u.base).length
  if (action === 'diubah' || action === 'dihapus') {
    if (2 * changes.length > baseCount) return whole
    return { action, units: changes.map((c) => c.unit.address), quoted: [quote(pasal)] }
  }
  // New ayat or items: all in one run, after one base unit.
  const run = changes.map((c) => c.unit)
  const first = run[0]!
  const contiguous = run.every((u, i) => u.previous === first.previous && siblings.indexOf(u) === siblings.indexOf(first) + i)
  // A unit before the first of its list has no base number to take a suffix from: the Pasal is restated.
  if (!contiguous || !first.previous) return whole
  const units: UnitAddress[] = run.map((u) => u.address)
  if (action === 'ditambahkan' || !first.next) return { action, units, quoted: [quote(pasal)] }
  return { action, units, between: [first.previous.address, first.next.address], quoted: [quote(pasal)] }
}
