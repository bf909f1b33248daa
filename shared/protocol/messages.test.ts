import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import * as encoding from 'lib0/encoding'
import * as syncProtocol from 'y-protocols/sync'
import {
  ProtocolError,
  decodeClientMessage,
  encodeAwareness,
  encodeStored,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeUpdate,
  messageQueryAwareness,
} from './messages.js'

const bytes = (...values: number[]) => new Uint8Array(values)

describe('collaboration messages', () => {
  it('decodes what the stock y-protocols encoder writes', () => {
    const doc = new Y.Doc()
    doc.getText('t').insert(0, 'halo')
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, 0)
    syncProtocol.writeSyncStep1(encoder, doc)
    expect(decodeClientMessage(encoding.toUint8Array(encoder))).toEqual({ type: 'syncStep1', stateVector: Y.encodeStateVector(doc) })
    const update = Y.encodeStateAsUpdate(doc)
    expect(decodeClientMessage(encodeUpdate(update))).toEqual({ type: 'update', update })
    expect(decodeClientMessage(encodeSyncStep2(update))).toEqual({ type: 'update', update })
  })

  it('round-trips the server encoders and the Rancang extension', () => {
    const sv = bytes(1, 2, 3)
    expect(decodeClientMessage(encodeSyncStep1(sv))).toEqual({ type: 'syncStep1', stateVector: sv })
    expect(decodeClientMessage(encodeAwareness(bytes(0)))).toEqual({ type: 'awareness', update: bytes(0) })
    expect(decodeClientMessage(bytes(messageQueryAwareness))).toEqual({ type: 'queryAwareness' })
    expect(decodeClientMessage(encodeStored(300))).toEqual({ type: 'stored', request: 300 })
  })

  it('refuses malformed input with a ProtocolError and never reads past the end', () => {
    const cases: Uint8Array[] = [
      bytes(), // empty
      bytes(7), // unknown type
      bytes(0, 9, 0), // unknown sync step
      bytes(0, 2, 5, 1, 2), // length prefix beyond the end
      bytes(0, 2, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f), // overlong varint length
      bytes(0xc8, 0xc8, 0xc8, 0xc8), // lib0 #42: varuint that never ends
      bytes(1, 1, 0, 9), // trailing bytes
      bytes(100), // stored without its number
    ]
    for (const input of cases) expect(() => decodeClientMessage(input), `input ${[...input]}`).toThrow(ProtocolError)
  })
})
