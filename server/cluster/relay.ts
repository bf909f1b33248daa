import { createHmac, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'

/**
 * The header a server puts on a WebSocket or HTTP request it forwards to a document's owner: the
 * client's address, an expiry and an HMAC over both with the token-signing secret all servers of
 * one database share. The owner takes the client address from it (for limits, the audit log and
 * the logs) and never forwards such a request again. Identity is not in it: the client's own token
 * travels on and the owner verifies it itself. THREAT_MODEL P37.
 */
export const RELAY_HEADER = 'x-rancang-relay'
/** Long enough for a request to reach a server on the same network, short enough that a leaked header is soon useless. */
const RELAY_LIFETIME_MS = 30_000
const LABEL = 'rancang-relay'

export class Relay {
  readonly #secret: Uint8Array

  constructor(secret: Uint8Array) {
    this.#secret = secret
  }

  /** The header value vouching that this server forwards a request from `address`. */
  encodeHeader(address: string, now = Date.now()): string {
    const expires = String(now + RELAY_LIFETIME_MS)
    return `${encodeURIComponent(address)};${expires};${this.#mac(address, expires)}`
  }

  /**
   * The client address a forwarded request vouches for; undefined when the request was not
   * forwarded; null when its header is forged, altered or expired (the request is refused).
   */
  addressOf(request: IncomingMessage, now = Date.now()): string | null | undefined {
    const value = request.headers[RELAY_HEADER]
    if (value === undefined) return undefined
    if (typeof value !== 'string') return null
    const [encoded, expires, mac, ...rest] = value.split(';')
    if (encoded === undefined || expires === undefined || mac === undefined || rest.length > 0) return null
    let address: string
    try {
      address = decodeURIComponent(encoded)
    } catch {
      return null
    }
    const until = Number(expires)
    if (!Number.isSafeInteger(until) || until < now || until > now + RELAY_LIFETIME_MS) return null
    const expected = Buffer.from(this.#mac(address, expires))
    const given = Buffer.from(mac)
    return given.length === expected.length && timingSafeEqual(given, expected) ? address : null
  }

  #mac(address: string, expires: string): string {
    return createHmac('sha256', this.#secret).update(`${LABEL}\n${address}\n${expires}`).digest('base64url')
  }
}
