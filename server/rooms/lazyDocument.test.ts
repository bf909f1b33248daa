import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { LazyDocument, mergeInGroups } from './lazyDocument.js'

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
})
