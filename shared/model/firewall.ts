import * as Y from 'yjs'
import type { ContentMatch, NodeType } from 'prosemirror-model'
import { attributeValues, schema } from './schema.js'
import { FRAGMENT } from './ydoc.js'
import { LEGACY_TYPES } from './legacy.js'
import { hasUnprintable } from '../text.js'

/**
 * The schema firewall: decides, from the structs of a Yjs update and the document it would apply
 * to, whether the update keeps the document one that the schema (schema.ts) describes. Yjs alone
 * accepts any well-formed update; y-prosemirror then renders, exports break, or it deletes what it
 * cannot build. So the server refuses, before storing, any update that:
 * - creates an element with an unknown node name, or one its parent may never contain (the set of
 *   node types the parent's content expression mentions at all — order and counts are left to
 *   merging, see schema.ts), or one only old drafts hold (legacy.ts), or text outside a textblock;
 * - sets an attribute the node type does not have, the view-only `ychange`, or a value its rule
 *   (`attributeValues`) refuses;
 * - formats text with an unknown or view-only mark, or with mark attributes it does not have;
 * - inserts text that is not text (text.ts), an embed, or any content y-prosemirror never writes;
 * - creates a root type other than the ProseMirror fragment;
 * - depends on edits the server does not have (a clock gap, an unknown origin or parent): Yjs would
 *   keep it pending forever, which is how an update right after a refused one looks.
 *
 * It works on the decoded structs and looks up their parents by id — in the update itself, in
 * updates admitted but not yet applied (the room stores before it applies), then in the document —
 * so a keystroke costs a few lookups, not a walk of the document.
 */

/** The node type name that the root fragment stands for. */
const ROOT_NODE = 'doc'
/** y-prosemirror's name for comparison marks and attributes: drawn, never stored. */
const VIEW_ONLY = 'ychange'

/** y-prosemirror's format key of a mark that may overlap itself: the mark name and a hash. */
const HASHED_MARK = /^(.*)--[a-zA-Z0-9+/=]{8}$/
const markNameOf = (key: string) => HASHED_MARK.exec(key)?.[1] ?? key

type Content = Y.Item['content']

/** Where an item sits: in which type, under which map key (null: in the list of children). */
type Place = { readonly parent: Parent; readonly sub: string | null }
type Parent = { readonly kind: 'element'; readonly node: NodeType } | { readonly kind: 'text' } | { readonly kind: 'other'; readonly what: string }

/** The parent is gone (deleted and collected): Yjs discards the item, so it cannot do harm. */
const GONE = 'gone'
/** The parent or origin is unknown to the server: the update depends on something it lacks. */
const MISSING = 'missing'
type Resolution = Place | typeof GONE | typeof MISSING

/** Node types each node type may contain anywhere in its content expression. */
const childTypes = new Map<NodeType, ReadonlySet<NodeType>>(
  Object.values(schema.nodes).map((type) => {
    const found = new Set<NodeType>()
    const seen = new Set<ContentMatch>()
    const pending = [type.contentMatch]
    for (let match = pending.pop(); match; match = pending.pop()) {
      if (seen.has(match)) continue
      seen.add(match)
      for (let i = 0; i < match.edgeCount; i++) {
        const edge = match.edge(i)
        // Old drafts may still hold them, but nobody may add them again (legacy.ts).
        if (!LEGACY_TYPES.has(edge.type.name)) found.add(edge.type)
        pending.push(edge.next)
      }
    }
    return [type, found]
  }),
)

function parentOf(type: Y.AbstractType<any>, root: Y.XmlFragment): Parent {
  if (type === root) return { kind: 'element', node: schema.nodes[ROOT_NODE]! }
  if (type instanceof Y.XmlElement) {
    const node = Object.hasOwn(schema.nodes, type.nodeName) ? schema.nodes[type.nodeName] : undefined
    return node && node.name !== 'text' ? { kind: 'element', node } : { kind: 'other', what: `element ${type.nodeName}` }
  }
  if (type instanceof Y.XmlText) return { kind: 'text' }
  return { kind: 'other', what: type.constructor.name }
}

/** Items of one update (or of several admitted ones), by client, in clock order. */
class ItemIndex {
  readonly #byClient = new Map<number, Y.Item[]>()

  add(item: Y.Item) {
    const items = this.#byClient.get(item.id.client)
    if (items) items.push(item)
    else this.#byClient.set(item.id.client, [item])
  }

