import { describe, expect, it } from 'vitest'
import type { IncomingMessage } from 'node:http'
import { Relay, RELAY_HEADER } from './relay.js'

const secret = new Uint8Array(32).fill(7)
const requestWith = (value: string | undefined) => ({ headers: value === undefined ? {} : { [RELAY_HEADER]: value } }) as IncomingMessage

describe('the relay header between servers (P37)', () => {
  const relay = new Relay(secret)
  const now = 1_800_000_000_000

  it('vouches for the client address it was made for, until it expires', () => {
    const header = relay.encodeHeader('2001:db8::7', now)
    expect(relay.addressOf(requestWith(header), now)).toBe('2001:db8::7')
    expect(relay.addressOf(requestWith(header), now + 31_000)).toBeNull()
  })

  it('tells a request that was not forwarded from one with a forged, altered or foreign header', () => {
    expect(relay.addressOf(requestWith(undefined), now)).toBeUndefined()
    const header = relay.encodeHeader('10.0.0.5', now)
    const [, expires, mac] = header.split(';')
    expect(relay.addressOf(requestWith(`10.0.0.6;${expires};${mac}`), now)).toBeNull()
    expect(relay.addressOf(requestWith(`10.0.0.5;${Number(expires) + 1};${mac}`), now)).toBeNull()
    expect(new Relay(new Uint8Array(32).fill(8)).addressOf(requestWith(header), now)).toBeNull()
    expect(relay.addressOf(requestWith('garbage'), now)).toBeNull()
    expect(relay.addressOf(requestWith(`${header};more`), now)).toBeNull()
  })
})
