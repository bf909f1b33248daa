import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import * as decoding from 'lib0/decoding'
import * as awarenessProtocol from 'y-protocols/awareness'
import { decodeAwarenessEntries, encodeAwarenessEntries } from '../../shared/protocol/awareness.js'
import { messageAwareness } from '../../shared/protocol/messages.js'
import { AwarenessRelay } from './awarenessRelay.js'

/** The awareness entries of a relayed message, as [clientId, clock, state]. */
function entriesOf(message: Uint8Array) {
  const decoder = decoding.createDecoder(message)
  expect(decoding.readVarUint(decoder)).toBe(messageAwareness)
  return decodeAwarenessEntries(decoding.readVarUint8Array(decoder)).map(({ clientId, clock, state }) => [clientId, clock, JSON.parse(state)])
}

const turn = () => new Promise((resolve) => setImmediate(resolve))

function relayed() {
  const awareness = new awarenessProtocol.Awareness(new Y.Doc())
  awareness.setLocalState(null)
  const sent: Uint8Array[] = []
  const relay = new AwarenessRelay(awareness, (message) => sent.push(message))
  awareness.on('update', ({ added, updated, removed }: Record<'added' | 'updated' | 'removed', number[]>) =>
    relay.add([...added, ...updated, ...removed]),
  )
  const apply = (clientId: number, clock: number, state: unknown) =>
    awarenessProtocol.applyAwarenessUpdate(awareness, encodeAwarenessEntries([{ clientId, clock, state: JSON.stringify(state) }]), 'test')
  return { awareness, relay, sent, apply }
}

describe('AwarenessRelay', () => {
  it('sends the changes of one turn as one message at its end, with the latest state of each id and removals as null (S28)', async () => {
    const { awareness, relay, sent, apply } = relayed()
    for (let clock = 1; clock <= 3; clock++) for (const id of [7, 8, 9]) apply(id, clock, { n: clock })
    awarenessProtocol.removeAwarenessStates(awareness, [9], 'test')
    expect(sent).toHaveLength(0)
    await relay.flushed
    expect(sent).toHaveLength(1)
    expect(entriesOf(sent[0]!)).toEqual([
      [7, 3, { n: 3 }],
      [8, 3, { n: 3 }],
      [9, 3, null],
    ])
  })

  it('sends a lone change at the end of its own turn, without waiting for more', async () => {
    const { relay, sent, apply } = relayed()
    apply(7, 1, { n: 1 })
    await relay.flushed
    apply(7, 2, { n: 2 })
    await turn()
    expect(sent.map(entriesOf)).toEqual([[[7, 1, { n: 1 }]], [[7, 2, { n: 2 }]]])
  })
})
