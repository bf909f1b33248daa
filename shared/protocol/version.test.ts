import { describe, expect, it } from 'vitest'
import { MIN_CLIENT_VERSION, PROTOCOL_VERSION, checkClientVersion } from './version.js'

describe('protocol version', () => {
  it('serves the version this build speaks', () => {
    expect(PROTOCOL_VERSION).toBeGreaterThanOrEqual(MIN_CLIENT_VERSION)
    expect(checkClientVersion(String(PROTOCOL_VERSION))).toBe('supported')
  })

  it('treats a client without a version as a stock y-websocket client', () => {
    expect(checkClientVersion(null)).toBe('stock')
  })

  it('calls a version below the minimum outdated, and the minimum and later supported', () => {
    expect(checkClientVersion('2', 3)).toBe('outdated')
    expect(checkClientVersion('0', 1)).toBe('outdated')
    expect(checkClientVersion('3', 3)).toBe('supported')
    expect(checkClientVersion('4', 3)).toBe('supported')
  })

  it('calls anything but a short decimal number malformed', () => {
    for (const param of ['', 'x', '-1', '1.0', '1e3', ' 1', '9999999', '0x1']) expect(checkClientVersion(param), param).toBe('malformed')
  })
})
