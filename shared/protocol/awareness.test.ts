import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness'
import { ProtocolError } from './messages.js'
import { REMOVED_STATE, decodeAwarenessEntries, encodeAwarenessEntries } from './awareness.js'

const bytes = (...values: number[]) => new Uint8Array(values)

describe('awareness codec', () => {
  it('round-trips entries, removals included', () => {
    const entries = [
      { clientId: 0xffff_ffff, clock: 0, state: '{"cursor":null}' },
      { clientId: 7, clock: 2 ** 40, state: REMOVED_STATE },
      { clientId: 8, clock: 3, state: '{"user":{"name":"Sari · Bidang APTIKA"}}' },
    ]
    expect(decodeAwarenessEntries(encodeAwarenessEntries(entries))).toEqual(entries)
    expect(decodeAwarenessEntries(encodeAwarenessEntries([]))).toEqual([])
  })

  it('decodes what y-protocols encodes, byte for byte the same when re-encoded', () => {
    const awareness = new Awareness(new Y.Doc())
    awareness.setLocalState({ user: { name: 'Sari' }, cursor: null })
    const update = encodeAwarenessUpdate(awareness, [awareness.clientID])
    const entries = decodeAwarenessEntries(update)
    expect(entries).toEqual([{ clientId: awareness.clientID, clock: 1, state: '{"user":{"name":"Sari"},"cursor":null}' }])
    expect(encodeAwarenessEntries(entries)).toEqual(update)
  })

  it('refuses truncated, overlong and trailing input with a ProtocolError', () => {
    const cases = [
      bytes(), // no count
      bytes(2, 1, 1, 2, 0x7b, 0x7d), // count 2, one entry
      bytes(1, 1, 1, 9, 0x7b), // string length beyond the end
      bytes(1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f, 1, 0), // overlong client id
      bytes(0, 0), // trailing byte
      bytes(0xc8, 0xc8, 0xc8, 0xc8), // a count that never ends
    ]
    for (const input of cases) expect(() => decodeAwarenessEntries(input), `input ${[...input]}`).toThrow(ProtocolError)
  })
})
