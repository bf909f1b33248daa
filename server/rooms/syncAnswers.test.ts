import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import * as decoding from 'lib0/decoding'
import { messageSync, syncStep2 } from '../../shared/protocol/messages.js'
import { SyncAnswers } from './syncAnswers.js'

/** The update inside a sync step 2 message. */
function updateOf(message: Uint8Array): Uint8Array {
  const decoder = decoding.createDecoder(message)
  expect([decoding.readVarUint(decoder), decoding.readVarUint(decoder)]).toEqual([messageSync, syncStep2])
  return decoding.readVarUint8Array(decoder)
}

function server() {
  const doc = new Y.Doc()
  doc.getText('teks').insert(0, 'Pasal 1 berbunyi.')
  let encodings = 0
  let version = 1
  const answers = new SyncAnswers(() => {
    encodings += 1
    return Y.encodeStateAsUpdate(doc)
  }, version)
  return {
    doc,
    answers,
    encodings: () => encodings,
    version: () => version,
    edit(text: string) {
      doc.getText('teks').insert(0, text)
      version += 1
    },
  }
}

describe('SyncAnswers', () => {
  it('brings a client that is behind up to the stored state, from one encoding for any number of asks', () => {
    const s = server()
    const client = new Y.Doc()
    Y.applyUpdate(client, updateOf(s.answers.answer(s.version(), Y.encodeStateVector(client))))
    s.edit('Baru: ')
    const behind = Y.encodeStateVector(client)
    for (let i = 0; i < 50; i++) s.answers.answer(s.version(), behind)
    Y.applyUpdate(client, updateOf(s.answers.answer(s.version(), behind)))
    expect(client.getText('teks').toString()).toBe('Baru: Pasal 1 berbunyi.')
    expect(s.encodings()).toBe(2)
  })

  it('answers a state vector with what the document lacks, as Y.encodeStateAsUpdate would', () => {
    const s = server()
    const client = new Y.Doc()
    Y.applyUpdate(client, Y.encodeStateAsUpdate(s.doc))
    s.edit('x')
    const vector = Y.encodeStateVector(client)
    const answer = updateOf(s.answers.answer(s.version(), vector))
    expect(Y.encodeStateVectorFromUpdate(Y.mergeUpdates([Y.encodeStateAsUpdate(client), answer]))).toEqual(Y.encodeStateVector(s.doc))
    expect(answer.byteLength).toBeLessThan(Y.encodeStateAsUpdate(s.doc).byteLength)
  })

  it('never serves an answer from an older version, and starts from a given encoding without encoding again', () => {
    const doc = new Y.Doc()
    doc.getText('teks').insert(0, 'awal')
    const stored = Y.encodeStateAsUpdate(doc)
    let encodings = 0
    const answers = new SyncAnswers(() => (encodings++, Y.encodeStateAsUpdate(doc)), 7, stored)
    const empty = new Uint8Array([0])
    const first = answers.answer(7, empty)
    expect(encodings).toBe(0)
    doc.getText('teks').insert(4, ' lalu')
    const second = answers.answer(8, empty)
    expect(encodings).toBe(1)
    const client = new Y.Doc()
    Y.applyUpdate(client, updateOf(second))
    expect(client.getText('teks').toString()).toBe('awal lalu')
    expect(second).not.toEqual(first)
  })

  it('keeps at most 16 answers, evicting the least recently used', () => {
    const s = server()
    // Made-up writers the document has never seen: each vector is distinct, each answer the whole state.
    const vectorOf = (client: number) => Y.encodeStateVector(new Map([[client, 1]]))
    for (let client = 1; client <= 40; client++) s.answers.answer(s.version(), vectorOf(client))
    expect(s.answers.cachedAnswers).toBeGreaterThan(0)
    expect(s.answers.cachedAnswers).toBeLessThanOrEqual(16)
  })
})
