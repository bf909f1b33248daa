import { describe, expect, it } from 'vitest'
import { decodeRevocation, encodeRevocation } from './revocationFeed.js'

describe('revocation notifications', () => {
  it('a revocation survives encoding into a NOTIFY payload and decoding', () => {
    const revocation = { tokenId: 'Zm9vYmFyYmF6cXV4', expiresAt: 1_800_000_000 }
    expect(decodeRevocation(encodeRevocation(revocation))).toEqual(revocation)
  })

  it('a malformed payload decodes to nothing rather than a revocation of something else', () => {
    for (const payload of [undefined, '', 'not json', 'null', '"x"', '{"tokenId":1,"expiresAt":2}', '{"tokenId":"a"}', '[]']) {
      expect(decodeRevocation(payload), String(payload)).toBeNull()
    }
  })
})