  /** The item holding `id`, if any. */
  find(id: Y.ID): Y.Item | undefined {
    const items = this.#byClient.get(id.client)
    if (!items) return undefined
    let [low, high] = [0, items.length - 1]
    while (low <= high) {
      const mid = (low + high) >>> 1
      const item = items[mid]!
      if (id.clock < item.id.clock) high = mid - 1
      else if (id.clock >= item.id.clock + item.length) low = mid + 1
      else return item
    }
    return undefined
  }

  /** The next clock after this index's items of `client` (0 when none). */
  end(client: number): number {
    const last = this.#byClient.get(client)?.at(-1)
    return last ? last.id.clock + last.length : 0
  }

  /** Forgets the items of each client that `covered(client)` says the document now holds. */
  prune(covered: (client: number) => number) {
    for (const [client, items] of this.#byClient) {
      const state = covered(client)
      const keep = items.filter((item) => item.id.clock + item.length > state)
      if (keep.length === 0) this.#byClient.delete(client)
      else if (keep.length < items.length) this.#byClient.set(client, keep)
    }
  }

  get size(): number {
    return this.#byClient.size
  }
}

/** Why the schema refuses what `content` would put at `place`, or null. */
function refusalOf(content: Content, place: Place): string | null {
  const { parent, sub } = place
  if (parent.kind === 'other') return `content inside ${parent.what}`
  if (sub !== null) {
    if (parent.kind !== 'element' || parent.node.name === ROOT_NODE) return `attribute ${sub} outside an element`
    if (sub === VIEW_ONLY || !Object.hasOwn(parent.node.spec.attrs ?? {}, sub)) return `attribute ${sub.slice(0, 40)} on ${parent.node.name}`
    if (!(content instanceof Y.ContentAny) || content.arr.length !== 1) return `attribute ${sub} of a kind y-prosemirror never writes`
    return Object.hasOwn(attributeValues, sub) && attributeValues[sub]!(content.arr[0]) ? null : `value of ${parent.node.name}.${sub}`
  }
  if (parent.kind === 'text') {
    if (content instanceof Y.ContentString) return hasUnprintable(content.str) ? 'text with control characters or non-characters' : null
    if (content instanceof Y.ContentFormat) return formatRefusal(content)
    return `${content.constructor.name} inside text`
  }
  if (!(content instanceof Y.ContentType)) return `${content.constructor.name} inside ${parent.node.name}`
  const type = content.type
  if (type instanceof Y.XmlText) return parent.node.inlineContent ? null : `text inside ${parent.node.name}`
  if (!(type instanceof Y.XmlElement)) return `${type.constructor.name} inside ${parent.node.name}`
  const node = Object.hasOwn(schema.nodes, type.nodeName) ? schema.nodes[type.nodeName] : undefined
  if (!node || node.name === 'text' || node.name === ROOT_NODE) return `unknown node ${type.nodeName.slice(0, 40)}`
  return childTypes.get(parent.node)!.has(node) ? null : `${node.name} inside ${parent.node.name}`
}

function formatRefusal(format: Y.ContentFormat): string | null {
  const name = markNameOf(format.key)
  const mark = Object.hasOwn(schema.marks, name) ? schema.marks[name] : undefined
  if (!mark || mark.name === VIEW_ONLY) return `unknown mark ${format.key.slice(0, 40)}`
  const value: unknown = format.value
  if (value === null) return null
  if (typeof value !== 'object' || Array.isArray(value)) return `value of mark ${mark.name}`
  return Object.keys(value).every((key) => Object.hasOwn(mark.spec.attrs ?? {}, key)) ? null : `attribute of mark ${mark.name}`
}

/**
 * Checks the updates bound for one document, in the order they will be stored. One per room: it
 * remembers the updates it admitted until the document holds them.
 */
export class SchemaFirewall {
  readonly #doc: Y.Doc
  readonly #root: Y.XmlFragment
  /** Admitted updates' items that the document may not hold yet. */
  #admitted = new ItemIndex()
  /** Where admitted items sit (computed once). */
  readonly #places = new WeakMap<Y.Item, Resolution>()

  constructor(doc: Y.Doc) {
    this.#doc = doc
    this.#root = doc.getXmlFragment(FRAGMENT)
  }

  /**
   * Null when `update` (a well-formed Yjs v1 update) keeps the document valid for the schema, and
   * then it counts as admitted: later updates may build on it before the document holds it.
   * Otherwise, in English for the log, why the update is refused; nothing of it is remembered.
   */
  check(update: Uint8Array): string | null {
    try {
      return this.#check(update)
    } catch (error) {
      // Input from the network never throws into the room: what cannot be checked is refused.
      return `could not be checked: ${(error as Error).message}`
    }
  }

