import * as decoding from 'lib0/decoding'
import * as Y from 'yjs'
import { messageAwareness, messageStored, messageSync, syncStep1, syncStep2, syncUpdate } from '../shared/protocol/messages.js'

export { encodeAwareness, encodeStored, encodeSyncStep1, encodeSyncStep2, encodeUpdate } from '../shared/protocol/messages.js'

/** A server message as the bench needs it: sync steps with their payload, acknowledgements, the rest ignored. */
export type ServerMessage =
  | { readonly kind: 'syncStep1'; readonly stateVector: Uint8Array }
  | { readonly kind: 'syncStep2'; readonly update: Uint8Array }
  | { readonly kind: 'update'; readonly update: Uint8Array }
  | { readonly kind: 'stored'; readonly request: number }
  | { readonly kind: 'awareness'; readonly update: Uint8Array }
  | { readonly kind: 'other' }

const OTHER: ServerMessage = { kind: 'other' }

/** Decodes the frame of a server message (sync 0, awareness 1, stored 100); the rest are `other`. */
export function decodeServerMessage(bytes: Uint8Array): ServerMessage {
  const decoder = decoding.createDecoder(bytes)
  const type = decoding.readVarUint(decoder)
  if (type === messageStored) return { kind: 'stored', request: decoding.readVarUint(decoder) }
  if (type === messageAwareness) return { kind: 'awareness', update: decoding.readVarUint8Array(decoder) }
  if (type !== messageSync) return OTHER
  const step = decoding.readVarUint(decoder)
  const payload = decoding.readVarUint8Array(decoder)
  if (step === syncStep1) return { kind: 'syncStep1', stateVector: payload }
  if (step === syncStep2) return { kind: 'syncStep2', update: payload }
  if (step === syncUpdate) return { kind: 'update', update: payload }
  return OTHER
}

/**
 * Identifies a keystroke from the head of a Yjs v1 update without decoding it into a document:
 * the client and clock of its first struct. Every bench keystroke is one struct of one character,
 * so this is exactly the keystroke's id. Null for an update without structs (a pure deletion).
 */
export function firstStruct(update: Uint8Array): { client: number; clock: number } | null {
  const decoder = decoding.createDecoder(update)
  const clients = decoding.readVarUint(decoder)
  if (clients === 0) return null
  const structs = decoding.readVarUint(decoder)
  if (structs === 0) return null
  const client = decoding.readVarUint(decoder)
  const clock = decoding.readVarUint(decoder)
  return { client, clock }
}

/**
 * Every keystroke a received update carries, as client:clock. Our server relays the updates of one
 * turn merged into one message, so an update may hold several keystrokes of several typists; each
 * bench keystroke is one clock.
 */
export function keystrokesIn(update: Uint8Array): Array<{ client: number; clock: number }> {
  const { from, to } = Y.parseUpdateMeta(update)
  const out: Array<{ client: number; clock: number }> = []
  for (const [client, end] of to) for (let clock = from.get(client) ?? end; clock < end; clock++) out.push({ client, clock })
  return out
}
