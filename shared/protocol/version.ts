/**
 * The Rancang protocol version. A Rancang client announces the version it speaks in the
 * collaboration URL (`?v=<n>`); the server refuses one older than `MIN_CLIENT_VERSION` with
 * `CloseCode.clientOutdated`, so a browser still running yesterday's bundle is asked to reload
 * instead of misreading today's messages. A client that announces nothing is a stock or
 * independent y-websocket client: it speaks only the standard messages and is served as such.
 */

/** The version this build speaks. Raise it with every change to the extension messages. */
export const PROTOCOL_VERSION = 3

/**
 * The oldest client version the server still serves. Raise it when old clients would misbehave.
 * 2: drafts no longer hold the kind, jabatan and Menetapkan as text (they are drawn from the
 * metadata), which version 1 bundles would show as missing.
 */
export const MIN_CLIENT_VERSION = 2

/** The query parameter of the collaboration URL that carries the client's version. */
export const VERSION_PARAM = 'v'

/** What the server makes of the announced version. */
export type ClientVersionCheck = 'stock' | 'supported' | 'outdated' | 'malformed'

/** Judges the `v` parameter of a collaboration URL (null when absent). */
export function checkClientVersion(param: string | null, minimum = MIN_CLIENT_VERSION): ClientVersionCheck {
  if (param === null) return 'stock'
  if (!/^[0-9]{1,6}$/.test(param)) return 'malformed'
  return Number(param) < minimum ? 'outdated' : 'supported'
}
