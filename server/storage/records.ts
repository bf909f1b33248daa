import * as encoding from 'lib0/encoding'
import * as decoding from 'lib0/decoding'
import type { Author } from '../../shared/accounts.js'

/**
 * How records are encoded as bytes: the values of LevelDB's keys (server/storage/keys.ts), which
 * are also the records of a backup file whatever storage wrote it.
 */

export const json = {
  encode: (value: unknown) => new TextEncoder().encode(JSON.stringify(value)),
  decode: <T>(bytes: Uint8Array) => JSON.parse(new TextDecoder().decode(bytes)) as T,
}

/** classic-level and pg hand out Buffers; callers get plain Uint8Arrays. */
export const plain = (bytes: Uint8Array) => (Buffer.isBuffer(bytes) ? new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) : bytes)

/** A deletion record: the author as JSON, then the update whose delete set it is. */
export function encodeDeletion(author: Author, update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarString(encoder, JSON.stringify(author))
  encoding.writeUint8Array(encoder, update)
  return encoding.toUint8Array(encoder)
}

export function decodeDeletion(bytes: Uint8Array): { author: Author; update: Uint8Array } {
  const decoder = decoding.createDecoder(bytes)
  const author = JSON.parse(decoding.readVarString(decoder)) as Author
  return { author, update: plain(decoding.readTailAsUint8Array(decoder)) }
}

/** A document's merged state: its clock as a varuint, then the Yjs update. */
export function encodeState(clock: number, state: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, clock)
  encoding.writeUint8Array(encoder, state)
  return encoding.toUint8Array(encoder)
}

export function decodeState(bytes: Uint8Array): { clock: number; state: Uint8Array } {
  const decoder = decoding.createDecoder(bytes)
  const clock = decoding.readVarUint(decoder)
  return { clock, state: plain(decoding.readTailAsUint8Array(decoder)) }
}

/**
 * The state vector of a document's merged state, laid out as the state (its clock, then the
 * bytes): the clock pairs it with the one state it describes, so a state written without it (by
 * an older version) is never answered with a stale vector.
 */
export const encodeStateVectorRecord = encodeState

export function decodeStateVectorRecord(bytes: Uint8Array): { clock: number; stateVector: Uint8Array } {
  const { clock, state } = decodeState(bytes)
  return { clock, stateVector: state }
}
