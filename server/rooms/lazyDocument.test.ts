import { beforeEach, describe, expect, it, vi } from 'vitest'
import * as Y from 'yjs'
import { LazyDocument, mergeInGroups } from './lazyDocument.js'

// Yjs itself, with a count of the calls that decode a whole update for its state vector.
vi.mock('yjs', async (importOriginal) => {
  const yjs = await importOriginal<typeof import('yjs')>()
  return { ...yjs, encodeStateVectorFromUpdate: vi.fn(yjs.encodeStateVectorFromUpdate) }
})
const decodedForStateVector = vi.mocked(Y.encodeStateVectorFromUpdate)
beforeEach(() => {
  decodedForStateVector.mockClear()
})

/** A log as a room stores it: every keystroke of three writers, one update each, interleaved. */
function keystrokeLog(count: number): { updates: Uint8Array[]; text: string } {
  const writers = [new Y.Doc(), new Y.Doc(), new Y.Doc()]
  const updates: Uint8Array[] = []
  for (const doc of writers) doc.on('update', (update: Uint8Array) => updates.push(update))
  for (let i = 0; i < count; i++) {
    const writer = writers[i % writers.length]!
    for (const other of writers) if (other !== writer) Y.applyUpdate(writer, Y.encodeStateAsUpdate(other, Y.encodeStateVector(writer)))
    const text = writer.getText('t')
    text.insert(i % 7 === 0 ? 0 : text.length, String.fromCharCode(97 + (i % 26)))
  }
  const reference = new Y.Doc()
  for (const update of updates) Y.applyUpdate(reference, update)
  return { updates: [...new Set(updates)], text: reference.getText('t').toString() }
}

const textOf = (update: Uint8Array) => {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, update)
  return doc.getText('t').toString()
}

describe('merging a stored log as bytes', () => {
  it('merges a log of thousands of keystrokes in groups into the same document as applying them one by one', () => {
    const { updates, text } = keystrokeLog(2_000)
    expect(updates.length).toBeGreaterThan(1_000)
    expect(textOf(mergeInGroups(updates))).toBe(text)
  })

  it('gives the only part unchanged, and an empty update for an empty log', () => {
    const { updates } = keystrokeLog(3)
    expect(mergeInGroups([updates[0]!])).toBe(updates[0])
    expect(textOf(mergeInGroups([]))).toBe('')
  })

  it('answers with the state vector of the merged log without building the Y.Doc, and builds the same document on demand', () => {
    const { updates, text } = keystrokeLog(500)
    const built: Y.Doc[] = []
    const lazy = LazyDocument.fromStored('d', { state: null, updates }, 'load', (doc) => built.push(doc))
    const reference = new Y.Doc()
    for (const update of updates) Y.applyUpdate(reference, update)
    expect(lazy.stateVector).toEqual(Y.encodeStateVector(reference))
    expect(built).toHaveLength(0)
    expect(lazy.doc.getText('t').toString()).toBe(text)
    expect(built).toHaveLength(1)
  })

  it('answers with the state vector stored with a state and the state bytes themselves, decoding nothing', () => {
    const { updates, text } = keystrokeLog(500)
    const state = mergeInGroups(updates)
    const stateVector = Y.encodeStateVectorFromUpdate(state)
    decodedForStateVector.mockClear()
    const lazy = LazyDocument.fromStored('d', { state, updates: [], stateVector }, 'load', () => {})
    expect(lazy.stateVector).toBe(stateVector)
    expect(lazy.encodeState()).toBe(state)
    expect(decodedForStateVector).not.toHaveBeenCalled()
    expect(lazy.doc.getText('t').toString()).toBe(text)
  })

  it('decodes the merged bytes for the state vector when a log follows the stored state: the stored vector describes only the state', () => {
    const { updates } = keystrokeLog(500)
    const state = mergeInGroups(updates.slice(0, 300))
    const lazy = LazyDocument.fromStored(
      'd',
      { state, updates: updates.slice(300), stateVector: Y.encodeStateVectorFromUpdate(state) },
      'load',
      () => {},
    )
    const reference = new Y.Doc()
    for (const update of updates) Y.applyUpdate(reference, update)
    expect(lazy.stateVector).toEqual(Y.encodeStateVector(reference))
    expect(Y.encodeStateVector(reference)).not.toEqual(Y.encodeStateVectorFromUpdate(state))
  })
})
