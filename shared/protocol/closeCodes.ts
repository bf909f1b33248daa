/**
 * WebSocket close codes the server uses, by name. The 4400–4499 range mirrors HTTP 4xx: the stock
 * y-websocket provider treats it as final and stops reconnecting, which is right for a refusal that
 * a retry cannot fix. Everything else makes clients reconnect.
 */
export const CloseCode = {
  /** The server is shutting down; clients reconnect to the next instance. */
  goingAway: 1001,
  /** A text frame, where the protocol is binary. */
  unsupportedData: 1003,
  /** A frame above the configured size limit. */
  messageTooBig: 1009,
  /**
   * Another server stores this document now, or the one this connection was forwarded to went
   * away: reconnecting (to any server) reaches the current owner.
   */
  ownerMoved: 1012,
  /** Something failed on the server's side; reconnecting resynchronises. */
  internalError: 1011,
  /** Too many messages, or the client reads too slowly; reconnecting later resynchronises. */
  tryAgainLater: 1013,
  /** The token expired while connected; reconnect with a fresh one (Rancang clients refresh it). */
  tokenExpired: 4001,
  /** The account's role or details changed; reconnect to continue with the new rights. */
  accountChanged: 4002,
  /** A malformed message or an update that is not valid Yjs. */
  badRequest: 4400,
  /** Missing, invalid or expired token, or the account no longer exists. */
  unauthorized: 4401,
  /** No document with this id. */
  unknownDocument: 4404,
  /**
   * The Rancang client announced a protocol version older than the server serves (like HTTP 426
   * Upgrade Required): reconnecting cannot help, reloading the page fetches the current client.
   */
  clientOutdated: 4426,
} as const

export type CloseCodeName = keyof typeof CloseCode
