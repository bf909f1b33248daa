/**
 * One message to send: whole, or in parts that go out back to back as one message (a draft's state
 * after its sync prefix, not copied into a message of its own; see `syncStep2Parts`).
 */
export type Outgoing = Uint8Array | readonly Uint8Array[]

/** A message's length in bytes, whole or in parts. */
export const byteLengthOf = (message: Outgoing): number =>
  message instanceof Uint8Array ? message.byteLength : message.reduce((sum, part) => sum + part.byteLength, 0)

/** A message as one array: itself when it is whole, its parts copied together otherwise. */
export function wholeMessage(message: Outgoing): Uint8Array {
  if (message instanceof Uint8Array) return message
  const whole = new Uint8Array(byteLengthOf(message))
  let at = 0
  for (const part of message) {
    whole.set(part, at)
    at += part.byteLength
  }
  return whole
}

/**
 * What rooms need of a client connection. The WebSocket transport adapts `ws` to it; room tests use
 * an in-memory pair. Rooms never see `ws` itself.
 */
export interface SocketLike {
  send(message: Outgoing): void
  close(code: number, reason: string): void
  /** Bytes queued for sending but not yet written to the network. */
  readonly bufferedAmount: number
}

/** What the transport delivers to an admitted connection. */
export interface SocketSession {
  message(bytes: Uint8Array): void
  closed(): void
}

/**
 * A connection turned away before it joined (no valid token, no such document): the transport
 * closes the socket with `code` and the reason, before any document byte is sent.
 */
export class ConnectionRejection extends Error {
  constructor(
    readonly code: number,
    reason: string,
  ) {
    super(reason)
    this.name = 'ConnectionRejection'
  }
}
