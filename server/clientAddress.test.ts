import { describe, expect, it } from 'vitest'
import { normaliseAddress, parseTrustedProxies, TrustedProxies } from './clientAddress.js'

/** THREAT_MODEL.md P24: the client address behind a reverse proxy, and forged headers. */
describe('TrustedProxies', () => {
  const proxies = parseTrustedProxies('127.0.0.1, 10.0.0.0/8, fd00::/8, ::1')

  it('trusts exactly the listed addresses and ranges, IPv4 and IPv6', () => {
    for (const address of ['127.0.0.1', '10.0.0.1', '10.255.255.255', 'fd12:3456::1', '::1', '::ffff:127.0.0.1', '0:0:0:0:0:0:0:1'])
      expect(proxies.trusts(address), address).toBe(true)
    for (const address of ['127.0.0.2', '11.0.0.1', '192.168.1.10', 'fe80::1', '2001:db8::1', 'unknown', ''])
      expect(proxies.trusts(address), address).toBe(false)
  })

  it('trusts nobody when TRUST_PROXY is unset or empty, so the header is always ignored', () => {
    for (const none of [parseTrustedProxies(undefined), parseTrustedProxies(''), parseTrustedProxies(' , ')]) {
      expect(none.trusts('127.0.0.1')).toBe(false)
      expect(none.resolve('127.0.0.1', '203.0.113.9')).toBe('127.0.0.1')
    }
  })

  it('takes the client from X-Forwarded-For only when the peer is a trusted proxy', () => {
    expect(proxies.resolve('127.0.0.1', '203.0.113.9')).toBe('203.0.113.9')
    expect(proxies.resolve('192.168.1.10', '203.0.113.9'), 'an untrusted peer forging the header').toBe('192.168.1.10')
    expect(proxies.resolve('127.0.0.1', undefined), 'a trusted peer sending no header').toBe('127.0.0.1')
  })

  it('takes the right-most entry that is not a trusted proxy: entries a client wrote further left are never believed', () => {
    // The client sent "X-Forwarded-For: 1.2.3.4" itself; nginx appended the real peer.
    expect(proxies.resolve('127.0.0.1', '1.2.3.4, 198.51.100.7')).toBe('198.51.100.7')
    // Two trusted hops (an internal load balancer, then nginx on the same machine).
    expect(proxies.resolve('127.0.0.1', '1.2.3.4, 198.51.100.7, 10.1.2.3')).toBe('198.51.100.7')
    expect(proxies.resolve('127.0.0.1', ['1.2.3.4', '198.51.100.7, 10.1.2.3']), 'the header sent twice').toBe('198.51.100.7')
    expect(proxies.resolve('::1', '2001:DB8::7')).toBe('2001:db8::7')
  })

  it('falls back to the farthest trusted hop when every entry is a proxy, and stops at an entry that is no address', () => {
    expect(proxies.resolve('127.0.0.1', '10.0.0.5, 10.0.0.6')).toBe('10.0.0.5')
    expect(proxies.resolve('127.0.0.1', '198.51.100.7, unknown, 10.0.0.6')).toBe('10.0.0.6')
    expect(proxies.resolve('127.0.0.1', '<script>')).toBe('127.0.0.1')
    expect(proxies.resolve('127.0.0.1', ' , ')).toBe('127.0.0.1')
  })

  it('counts one client once however its address is written', () => {
    expect(proxies.resolve('::ffff:192.168.1.10', undefined)).toBe('192.168.1.10')
    expect(proxies.resolve('::ffff:127.0.0.1', '[2001:db8::7]:443')).toBe('2001:db8::7')
    expect(proxies.resolve('127.0.0.1', '198.51.100.7:51000')).toBe('198.51.100.7')
    expect(normaliseAddress(' 2001:DB8::A ')).toBe('2001:db8::a')
    expect(new TrustedProxies().resolve(undefined, '1.2.3.4')).toBe('unknown')
  })

  it('reads a request: the socket peer and its X-Forwarded-For header', () => {
    const request = (remoteAddress: string, forwarded?: string) =>
      ({ socket: { remoteAddress }, headers: forwarded ? { 'x-forwarded-for': forwarded } : {} }) as Parameters<TrustedProxies['clientAddress']>[0]
    expect(proxies.clientAddress(request('127.0.0.1', '198.51.100.7'))).toBe('198.51.100.7')
    expect(proxies.clientAddress(request('127.0.0.2', '198.51.100.7'))).toBe('127.0.0.2')
  })

  it('refuses an invalid TRUST_PROXY with a message naming it', () => {
    for (const bad of ['localhost', '10.0.0.0/33', '::/129', '10.0.0.0/8/8', '10.0.0.0/x', '300.1.1.1'])
      expect(() => parseTrustedProxies(bad), bad).toThrow(/^TRUST_PROXY: /)
  })
})