  /**
   * Forgets the admitted items the document now holds. Called as each update is applied: kept
   * until the room's next update instead, a quiet draft's decoded items outlived the young
   * generation and went to the old one.
   */
  forgetApplied() {
    const store = this.#doc.store
    this.#admitted.prune((client) => Y.getState(store, client))
  }

  /** Clients whose admitted items the document does not hold yet, as far as the firewall knows (for tests). */
  get pendingClients(): number {
    return this.#admitted.size
  }

  #check(update: Uint8Array): string | null {
    const store = this.#doc.store
    this.forgetApplied()
    const { structs } = Y.decodeUpdate(update)
    const own = new ItemIndex()
    // Yjs keeps an item pending until every earlier clock of its client is there.
    const next = new Map<number, number>()
    for (const struct of structs) {
      const client = struct.id.client
      const expected = next.get(client) ?? Math.max(Y.getState(store, client), this.#admitted.end(client))
      if (struct.id.clock > expected || struct instanceof Y.Skip) return 'depends on edits the server does not have'
      next.set(client, Math.max(expected, struct.id.clock + struct.length))
      if (struct instanceof Y.Item) own.add(struct)
    }
    const places = new Map<Y.Item, Resolution>()
    for (const struct of structs) {
      if (!(struct instanceof Y.Item) || struct.content instanceof Y.ContentDeleted) continue
      const place = this.#resolve(struct, own, places)
      if (place === MISSING) return 'depends on edits the server does not have'
      if (place === GONE) continue
      const refusal = refusalOf(struct.content, place)
      if (refusal) return refusal
    }
    for (const struct of structs) {
      if (!(struct instanceof Y.Item)) continue
      this.#admitted.add(struct)
      const place = places.get(struct)
      if (place) this.#places.set(struct, place)
    }
    return null
  }

  /**
   * Where a decoded item sits. Its parent is named (a root name or the parent element's id) only
   * when it has no neighbours; otherwise it sits where its left (else right) origin sits, which may
   * itself be a decoded item: that chain is followed without recursion.
   */
  #resolve(item: Y.Item, own: ItemIndex, places: Map<Y.Item, Resolution>): Resolution {
    const chain = new Set<Y.Item>()
    let current: Y.Item = item
    let found: Resolution
    for (;;) {
      const cached = places.get(current) ?? this.#places.get(current)
      if (cached) {
        found = cached
        break
      }
      // Origins that lead back to themselves can never be integrated (Yjs keeps them pending).
      if (chain.has(current)) {
        found = MISSING
        break
      }
      chain.add(current)
      const parent = current.parent as Y.ID | string | null
      if (typeof parent === 'string') {
        found =
          parent === FRAGMENT
            ? { parent: parentOf(this.#root, this.#root), sub: current.parentSub }
            : { parent: { kind: 'other', what: `root type ${parent.slice(0, 40)}` }, sub: null }
        break
      }
      if (parent !== null) {
        found = this.#typeAt(parent, own, current.parentSub)
        break
      }
      const origins = [current.origin, current.rightOrigin].filter((id): id is Y.ID => id !== null)
      if (origins.length === 0) {
        found = MISSING
        break
      }
      const neighbours = origins.map((id) => this.#structAt(id, own))
      if (neighbours.some((n) => n === undefined)) {
        found = MISSING
        break
      }
      // Yjs collects an item next to a collected one.
      if (neighbours.some((n) => n instanceof Y.GC)) {
        found = GONE
        break
      }
      const neighbour = neighbours[0] as Y.Item
      if (neighbour.parent instanceof Y.AbstractType) {
        found = { parent: parentOf(neighbour.parent, this.#root), sub: neighbour.parentSub }
        break
      }
      current = neighbour
    }
    for (const link of chain) places.set(link, found)
    return found
  }

  /** The type whose item holds `id`, as a parent. */
  #typeAt(id: Y.ID, own: ItemIndex, sub: string | null): Resolution {
    const struct = this.#structAt(id, own)
    if (struct === undefined) return MISSING
    if (!(struct instanceof Y.Item) || !(struct.content instanceof Y.ContentType)) return GONE
    return { parent: parentOf(struct.content.type, this.#root), sub }
  }

  /** The struct holding `id`: in the document, in an admitted update, or in this update. */
  #structAt(id: Y.ID, own: ItemIndex): Y.Item | Y.GC | undefined {
    const store = this.#doc.store
    if (id.clock < Y.getState(store, id.client)) return Y.getItem(store, id) as Y.Item | Y.GC
    return this.#admitted.find(id) ?? own.find(id)
  }
}
