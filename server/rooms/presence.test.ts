import { describe, expect, it } from 'vitest'
import * as encoding from 'lib0/encoding'
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness'
import * as Y from 'yjs'
import { ProtocolError } from '../../shared/protocol/messages.js'
import type { User } from '../../shared/accounts.js'
import { admitAwarenessUpdate } from './presence.js'

const sari: User = { id: 'id-sari', username: 'sari', name: 'Sari Dewi', bidang: 'Bidang APTIKA', role: 'editor' }
const limits = { maxStateBytes: 2048, maxClientsPerConnection: 2 }

/** A context where `owned` are this connection's ids and `others` belong to someone else. */
const context = (owned: number[] = [], others: number[] = [], clocks: Record<number, number> = {}) => ({
  user: sari,
  owned: new Set(owned),
  claimable: (id: number) => !others.includes(id),
  clockOf: (id: number) => clocks[id],
})

function update(entries: Array<[clientId: number, clock: number, state: unknown]>): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, entries.length)
  for (const [clientId, clock, state] of entries) {
    encoding.writeVarUint(encoder, clientId)
    encoding.writeVarUint(encoder, clock)
    encoding.writeVarString(encoder, typeof state === 'string' ? state : JSON.stringify(state))
  }
  return encoding.toUint8Array(encoder)
}

/** The states y-protocols itself decodes from an admitted update: what the room will apply. */
function applied(result: ReturnType<typeof admitAwarenessUpdate>) {
  const awareness = new Awareness(new Y.Doc())
  awareness.setLocalState(null)
  applyAwarenessUpdate(awareness, result!.update, 'test')
  return awareness.getStates()
}

describe('awareness admission', () => {
  it('stamps the account identity over whatever the client claimed (S7)', () => {
    const result = admitAwarenessUpdate(update([[11, 1, { user: { name: 'Gubernur', bidang: 'Palsu' }, cursor: null }]]), context(), limits)
    const states = applied(result)
    expect(states.get(11)).toEqual({
      user: { username: 'sari', name: 'Sari Dewi', bidang: 'Bidang APTIKA', role: 'editor', color: expect.stringMatching(/^#[0-9a-f]{6}$/) },
      cursor: null,
      viewing: null,
    })
  })

  it('relays only the fields of the presence schema: a malformed cursor becomes null, anything else is dropped (S7)', () => {
    const hostile = [
      { cursor: {} },
      { cursor: { anchor: 1, head: 'x' } },
      { cursor: { anchor: { a: { b: { c: [] } } } }, following: { deep: true } },
      { teks: 'x'.repeat(1500) },
    ]
    for (const state of hostile) {
      const states = applied(admitAwarenessUpdate(update([[11, 1, state]]), context(), limits))
      expect(states.get(11), JSON.stringify(state).slice(0, 80)).toEqual({
        user: expect.objectContaining({ username: 'sari' }),
        cursor: null,
        viewing: null,
      })
    }
  })

  it("drops entries for another connection's client ids, so presence cannot be overwritten or removed (S7)", () => {
    const result = admitAwarenessUpdate(
      update([
        [11, 5, null],
        [12, 1, { a: 1 }],
      ]),
      context([12], [11]),
      limits,
    )
    expect(result!.clientIds).toEqual([12])
    expect(admitAwarenessUpdate(update([[11, 6, null]]), context([], [11]), limits)).toBeNull()
  })

  it('keeps removals of its own presence as removals', () => {
    const result = admitAwarenessUpdate(update([[12, 2, null]]), context([12]), limits)
    expect(result!.clientIds).toEqual([12])
  })

  it('refuses oversized, non-object and malformed states, and too many client ids', () => {
    expect(() => admitAwarenessUpdate(update([[1, 1, { big: 'x'.repeat(5000) }]]), context(), limits)).toThrow(ProtocolError)
    expect(() => admitAwarenessUpdate(update([[1, 1, [1, 2]]]), context(), limits)).toThrow(ProtocolError)
    expect(() => admitAwarenessUpdate(update([[1, 1, '{not json']]), context(), limits)).toThrow(ProtocolError)
    expect(() => admitAwarenessUpdate(new Uint8Array([5, 1]), context(), limits)).toThrow(ProtocolError)
    expect(() =>
      admitAwarenessUpdate(
        update([
          [1, 1, {}],
          [2, 1, {}],
          [3, 1, {}],
        ]),
        context(),
        limits,
      ),
    ).toThrow(ProtocolError)
  })

  it('never takes an id through a removal, so echoed removals cannot hide anyone', () => {
    expect(admitAwarenessUpdate(update([[40, 9, null]]), context(), limits)).toBeNull()
  })

  it('raises the clock above the room so a reconnecting client shows at once', () => {
    const result = admitAwarenessUpdate(update([[12, 3, { a: 1 }]]), context([], [], { 12: 7 }), limits)
    const states = applied(result)
    expect(states.has(12)).toBe(true)
    const awareness = new Awareness(new Y.Doc())
    applyAwarenessUpdate(awareness, result!.update, 'test')
    expect(awareness.meta.get(12)?.clock).toBe(8)
  })

  it('leaves the clocks of owned ids alone, since raising them would loop through every stock echo', () => {
    const result = admitAwarenessUpdate(update([[12, 3, { a: 1 }]]), context([12], [], { 12: 3 }), limits)
    const awareness = new Awareness(new Y.Doc())
    applyAwarenessUpdate(awareness, result!.update, 'test')
    expect(awareness.meta.get(12)?.clock).toBe(3)
  })

  it('keeps the clock of an id the room never saw', () => {
    const result = admitAwarenessUpdate(update([[77, 4, {}]]), context(), limits)
    const awareness = new Awareness(new Y.Doc())
    applyAwarenessUpdate(awareness, result!.update, 'test')
    expect(awareness.meta.get(77)?.clock).toBe(4)
  })

  it('accepts what the stock y-protocols Awareness encodes', () => {
    const awareness = new Awareness(new Y.Doc())
    awareness.setLocalStateField('user', { name: 'x' })
    const result = admitAwarenessUpdate(encodeAwarenessUpdate(awareness, [awareness.clientID]), context(), limits)
    expect(result!.clientIds).toEqual([awareness.clientID])
  })
})
