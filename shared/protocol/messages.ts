import * as encoding from 'lib0/encoding'
import * as decoding from 'lib0/decoding'
import type { Thread } from '../comments.js'
import type { StatusRecord } from '../agreement.js'
import type { Suggestion } from '../suggestions.js'
import type { RestoreNotice } from '../versions.js'
import { MetaError, decodeMeta, isJenis, type DraftMeta } from '../documents.js'

/**
 * The messages of the collaboration WebSocket. Types 0–3 are the standard y-websocket protocol
 * (y-protocols), so the stock provider works unchanged; 100 and up are Rancang extensions that
 * only Rancang clients send, and the server sends only to connections that have used them.
 * Byte layouts are described in PROTOCOL.md.
 *
 * Every message either side sends has an `encodeX` here and is read back by `decodeClientMessage`
 * (what the server receives) or `decodeServerMessage` (what a client receives). The `readX`
 * functions read one extension's payload after its type, for the provider's message handlers.
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
/** Extension: server pushes a suggestion that was created or changed (JSON). */
export const messageSuggestion = 104
/** Extension: server pushes the draft's metadata after it changed (JSON). */
export const messageDraftMeta = 105
/** Extension: server tells who restored which version, right after the restored text was relayed (JSON). */
export const messageRestored = 106

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

export type ServerMessage =
  | { readonly type: 'syncStep1'; readonly stateVector: Uint8Array }
  | { readonly type: 'syncStep2'; readonly update: Uint8Array }
  | { readonly type: 'update'; readonly update: Uint8Array }
  | { readonly type: 'awareness'; readonly update: Uint8Array }
  | { readonly type: 'permissionDenied'; readonly reason: string }
  | { readonly type: 'stored'; readonly request: number }
  | { readonly type: 'storageStatus'; readonly healthy: boolean }
  | { readonly type: 'thread'; readonly thread: Thread }
  | { readonly type: 'status'; readonly record: StatusRecord }
  | { readonly type: 'suggestion'; readonly suggestion: Suggestion }
  | { readonly type: 'draftMeta'; readonly meta: DraftMeta }
  | { readonly type: 'restored'; readonly notice: RestoreNotice }

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
export const decodeClientMessage = (bytes: Uint8Array): ClientMessage => decodeWhole(bytes, readClientMessage)

/** Decodes one message the server sent; throws `ProtocolError` like `decodeClientMessage`. */
export const decodeServerMessage = (bytes: Uint8Array): ServerMessage => decodeWhole(bytes, readServerMessage)

function decodeWhole<T>(bytes: Uint8Array, read: (decoder: decoding.Decoder) => T): T {
  let message: T
  const decoder = decoding.createDecoder(bytes)
  try {
    message = read(decoder)
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
      return { type: 'stored', request: readStored(decoder) }
    default:
      throw new ProtocolError(`unknown message type ${type}`)
  }
}

function readServerMessage(decoder: decoding.Decoder): ServerMessage {
  const type = decoding.readVarUint(decoder)
  switch (type) {
    case messageSync: {
      const step = decoding.readVarUint(decoder)
      const payload = decoding.readVarUint8Array(decoder)
      switch (step) {
        case syncStep1:
          return { type: 'syncStep1', stateVector: payload }
        case syncStep2:
          return { type: 'syncStep2', update: payload }
        case syncUpdate:
          return { type: 'update', update: payload }
        default:
          throw new ProtocolError(`unknown sync step ${step}`)
      }
    }
    case messageAwareness:
      return { type: 'awareness', update: decoding.readVarUint8Array(decoder) }
    case messageAuth:
      return { type: 'permissionDenied', reason: readPermissionDenied(decoder) }
    case messageStored:
      return { type: 'stored', request: readStored(decoder) }
    case messageStorageStatus:
      return { type: 'storageStatus', healthy: readStorageStatus(decoder) }
    case messageThread:
      return { type: 'thread', thread: readThread(decoder) }
    case messageStatus:
      return { type: 'status', record: readStatus(decoder) }
    case messageSuggestion:
      return { type: 'suggestion', suggestion: readSuggestion(decoder) }
    case messageDraftMeta:
      return { type: 'draftMeta', meta: readDraftMeta(decoder) }
    case messageRestored:
      return { type: 'restored', notice: readRestored(decoder) }
    default:
      throw new ProtocolError(`unknown message type ${type}`)
  }
}

/** Payload of `stored` (100): the request number. */
export const readStored = (decoder: decoding.Decoder): number => decoding.readVarUint(decoder)

/** Payload of `storage status` (101): whether storage works. */
export function readStorageStatus(decoder: decoding.Decoder): boolean {
  const healthy = decoding.readVarUint(decoder)
  if (healthy > 1) throw new ProtocolError(`storage status ${healthy} is neither 0 nor 1`)
  return healthy === 1
}

/** Payload of the y-protocols `auth` message (2): the reason a write was refused. */
export function readPermissionDenied(decoder: decoding.Decoder): string {
  const kind = decoding.readVarUint(decoder)
  if (kind !== authPermissionDenied) throw new ProtocolError(`unknown auth message ${kind}`)
  return decoding.readVarString(decoder)
}

