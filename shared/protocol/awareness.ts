import * as encoding from 'lib0/encoding'
import * as decoding from 'lib0/decoding'
import { ProtocolError } from './messages.js'

/**
 * The payload of an awareness message (type 1), as y-protocols encodes it: a count, then per
 * client its id, its clock and its state as JSON text (`"null"` for a client that left). States
 * stay text here: parsing and checking them is the job of whoever admits them.
 */
export interface AwarenessEntry {
  readonly clientId: number
  readonly clock: number
  readonly state: string
}

/** The JSON text y-protocols sends for a client that left. */
export const REMOVED_STATE = 'null'

/** Encodes awareness entries the way `y-protocols/awareness` `encodeAwarenessUpdate` does. */
export function encodeAwarenessEntries(entries: readonly AwarenessEntry[]): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, entries.length)
  for (const entry of entries) {
    encoding.writeVarUint(encoder, entry.clientId)
    encoding.writeVarUint(encoder, entry.clock)
    encoding.writeVarString(encoder, entry.state)
  }
  return encoding.toUint8Array(encoder)
}

/**
 * Decodes an awareness update. Throws `ProtocolError` when it is truncated, overlong or followed
 * by trailing bytes; every read is bounded by the input.
 */
export function decodeAwarenessEntries(update: Uint8Array): AwarenessEntry[] {
  const decoder = decoding.createDecoder(update)
  const entries: AwarenessEntry[] = []
  try {
    const count = decoding.readVarUint(decoder)
    for (let i = 0; i < count; i++) {
      entries.push({ clientId: decoding.readVarUint(decoder), clock: decoding.readVarUint(decoder), state: decoding.readVarString(decoder) })
    }
  } catch (error) {
    throw new ProtocolError(`malformed awareness update: ${(error as Error).message}`)
  }
  if (decoding.hasContent(decoder)) throw new ProtocolError('trailing bytes after awareness update')
  return entries
}
