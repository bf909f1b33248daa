import { describe, expect, it } from 'vitest'
import { CloseCode } from '../../../../shared/protocol/closeCodes.js'
import { failureOf } from './connectionFailure.js'

describe('connection failures', () => {
  it('asks for a reload when the server says this client is outdated', () => {
    expect(failureOf(CloseCode.clientOutdated)).toBe('outdated')
  })

  it('names the other final refusals', () => {
    expect(failureOf(CloseCode.unknownDocument)).toBe('unknown-document')
    expect(failureOf(CloseCode.unauthorized)).toBe('unauthorized')
  })

  it('leaves closes the provider recovers from by reconnecting alone', () => {
    for (const code of [
      CloseCode.goingAway,
      CloseCode.internalError,
      CloseCode.tryAgainLater,
      CloseCode.tokenExpired,
      CloseCode.accountChanged,
      1006,
    ]) {
      expect(failureOf(code), String(code)).toBeNull()
    }
  })
})
