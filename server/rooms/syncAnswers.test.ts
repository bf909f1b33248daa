import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import * as decoding from 'lib0/decoding'
import { encodeSyncStep2, messageSync, syncStep2, syncUpdate } from '../../shared/protocol/messages.js'
import { SyncAnswers } from './syncAnswers.js'
import { wholeMessage, type Outgoing } from './socket.js'

/** The kind and update inside a sync message. */
function decode(message: Outgoing): { kind: 'step2' | 'update'; update: Uint8Array } {
  const decoder = decoding.createDecoder(wholeMessage(message))
  expect(decoding.readVarUint(decoder)).toBe(messageSync)
  const type = decoding.readVarUint(decoder)
  expect([syncStep2, syncUpdate]).toContain(type)
  return { kind: type === syncStep2 ? 'step2' : 'update', update: decoding.readVarUint8Array(decoder) }
}

/** Applies an answer to `client` as a y-websocket provider does: each message in order. */
function receive(client: Y.Doc, messages: readonly Outgoing[]) {
  for (const message of messages) Y.applyUpdate(client, decode(message).update)
}

const EMPTY = new Uint8Array([0])
const textOf = (doc: Y.Doc) => doc.getText('teks').toString()

/**
 * A room's document whose every edit is "stored and applied": the answers are told of it. An
 * appendix of `appendix` characters makes the base large enough to keep a tail of some edits.
 */
function server(text = 'Pasal 1 berbunyi.', appendix = 4000) {
  const doc = new Y.Doc()
  doc.getText('teks').insert(0, text)
  doc.getText('lampiran').insert(0, 'l'.repeat(appendix))
  let encodings = 0
  const answers = new SyncAnswers(() => {
    encodings += 1
    return Y.encodeStateAsUpdate(doc)
  })
  let told = true
  doc.on('update', (update: Uint8Array) => told && answers.applied(update))
  return {
    doc,
    answers,
    encodings: () => encodings,
    edit(text: string, at = 0) {
      doc.getText('teks').insert(at, text)
    },
    /** An edit the answers are not told of (a stored update that failed to apply, partly). */
    editUntold(text: string) {
      told = false
      doc.getText('teks').insert(0, text)
      told = true
    },
  }
}

