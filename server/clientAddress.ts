import type { IncomingMessage } from 'node:http'
import { BlockList, isIP } from 'node:net'

/** What a request or upgrade is asked for: the TCP peer and the headers a proxy may have set. */
export type AddressedRequest = Pick<IncomingMessage, 'headers' | 'socket'>

/** Reported when the socket has no peer address (it closed before we asked). */
const UNKNOWN = 'unknown'

/**
 * The reverse proxies named in `TRUST_PROXY`, and the one rule for the client address of a request
 * or WebSocket upgrade: every per-address limit and the audit log use `clientAddress`, never the
 * socket's peer directly. Only a trusted peer may say, in `X-Forwarded-For`, whom it forwards for;
 * from anyone else the header is ignored, so a forged one changes nothing.
 */
export class TrustedProxies {
  readonly #list = new BlockList()
  readonly #empty: boolean

  /** `entries`: IPv4/IPv6 addresses or CIDR ranges; none means no peer is trusted (the default). */
  constructor(entries: readonly string[] = []) {
    for (const entry of entries) addEntry(this.#list, entry)
    this.#empty = entries.length === 0
  }

  /** Whether `address` (an IP address; anything else is not) is one of the trusted proxies. */
  trusts(address: string): boolean {
    if (this.#empty) return false
    const ip = normaliseAddress(address)
    const family = isIP(ip)
    return family !== 0 && this.#list.check(ip, family === 4 ? 'ipv4' : 'ipv6')
  }

  /** The client address of a request or WebSocket upgrade. */
  clientAddress(request: AddressedRequest): string {
    return this.resolve(request.socket.remoteAddress, request.headers['x-forwarded-for'])
  }

  /**
   * The client address given the TCP peer and the `X-Forwarded-For` header: the right-most entry
   * that is not itself a trusted proxy, when the peer is trusted; the peer otherwise. Each trusted
   * hop appends its own peer, so everything left of the first untrusted entry (read from the right)
   * may have been written by the client and is never believed. An entry that is not an address
   * ends the walk at the trusted hop that passed it on.
   */
  resolve(peer: string | undefined, forwardedFor: string | string[] | undefined): string {
    if (peer === undefined) return UNKNOWN
    let address = normaliseAddress(peer)
    if (!this.trusts(address) || forwardedFor === undefined) return address
    const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor).split(',')
    for (let i = hops.length - 1; i >= 0; i--) {
      const hop = normaliseAddress(hops[i]!)
      if (hop === '') continue
      if (isIP(hop) === 0) return address
      address = hop
      if (!this.trusts(hop)) return address
    }
    // Every hop is a trusted proxy: the farthest one is the best we know.
    return address
  }
}

/** Reads `TRUST_PROXY` (comma-separated addresses and CIDR ranges); throws naming it when an entry is invalid. */
export function parseTrustedProxies(value: string | undefined): TrustedProxies {
  const entries = (value ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
  try {
    return new TrustedProxies(entries)
  } catch (error) {
    throw new Error(`TRUST_PROXY: ${(error as Error).message}`)
  }
}

function addEntry(list: BlockList, entry: string) {
  const [address = '', prefix, ...rest] = entry.split('/')
  const ip = normaliseAddress(address)
  const family = isIP(ip)
  if (family === 0 || rest.length > 0) throw new Error(`"${entry}" is not an IP address or CIDR range`)
  const type = family === 4 ? 'ipv4' : 'ipv6'
  if (prefix === undefined) {
    list.addAddress(ip, type)
    return
  }
  const bits = Number(prefix)
  if (!/^\d+$/.test(prefix) || bits > (family === 4 ? 32 : 128)) throw new Error(`"${entry}" has an invalid prefix length`)
  list.addSubnet(ip, bits, type)
}

/**
 * An address as it is counted and logged: trimmed, lower case, an IPv4-mapped IPv6 address as IPv4
 * (a dual-stack listener reports `::ffff:10.0.0.7`), and without the brackets and port some
 * proxies add (`[2001:db8::1]:443`, `10.0.0.7:51000`).
 */
export function normaliseAddress(raw: string): string {
  let address = raw.trim().toLowerCase()
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(address)
  if (bracketed) address = bracketed[1]!
  else if (/^[\d.]+:\d+$/.test(address)) address = address.slice(0, address.indexOf(':'))
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(address)
  return mapped ? mapped[1]! : address
}
