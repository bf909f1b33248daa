import type { User } from './accounts.js'

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
