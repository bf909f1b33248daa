import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import * as encoding from 'lib0/encoding'
import * as syncProtocol from 'y-protocols/sync'
import * as decoding from 'lib0/decoding'
import {
  ProtocolError,
  decodeClientMessage,
  decodeServerMessage,
  encodeAwareness,
  encodePermissionDenied,
  encodeQueryAwareness,
  encodeStatus,
  encodeStorageStatus,
  encodeStored,
  encodeSuggestion,
  encodeDraftMeta,
  encodeRestored,
  messageDraftMeta,
  messageRestored,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeThread,
  encodeUpdate,
  messageThread,
  readThread,
} from './messages.js'
import type { Thread } from '../comments.js'
import type { StatusRecord } from '../agreement.js'
import type { Suggestion } from '../suggestions.js'
import { DEFAULT_META } from '../documents.js'

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
    expect(decodeClientMessage(encodeQueryAwareness())).toEqual({ type: 'queryAwareness' })
    expect(decodeClientMessage(encodeStored(300))).toEqual({ type: 'stored', request: 300 })
  })

  it('round-trips every message the server sends', () => {
    const sv = bytes(1, 2, 3)
    const update = bytes(0, 0)
    const thread = {
      id: 't1',
      docId: 'rapergub-spbe',
      anchor: { pasalId: 'p1' },
      origin: { pasalLabel: 'Pasal 7', quote: 'Perangkat Daerah' },
      status: 'open',
      createdAt: '2025-01-01T00:00:00.000Z',
      updatedAt: '2025-01-01T00:00:00.000Z',
      messages: [
        {
          id: 'm1',
          author: { username: 'sari', name: 'Sari', bidang: 'Biro Hukum' },
          text: 'Mohon "ditinjau" — ✓',
          createdAt: '2025-01-01T00:00:00.000Z',
        },
      ],
    } satisfies Thread
    const record = {
      docId: 'rapergub-spbe',
      pasalId: 'p1',
      status: 'disepakati',
      history: [{ status: 'disepakati', by: { username: 'sari', name: 'Sari', bidang: 'Biro Hukum' }, at: '2025-01-01T00:00:00.000Z' }],
    } satisfies StatusRecord
    const suggestion = {
      id: 's1',
      docId: 'rapergub-spbe',
      kind: 'text',
      anchor: { pasalId: 'p7', range: { from: 'AQID', to: 'AQIE', quote: 'dapat' } },
      insert: 'wajib',
      note: 'Selaras dengan Pasal 3.',
      status: 'open',
      author: { id: 'a-dewi', username: 'dewi', name: 'Dewi Lestari', bidang: 'Biro Hukum' },
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
      origin: { pasalLabel: 'Pasal 7' },
      replies: [],
    } satisfies Suggestion
    expect(decodeServerMessage(encodeSyncStep1(sv))).toEqual({ type: 'syncStep1', stateVector: sv })
    expect(decodeServerMessage(encodeSyncStep2(update))).toEqual({ type: 'syncStep2', update })
    expect(decodeServerMessage(encodeUpdate(update))).toEqual({ type: 'update', update })
    expect(decodeServerMessage(encodeAwareness(bytes(0)))).toEqual({ type: 'awareness', update: bytes(0) })
    expect(decodeServerMessage(encodePermissionDenied('read-only'))).toEqual({ type: 'permissionDenied', reason: 'read-only' })
    expect(decodeServerMessage(encodeStored(2 ** 31))).toEqual({ type: 'stored', request: 2 ** 31 })
    expect(decodeServerMessage(encodeStorageStatus(true))).toEqual({ type: 'storageStatus', healthy: true })
    expect(decodeServerMessage(encodeStorageStatus(false))).toEqual({ type: 'storageStatus', healthy: false })
    expect(decodeServerMessage(encodeThread(thread))).toEqual({ type: 'thread', thread })
    expect(decodeServerMessage(encodeStatus(record))).toEqual({ type: 'status', record })
    expect(decodeServerMessage(encodeSuggestion(suggestion))).toEqual({ type: 'suggestion', suggestion })
    const meta = {
      jenis: 'perbup',
      daerah: 'Kutai Kartanegara',
      pejabat: 'Bupati Kutai Kartanegara',
      tempat: 'Tenggarong',
      nomor: '12',
      tahun: 2026,
    } as const
    expect(decodeServerMessage(encodeDraftMeta(meta))).toEqual({ type: 'draftMeta', meta })
    const notice = {
      docId: 'rapergub-spbe',
      version: { id: 'v1', name: 'Sebelum rapat "pleno"', createdAt: '2026-01-01T00:00:00.000Z', auto: false },
      before: { id: 'v2', name: 'Sebelum pemulihan ke "Sebelum rapat"', createdAt: '2026-01-02T00:00:00.000Z', auto: true },
      by: { username: 'sari', name: 'Sari', bidang: 'Biro Hukum' },
      at: '2026-01-02T00:00:00.000Z',
    }
    expect(decodeServerMessage(encodeRestored(notice))).toEqual({ type: 'restored', notice })
  })

  it('refuses a restore notice that does not name the version or who restored it', () => {
    const json = (value: unknown) => {
      const encoder = encoding.createEncoder()
      encoding.writeVarUint(encoder, messageRestored)
      encoding.writeVarString(encoder, JSON.stringify(value))
      return encoding.toUint8Array(encoder)
    }
    const version = { id: 'v1', name: 'Pleno', createdAt: '2026-01-01T00:00:00.000Z', auto: false }
    const before = { ...version, id: 'v2', auto: true }
    const by = { username: 'sari', name: 'Sari', bidang: 'Biro Hukum' }
    const at = '2026-01-02T00:00:00.000Z'
    expect(() => decodeServerMessage(json({ docId: 'd', before, by, at }))).toThrow(ProtocolError)
    expect(() => decodeServerMessage(json({ docId: 'd', version: { ...version, name: 7 }, before, by, at }))).toThrow(ProtocolError)
    expect(() => decodeServerMessage(json({ docId: 'd', version, by, at }))).toThrow(ProtocolError)
    expect(() => decodeServerMessage(json({ docId: 'd', version, before, at }))).toThrow(ProtocolError)
    expect(() => decodeServerMessage(json({ docId: 'd', version, before, by }))).toThrow(ProtocolError)
    const notice = { docId: 'd', version, before, by, at }
    expect(decodeServerMessage(json(notice))).toEqual({ type: 'restored', notice })
  })

  it('refuses draft metadata that the API would refuse', () => {
    const json = (value: unknown) => {
      const encoder = encoding.createEncoder()
      encoding.writeVarUint(encoder, messageDraftMeta)
      encoding.writeVarString(encoder, JSON.stringify(value))
      return encoding.toUint8Array(encoder)
    }
    expect(() => decodeServerMessage(json({ jenis: 'perpres', daerah: 'X' }))).toThrow(ProtocolError)
    expect(() => decodeServerMessage(json({ daerah: 'X' }))).toThrow(ProtocolError)
    expect(() => decodeServerMessage(json({ jenis: 'perwali', daerah: 'Samarinda', tahun: 99999 }))).toThrow(ProtocolError)
    expect(decodeServerMessage(json({ ...DEFAULT_META }))).toEqual({ type: 'draftMeta', meta: DEFAULT_META })
  })

  it('reads an extension payload after its type, as the provider hands it to a message handler', () => {
    const thread = { id: 't2' } as unknown as Thread
    const decoder = decoding.createDecoder(encodeThread(thread))
    expect(decoding.readVarUint(decoder)).toBe(messageThread)
    expect(readThread(decoder)).toEqual(thread)
    expect(decoding.hasContent(decoder)).toBe(false)
  })

  it('refuses malformed server messages with a ProtocolError', () => {
    const cases: Uint8Array[] = [
      bytes(101, 2), // storage status neither 0 nor 1
      bytes(2, 1, 0), // unknown auth sub-type
      bytes(102, 3, 0x7b, 0x7b, 0x7b), // thread that is not JSON
      bytes(103, 2, 0x5b, 0x5d), // status that is an array
      bytes(104), // unknown type
      bytes(3), // query awareness: the server never sends it
      bytes(0, 3, 0), // unknown sync step
    ]
    for (const input of cases) expect(() => decodeServerMessage(input), `input ${[...input]}`).toThrow(ProtocolError)
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
