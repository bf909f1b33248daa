import type { User } from './accounts.js'
import { FRAGMENT } from './model/ydoc.js'
import { isUnitId } from './model/schema.js'

/**
 * What every participant publishes in Yjs awareness under `user`. The server overwrites it from the
 * token, so it always tells the truth about who is there; y-prosemirror's cursor plugin reads
 * `name` and `color`.
 */
export interface PresenceUser {
  readonly username: string
  readonly name: string
  readonly bidang: string
  readonly role: User['role']
  /** The bidang's colour, so cursors and the presence list group visually by department. */
  readonly color: string
}

/** Colours that stay readable on white and apart from each other; a bidang keeps its colour forever. */
const PALETTE = ['#1d4ed8', '#b91c1c', '#047857', '#7c3aed', '#c2410c', '#0e7490', '#be185d', '#4d7c0f', '#a16207', '#4338ca', '#0f766e', '#9d174d']

/** A stable colour for a bidang name (FNV-1a over the normalised name). */
export function bidangColor(bidang: string): string {
  let hash = 0x811c9dc5
  for (const char of bidang.trim().toLowerCase()) {
    hash ^= char.codePointAt(0)!
    hash = Math.imul(hash, 0x01000193) >>> 0
  }
  return PALETTE[hash % PALETTE.length]!
}

export const presenceOf = (user: User): PresenceUser => ({
  username: user.username,
  name: user.name,
  bidang: user.bidang,
  role: user.role,
  color: bidangColor(user.bidang),
})

/** A Yjs ID as y-prosemirror's JSON carries it: a client id (uint32) and a clock. */
export interface IdJSON {
  readonly client: number
  readonly clock: number
}

/**
 * A Yjs relative position as JSON, the shape y-prosemirror writes into awareness (the fields of
 * `Y.RelativePosition`): inside the root fragment (`tname`) or inside a nested type (`type`), before
 * `item` (or at the end when null), leaning left when `assoc` is negative.
 */
export interface RelativePositionJSON {
  readonly type: IdJSON | null
  readonly tname: string | null
  readonly item: IdJSON | null
  readonly assoc: number
}

/** A remote caret or selection: y-prosemirror's `cursor` awareness field. */
export interface PresenceCursor {
  readonly anchor: RelativePositionJSON
  readonly head: RelativePositionJSON
}

/**
 * The unit a participant is reading: the Pasal (or other unit with an id) at the top of their
 * visible text, so that others can follow them through the draft in a rapat.
 */
export interface PresenceViewing {
  readonly pasalId: string
}

/**
 * Everything a participant's awareness state may hold. `user` is stamped by the server from the
 * account; `cursor` is null while the editor has no focus; `viewing` is null until the text is shown.
 */
export interface PresenceState {
  readonly user: PresenceUser
  readonly cursor: PresenceCursor | null
  readonly viewing: PresenceViewing | null
}

const UINT32_MAX = 0xffff_ffff

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)

function decodeId(value: unknown): IdJSON | null {
  if (!isRecord(value)) return null
  const { client, clock } = value
  if (!Number.isInteger(client) || (client as number) < 0 || (client as number) > UINT32_MAX) return null
  if (!Number.isSafeInteger(clock) || (clock as number) < 0) return null
  return { client: client as number, clock: clock as number }
}

/**
 * The relative position `value` describes, rebuilt from its known fields only, or null when it is
 * not one Yjs can resolve: exactly one of `type` / `tname` (and `tname` only ever names the
 * document's fragment, since resolving an unknown name would create a root type), an `item` that
 * is an ID or null, and an integer `assoc`.
 */
export function decodeRelativePosition(value: unknown): RelativePositionJSON | null {
  if (!isRecord(value)) return null
  const type = value.type == null ? null : decodeId(value.type)
  const item = value.item == null ? null : decodeId(value.item)
  const tname = value.tname == null ? null : value.tname === FRAGMENT ? FRAGMENT : undefined
  const assoc = value.assoc == null ? 0 : value.assoc
  if ((value.type != null && !type) || (value.item != null && !item) || tname === undefined) return null
  if ((type === null) === (tname === null)) return null
  if (!Number.isSafeInteger(assoc)) return null
  return { type, tname, item, assoc: assoc as number }
}

/** The cursor `value` describes (two valid relative positions), or null. */
export function decodeCursor(value: unknown): PresenceCursor | null {
  if (!isRecord(value)) return null
  const anchor = decodeRelativePosition(value.anchor)
  const head = decodeRelativePosition(value.head)
  return anchor && head ? { anchor, head } : null
}

/**
 * The viewing position `value` describes, rebuilt as `{pasalId}` only, or null when it is not one:
 * the id must be a unit id as the schema admits them (`isUnitId`), since followers look it up in
 * their text.
 */
export function decodeViewing(value: unknown): PresenceViewing | null {
  if (!isRecord(value)) return null
  const { pasalId } = value
  return isUnitId(pasalId) ? { pasalId } : null
}

/**
 * The awareness state the room relays for what a client published: the account's `user` and, of
 * everything else, only a valid `cursor` and `viewing` (an invalid one becomes null). Other fields
 * are dropped, so no participant can feed the others' editors something they were not written to read.
 */
export const admitPresenceState = (published: Record<string, unknown>, user: User): PresenceState => ({
  user: presenceOf(user),
  cursor: decodeCursor(published.cursor),
  viewing: decodeViewing(published.viewing),
})
