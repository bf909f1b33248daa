/**
 * What rooms need of a client connection. The WebSocket transport adapts `ws` to it; room tests use
 * an in-memory pair. Rooms never see `ws` itself.
 */
export interface SocketLike {
  send(message: Uint8Array): void
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