describe('SyncAnswers', () => {
  it('answers a join with the tail then the base, and the client holds the full state once sync step 2 arrives (S29)', () => {
    const s = server()
    s.answers.answer(EMPTY)
    for (let i = 0; i < 30; i++) s.edit(`${i} `, i % 3)
    s.doc.getText('teks').delete(5, 4)
    const messages = s.answers.answer(EMPTY)
    expect(messages.map((m) => decode(m).kind)).toEqual(['update', 'step2'])
    const client = new Y.Doc()
    receive(client, messages)
    expect(textOf(client)).toBe(textOf(s.doc))
    expect(Y.encodeStateVector(client)).toEqual(Y.encodeStateVector(s.doc))
    expect(Y.encodeStateAsUpdate(client)).toEqual(Y.encodeStateAsUpdate(s.doc))
    expect(s.encodings()).toBe(1)
  })

  it('answers a non-empty state vector with what the client lacks, from the base and the tail', () => {
    const s = server()
    const client = new Y.Doc()
    receive(client, s.answers.answer(Y.encodeStateVector(client)))
    s.edit('Baru: ')
    const offline = new Y.Doc()
    Y.applyUpdate(offline, Y.encodeStateAsUpdate(client))
    // A client that was away and edited on its own: it lacks the tail, not the base.
    offline.getText('teks').insert(offline.getText('teks').length, ' (catatan)')
    s.edit('lagi ', 6)
    const messages = s.answers.answer(Y.encodeStateVector(offline))
    expect(messages.map((m) => decode(m).kind)).toEqual(['update', 'step2'])
    const tailBytes = decode(messages[0]!).update.byteLength
    expect(tailBytes).toBeLessThan(Y.encodeStateAsUpdate(s.doc).byteLength)
    receive(offline, messages)
    Y.applyUpdate(s.doc, Y.encodeStateAsUpdate(offline, Y.encodeStateVector(s.doc)))
    expect(textOf(offline)).toBe('Baru: lagi Pasal 1 berbunyi. (catatan)')
    expect(textOf(offline)).toBe(textOf(s.doc))
  })

  it('sends no tail message to a client that already holds the tail', () => {
    const s = server()
    s.answers.answer(EMPTY)
    s.edit('x')
    const current = new Y.Doc()
    Y.applyUpdate(current, Y.encodeStateAsUpdate(s.doc))
    expect(s.answers.answer(Y.encodeStateVector(current)).map((m) => decode(m).kind)).toEqual(['step2'])
  })

  it('encodes the state once per bound of the tail while updates keep arriving, not once per join (S29)', () => {
    const s = server('x'.repeat(4000), 0)
    s.answers.answer(EMPTY)
    let joins = 0
    for (let i = 0; i < 600; i++) {
      s.edit('k', 2000 + i)
      const client = new Y.Doc()
      receive(client, s.answers.answer(EMPTY))
      joins += 1
      if (i % 97 === 0) expect(textOf(client)).toBe(textOf(s.doc))
    }
    console.log(`${joins} joins while typing: ${s.encodings()} encodings of a ${Y.encodeStateAsUpdate(s.doc).byteLength}-byte state`)
    // Half a ~4 kB base is ~2 kB of keystroke updates, some tens of them: a handful of encodings.
    expect(s.encodings()).toBeGreaterThan(1)
    expect(s.encodings()).toBeLessThan(joins / 10)
    expect(s.answers.tailLength).toBeLessThan(100)
  })

  it('re-encodes the base once the tail passes half the base in bytes, and keeps answering the full state', () => {
    const s = server('y'.repeat(10), 20_000)
    s.answers.answer(EMPTY)
    const baseBytes = Y.encodeStateAsUpdate(s.doc).byteLength
    let tailBytes = 0
    s.doc.on('update', (update: Uint8Array) => (tailBytes += update.byteLength))
    while (tailBytes + 100 < baseBytes / 2) s.edit('kata ', 3)
    expect(s.answers.tailLength).toBeGreaterThan(100)
    expect(s.encodings()).toBe(1)
    while (s.answers.tailLength > 0) s.edit('kata ', 3)
    expect(tailBytes).toBeGreaterThan(baseBytes / 2)
    const client = new Y.Doc()
    receive(client, s.answers.answer(EMPTY))
    expect(s.encodings()).toBe(2)
    expect(textOf(client)).toBe(textOf(s.doc))
  })

  it('caches the tail message until the tail grows, and cut answers until the base changes', () => {
    const s = server()
    const vector = Y.encodeStateVector(new Map([[12345, 1]]))
    s.answers.answer(EMPTY)
    s.edit('a')
    const [tailA, stepA] = s.answers.answer(EMPTY)
    const [tailAgain, stepAgain] = s.answers.answer(EMPTY)
    expect(tailAgain).toBe(tailA)
    expect(stepAgain).toBe(stepA)
    const cut = s.answers.answer(vector).at(-1)
    s.edit('b')
    const [tailB, stepB] = s.answers.answer(EMPTY)
    expect(tailB).not.toEqual(tailA)
    // The base is unchanged: its step 2 (and the answer cut for a vector) stay valid.
    expect(stepB).toBe(stepA)
    expect(s.answers.answer(vector).at(-1)).toBe(cut)
    const client = new Y.Doc()
    receive(client, [tailB!, stepB!])
    expect(textOf(client)).toBe('baPasal 1 berbunyi.')
    s.answers.rebase(Y.encodeStateAsUpdate(s.doc))
    expect(s.answers.cachedAnswers).toBe(0)
    const afterRebase = s.answers.answer(EMPTY)
    expect(afterRebase.map((m) => decode(m).kind)).toEqual(['step2'])
    expect(s.encodings()).toBe(1)
  })

  it('never answers from a base the document has left behind: after a reset it encodes what the document holds', () => {
    const s = server()
    s.answers.answer(EMPTY)
    s.answers.reset()
    s.editUntold('hilang? ')
    const client = new Y.Doc()
    receive(client, s.answers.answer(EMPTY))
    expect(textOf(client)).toBe('hilang? Pasal 1 berbunyi.')
    expect(s.encodings()).toBe(2)
  })

  it('answers a join with the stored state itself after the sync prefix, not a copy of it, and the parts are the stock message', () => {
    const doc = new Y.Doc()
    doc.getText('lampiran').insert(0, 'l'.repeat(100_000))
    const state = Y.encodeStateAsUpdate(doc)
    const [step2] = new SyncAnswers(() => state).answer(EMPTY)
    expect(step2).toHaveLength(2)
    expect((step2 as readonly Uint8Array[])[1]).toBe(state)
    expect(wholeMessage(step2!)).toEqual(encodeSyncStep2(state))
  })

  it('keeps at most 16 answers, evicting the least recently used', () => {
    const s = server()
    // Made-up writers the document has never seen: each vector is distinct, each answer the whole state.
    const vectorOf = (client: number) => Y.encodeStateVector(new Map([[client, 1]]))
    for (let client = 1; client <= 40; client++) s.answers.answer(vectorOf(client))
    expect(s.answers.cachedAnswers).toBeGreaterThan(0)
    expect(s.answers.cachedAnswers).toBeLessThanOrEqual(16)
  })
})