function readJsonObject(decoder: decoding.Decoder): unknown {
  let value: unknown
  try {
    value = JSON.parse(decoding.readVarString(decoder))
  } catch (error) {
    throw new ProtocolError(`extension payload is not JSON: ${(error as Error).message}`)
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ProtocolError('extension payload is not a JSON object')
  return value
}

/** Payload of `thread` (102): the thread as JSON. The server is the only writer of threads. */
export const readThread = (decoder: decoding.Decoder): Thread => readJsonObject(decoder) as Thread

/** Payload of `status` (103): a Pasal's agreement status as JSON. */
export const readStatus = (decoder: decoding.Decoder): StatusRecord => readJsonObject(decoder) as StatusRecord

/** Payload of `suggestion` (104): the suggestion as JSON. The server is the only writer of suggestions. */
export const readSuggestion = (decoder: decoding.Decoder): Suggestion => readJsonObject(decoder) as Suggestion

/** Payload of `draft meta` (105): the metadata as JSON, checked as the API checks it. */
export function readDraftMeta(decoder: decoding.Decoder): DraftMeta {
  const value = readJsonObject(decoder) as Record<string, unknown>
  try {
    if (!isJenis(value.jenis)) throw new MetaError('jenis', 'meta.jenis is missing')
    return decodeMeta(value)
  } catch (error) {
    throw new ProtocolError(`draft metadata is not valid: ${(error as Error).message}`)
  }
}

const isText = (value: unknown): value is string => typeof value === 'string'

/** Payload of `restored` (106): who restored which version; the fields a notice names are checked. */
export function readRestored(decoder: decoding.Decoder): RestoreNotice {
  const value = readJsonObject(decoder) as Partial<Record<keyof RestoreNotice, Record<string, unknown>>> & { at?: unknown }
  const { version, before, by } = value
  for (const named of [version, before])
    if (!named || !isText(named.id) || !isText(named.name) || !isText(named.createdAt)) throw new ProtocolError('restore notice names no version')
  if (!by || !isText(by.name) || !isText(by.bidang) || !isText(value.at)) throw new ProtocolError('restore notice names nobody')
  return value as unknown as RestoreNotice
}

const build = (write: (encoder: encoding.Encoder) => void): Uint8Array => {
  const encoder = encoding.createEncoder()
  write(encoder)
  return encoding.toUint8Array(encoder)
}

/** What comes before a sync message's payload of `length` bytes: the two tags and the length. */
const syncPrefix = (step: number, length: number) =>
  build((e) => {
    encoding.writeVarUint(e, messageSync)
    encoding.writeVarUint(e, step)
    encoding.writeVarUint(e, length)
  })

/**
 * The same bytes as `writeVarUint8Array` after the two tags, in one allocation and one copy: a
 * whole draft's state is hundreds of kilobytes, which lib0's encoder copies twice (into a chunk of
 * its own, then into the result).
 */
const encodeSync = (step: number) => (payload: Uint8Array) => {
  const prefix = syncPrefix(step, payload.byteLength)
  const message = new Uint8Array(prefix.byteLength + payload.byteLength)
  message.set(prefix)
  message.set(payload, prefix.byteLength)
  return message
}

/** Sync step 1: the sender's state vector. */
export const encodeSyncStep1 = encodeSync(syncStep1)
/** Sync step 2: the update the receiver lacks. */
export const encodeSyncStep2 = encodeSync(syncStep2)
/**
 * Sync step 2 as two parts, its prefix and `payload` itself, whose concatenation is
 * `encodeSyncStep2(payload)`: for a sender that can write one message in parts, so a draft's state
 * is not copied into a message of its own (fresh memory costs about 3 ms per megabyte on a virtual
 * machine whose page faults are slow, and the copy is only ever read once, by the socket).
 */
export const syncStep2Parts = (payload: Uint8Array): readonly [Uint8Array, Uint8Array] => [syncPrefix(syncStep2, payload.byteLength), payload]
/** An update as it happens. */
export const encodeUpdate = encodeSync(syncUpdate)

/** An awareness update (y-protocols; see `shared/protocol/awareness.ts` for its entries). */
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

/** Asks for all awareness states (the stock provider never sends it; other clients may). */
export const encodeQueryAwareness = () => build((e) => encoding.writeVarUint(e, messageQueryAwareness))

/** Client: "tell me when everything I sent before this is stored"; server: the answer. */
export const encodeStored = (request: number) =>
  build((e) => {
    encoding.writeVarUint(e, messageStored)
    encoding.writeVarUint(e, request)
  })

/** Storage status for Rancang clients: `healthy` false means edits are being kept but not yet stored. */
export const encodeStorageStatus = (healthy: boolean) =>
  build((e) => {
    encoding.writeVarUint(e, messageStorageStatus)
    encoding.writeVarUint(e, healthy ? 1 : 0)
  })

const encodeJson =
  <T>(type: number) =>
  (value: T) =>
    build((e) => {
      encoding.writeVarUint(e, type)
      encoding.writeVarString(e, JSON.stringify(value))
    })

/** A changed comment thread, as JSON, for Rancang clients. */
export const encodeThread = encodeJson<Thread>(messageThread)
/** A changed agreement status, as JSON, for Rancang clients. */
export const encodeStatus = encodeJson<StatusRecord>(messageStatus)
/** A changed suggestion, as JSON, for Rancang clients. */
export const encodeSuggestion = encodeJson<Suggestion>(messageSuggestion)
/** A draft's changed metadata, as JSON, for Rancang clients. */
export const encodeDraftMeta = encodeJson<DraftMeta>(messageDraftMeta)
/** Who restored which version, as JSON, for Rancang clients. */
export const encodeRestored = encodeJson<RestoreNotice>(messageRestored)
