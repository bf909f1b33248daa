import * as encoding from 'lib0/encoding'
import * as decoding from 'lib0/decoding'

/**
 * The messages of the collaboration WebSocket. Types 0–3 are the standard y-websocket protocol
 * (y-protocols), so the stock provider works unchanged; 100 and up are Rancang extensions that
 * only Rancang clients send, and the server sends only to connections that have used them.
 * Byte layouts are described in PROTOCOL.md.
 */

export const messageSync = 0
export const messageAwareness = 1
export const messageAuth = 2
export const messageQueryAwareness = 3
/** Extension: client asks "is everything I sent so far stored?"; server echoes the number once it is. */
export const messageStored = 100
/** Extension: server reports whether storage is currently failing (so edits are not saved yet). */
export const messageStorageStatus = 101
/** Extension: server pushes a comment thread that was created or changed (JSON). */
export const messageThread = 102
/** Extension: server pushes a Pasal's agreement status that changed (JSON). */
export const messageStatus = 103

export const syncStep1 = 0
export const syncStep2 = 1
export const syncUpdate = 2

/** y-protocols auth sub-type: the write was refused. */
const authPermissionDenied = 0

export type ClientMessage =
  | { readonly type: 'syncStep1'; readonly stateVector: Uint8Array }
  | { readonly type: 'update'; readonly update: Uint8Array }
  | { readonly type: 'awareness'; readonly update: Uint8Array }
  | { readonly type: 'queryAwareness' }
  | { readonly type: 'stored'; readonly request: number }

export class ProtocolError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ProtocolError'
  }
}

/**
 * Decodes one message a client sent. Throws `ProtocolError` for anything malformed: unknown types,
 * truncated or overlong fields, trailing bytes. Never loops: every read is bounded by the input.
 */
export function decodeClientMessage(bytes: Uint8Array): ClientMessage {
  let message: ClientMessage
  const decoder = decoding.createDecoder(bytes)
  try {
    message = readClientMessage(decoder)
  } catch (error) {
    if (error instanceof ProtocolError) throw error
    throw new ProtocolError(`malformed message: ${(error as Error).message}`)
  }
  if (decoding.hasContent(decoder)) throw new ProtocolError('trailing bytes after message')
  return message
}

function readClientMessage(decoder: decoding.Decoder): ClientMessage {
  const type = decoding.readVarUint(decoder)
  switch (type) {
    case messageSync: {
      const step = decoding.readVarUint(decoder)
      switch (step) {
        case syncStep1:
          return { type: 'syncStep1', stateVector: decoding.readVarUint8Array(decoder) }
        case syncStep2:
        case syncUpdate:
          return { type: 'update', update: decoding.readVarUint8Array(decoder) }
        default:
          throw new ProtocolError(`unknown sync step ${step}`)
      }
    }
    case messageAwareness:
      return { type: 'awareness', update: decoding.readVarUint8Array(decoder) }
    case messageQueryAwareness:
      return { type: 'queryAwareness' }
    case messageStored:
      return { type: 'stored', request: decoding.readVarUint(decoder) }
    default:
      throw new ProtocolError(`unknown message type ${type}`)
  }
}

const build = (write: (encoder: encoding.Encoder) => void): Uint8Array => {
  const encoder = encoding.createEncoder()
  write(encoder)
  return encoding.toUint8Array(encoder)
}

const encodeSync = (step: number) => (payload: Uint8Array) =>
  build((e) => {
    encoding.writeVarUint(e, messageSync)
    encoding.writeVarUint(e, step)
    encoding.writeVarUint8Array(e, payload)
  })

/** Sync step 1: the sender's state vector. */
export const encodeSyncStep1 = encodeSync(syncStep1)
/** Sync step 2: the update the receiver lacks. */
export const encodeSyncStep2 = encodeSync(syncStep2)
/** An update as it happens. */
export const encodeUpdate = encodeSync(syncUpdate)

export const encodeAwareness = (update: Uint8Array) =>
  build((e) => {
    encoding.writeVarUint(e, messageAwareness)
    encoding.writeVarUint8Array(e, update)
  })

/** Reasons a write is refused, sent in the "permission denied" message. */
export const PermissionDenied = {
  /** The connection may not write (a viewer or commenter): told once, later writes are dropped. */
  readOnly: 'read-only',
  /**
   * The update would leave the document invalid for the schema (the schema firewall): nothing of
   * it is kept, nor of later updates that build on it; the client must reload the document.
   */
  invalidContent: 'invalid-content',
} as const

/** The y-protocols "permission denied" message; the stock provider logs it, Rancang shows "Baca saja". */
export const encodePermissionDenied = (reason: string) =>
  build((e) => {
    encoding.writeVarUint(e, messageAuth)
    encoding.writeVarUint(e, authPermissionDenied)
    encoding.writeVarString(e, reason)
  })

export const encodeStored = (request: number) =>
  build((e) => {
    encoding.writeVarUint(e, messageStored)
    encoding.writeVarUint(e, request)
  })

/** Storage status for Rancang clients: `saving` false means edits are being kept but not yet stored. */
export const encodeStorageStatus = (healthy: boolean) =>
  build((e) => {
    encoding.writeVarUint(e, messageStorageStatus)
    encoding.writeVarUint(e, healthy ? 1 : 0)
  })

const encodeJson = (type: number) => (value: unknown) =>
  build((e) => {
    encoding.writeVarUint(e, type)
    encoding.writeVarString(e, JSON.stringify(value))
  })

/** A changed comment thread, as JSON, for Rancang clients. */
export const encodeThread = encodeJson(messageThread)
/** A changed agreement status, as JSON, for Rancang clients. */
export const encodeStatus = encodeJson(messageStatus)
