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
