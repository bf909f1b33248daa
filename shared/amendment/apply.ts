import type { Node } from 'prosemirror-model'
import { schema } from '../model/schema.js'
import { alignAmendment, type AlignedUnit } from './alignment.js'
import { DIHAPUS } from './numbers.js'
import { addressKey, type AmendmentPoint, type QuotedUnit, type UnitAddress } from './points.js'

/**
 * Carries out Pasal I: the base regulation as amended by `points`, that is its consolidated text
 * (naskah terpadu). Changed units are replaced by their quoted text, new units are placed where
 * the points say, deleted units keep their place and number and read "Dihapus.". The inverse of
 * `generateAmendment`: applying what it generates to the base gives back the consolidated text
 * (property-tested), and the Word import uses it to rebuild a consolidated text from an amendment.
 *
 * Throws a RangeError naming the point when a point names a unit the base does not have.
 */
export function applyAmendment(base: Node, points: readonly AmendmentPoint[]): Node {
  const doc = base.toJSON() as Json
  const located = locate(doc, alignAmendment(base, base))
  points.forEach((point, index) => applyPoint(point, located, doc, index))
  return schema.nodeFromJSON(doc)
}

interface Json {
  type: string
  attrs?: Record<string, unknown>
  content?: Json[]
  text?: string
}

/** A base unit's JSON and the array that holds it, by the unit's address. */
interface Located {
  readonly node: Json
  readonly siblings: Json[]
  readonly kind: string
}

/** Walks the base's JSON and its alignment (with itself) side by side, indexing every unit by address. */
function locate(doc: Json, alignment: ReturnType<typeof alignAmendment>): Map<string, Located> {
  const located = new Map<string, Located>()
  const visit = (units: readonly AlignedUnit[], holder: Json) => {
    const nodes = (holder.content ?? []).filter(isUnitJson)
    units.forEach((unit, index) => {
      const node = nodes[index]!
      located.set(addressKey(unit.address), { node, siblings: holder.content!, kind: unit.kind })
      if (CONTAINERS.has(unit.kind)) visit(unit.children, node)
    })
  }
  const body = doc.content!.find((child) => child.type === 'batangTubuh')!
  visit(alignment.bab, body)
  visit(alignment.lampiran, doc)
  // A lone Lampiran has no number, yet an amendment may name it "Lampiran I".
  const lone = located.get(addressKey([{ kind: 'lampiran', number: '' }]))
  if (lone && alignment.lampiran.length === 1) located.set(addressKey([{ kind: 'lampiran', number: 'I' }]), lone)
  return located
}

const UNIT_TYPES = new Set(['bab', 'bagian', 'paragraf', 'pasal', 'lampiran'])
/** Units whose units points name by address; a change inside a Pasal replaces the whole Pasal. */
const CONTAINERS = new Set(['bab', 'bagian', 'paragraf'])
const isUnitJson = (node: Json) => UNIT_TYPES.has(node.type)

function find(located: Map<string, Located>, address: UnitAddress, index: number): Located {
  const found = located.get(addressKey(address))
  if (!found) throw new RangeError(`applyAmendment: point ${index + 1} names ${addressKey(address)}, which the base does not have`)
  return found
}

/** A deleted unit as the consolidated text keeps it: its id, its heading or first ayat, the words "Dihapus.". */
export function dihapusNode(node: Node): Node {
  const text = schema.text(DIHAPUS)
  switch (node.type.name) {
    case 'pasal':
      return node.type.create(node.attrs, [schema.node('ayat', { id: node.firstChild?.attrs.id ?? null }, [schema.node('teks', null, [text])])])
    case 'bab':
    case 'bagian':
    case 'paragraf':
    case 'lampiran':
      return node.type.create(node.attrs, [node.firstChild!.type.create(null, [text])])
    default:
      return node.type.create(node.attrs, [schema.node('teks', null, [text])])
  }
}

/**
 * Replaces a unit in place, so that later points still find it (a Pasal 8A goes after the amended
 * Pasal 8). The new text is the same unit changed, so it keeps the base unit's id: a quoted unit
 * read from Word has ids of its own, and the consolidated text must line up with its base by id.
 */
function replace(target: Located, json: Json): void {
  const id = target.node.attrs?.id
  for (const key of Object.keys(target.node)) delete target.node[key as keyof Json]
  Object.assign(target.node, structuredClone(json))
  if (id && target.node.type === json.type) target.node.attrs = { ...target.node.attrs, id }
}

function applyPoint(point: AmendmentPoint, located: Map<string, Located>, doc: Json, index: number): void {
  if (point.aspect === 'judul') {
    const target = find(located, point.units[0]!, index)
    // The generator quotes the heading; the Word import, the part as printed (its heading alone).
    const quoted = point.quoted![0]!.node as Json
    target.node.content![0] = structuredClone(quoted.type === target.node.type ? quoted.content![0]! : quoted)
    return
  }
  if (point.action === 'dihapus' && !point.quoted) {
    for (const address of point.units) {
      const target = find(located, address, index)
      replace(target, dihapusNode(schema.nodeFromJSON(target.node)).toJSON() as Json)
    }
    return
  }
  const quoted = point.quoted ?? []
  const replaced = quoted.filter((q) => located.has(addressKey(q.address)))
  for (const q of replaced) replace(find(located, q.address, index), q.node as Json)
  const inserted = quoted.filter((q) => !located.has(addressKey(q.address)))
  if (inserted.length > 0) insert(point, inserted, located, doc, index)
}

/** Places new units: after the unit they follow, before the one they precede, or at the end of their container. */
function insert(point: AmendmentPoint, inserted: readonly QuotedUnit[], located: Map<string, Located>, doc: Json, index: number): void {
  const nodes = inserted.map((q) => structuredClone(q.node) as Json)
  if (point.between) {
    const anchor = find(located, point.between[point.anchor === 'before' ? 1 : 0], index)
    const at = anchor.siblings.indexOf(anchor.node) + (point.anchor === 'before' ? 0 : 1)
    anchor.siblings.splice(at, 0, ...nodes)
    return
  }
  const address = inserted[0]!.address
  const kind = address.at(-1)!.kind
  const container = address.slice(0, -1)
  if (kind === 'pasal' || container.length === 0) {
    // After the last base unit of the kind, or at the end of the batang tubuh or the document.
    const last = [...located.values()].filter((l) => l.kind === kind).at(-1)
    if (last) last.siblings.splice(last.siblings.indexOf(last.node) + 1, 0, ...nodes)
    else if (kind === 'lampiran') doc.content!.push(...nodes)
    else doc.content!.find((child) => child.type === 'batangTubuh')!.content!.push(...nodes)
    return
  }
  find(located, container, index).node.content!.push(...nodes)
}
