import { ProtocolError } from '../../shared/protocol/messages.js'
import { REMOVED_STATE, decodeAwarenessEntries, encodeAwarenessEntries, type AwarenessEntry } from '../../shared/protocol/awareness.js'
import { admitPresenceState } from '../../shared/presence.js'
import type { User } from '../../shared/accounts.js'

export interface PresenceLimits {
  /** Largest JSON state one client may publish, in bytes. */
  readonly maxStateBytes: number
  /** Most awareness client ids one connection may own (one per open editor; a few for reloads). */
  readonly maxClientsPerConnection: number
}

/** What the room knows about awareness ids, for admitting one connection's update. */
export interface PresenceContext {
  /** The account behind the connection. */
  readonly user: User
  /** Ids this connection already owns. */
  readonly owned: ReadonlySet<number>
  /** Whether this connection may take an id it does not own (nobody else holds it, or held it lately). */
  claimable(clientId: number): boolean
  /** The room's current awareness clock for an id, or undefined when the room never saw it. */
  clockOf(clientId: number): number | undefined
}

/**
 * Rewrites an awareness update from a connection into the one the room may apply:
 * - a connection speaks only for the ids it owns; it owns an id by being the first to publish a
 *   state for it (the stock provider publishes its own id first), never by removing one, so
 *   nobody can overwrite or remove someone else's presence — including through the echoes every
 *   stock provider sends of other people's states;
 * - every published state gets `user` from the connection's account, so nobody can appear as
 *   another person or bidang, and keeps only the fields the presence schema allows (a `cursor`
 *   that is not two valid relative positions becomes null), so nobody can feed the other editors
 *   a state that breaks them (shared/presence.ts);
 * - when a connection takes an id (a reconnect), its clock is raised above the room's, so it is
 *   visible at once although it re-announces the clock its removal carried (the provider adopts
 *   the raised clock from the echo). Owned ids keep their clocks: raising those would loop, as
 *   every stock provider re-sends what it receives;
 * - oversized or non-object states, and too many ids, are refused.
 * Returns the re-encoded update and the ids it claims or touches, or null when nothing is left.
 * Throws `ProtocolError` for a malformed update.
 */
export function admitAwarenessUpdate(
  update: Uint8Array,
  context: PresenceContext,
  limits: PresenceLimits,
): { update: Uint8Array; clientIds: number[] } | null {
  const admitted: AwarenessEntry[] = []
  const owned = new Set(context.owned)
  for (const entry of decodeAwarenessEntries(update)) {
    const state = admitState(entry.state, context.user, limits)
    if (owned.has(entry.clientId)) {
      admitted.push({ ...entry, state })
      continue
    }
    if (state === REMOVED_STATE || !context.claimable(entry.clientId)) continue
    if (owned.size >= limits.maxClientsPerConnection) throw new ProtocolError('too many awareness clients on one connection')
    owned.add(entry.clientId)
    const known = context.clockOf(entry.clientId)
    admitted.push({ clientId: entry.clientId, clock: known === undefined ? entry.clock : Math.max(entry.clock, known + 1), state })
  }
  if (admitted.length === 0) return null
  return { update: encodeAwarenessEntries(admitted), clientIds: admitted.map((e) => e.clientId) }
}

/**
 * The state to relay for one published state: `null` stays a removal; an object is cut down to
 * what the presence schema allows, with `user` from the account.
 */
function admitState(json: string, user: User, limits: PresenceLimits): string {
  if (json.length > limits.maxStateBytes) throw new ProtocolError('awareness state too large')
  let state: unknown
  try {
    state = JSON.parse(json)
  } catch {
    throw new ProtocolError('awareness state is not JSON')
  }
  if (state === null) return REMOVED_STATE
  if (typeof state !== 'object' || Array.isArray(state)) throw new ProtocolError('awareness state is not an object')
  return JSON.stringify(admitPresenceState(state as Record<string, unknown>, user))
}
