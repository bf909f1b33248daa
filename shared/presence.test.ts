import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { FRAGMENT } from './model/ydoc.js'
import { admitPresenceState, decodeCursor, decodeRelativePosition, decodeViewing } from './presence.js'
import type { User } from './accounts.js'

const sari: User = { id: 'a-sari', username: 'sari', name: 'Sari Dewi', bidang: 'Bidang APTIKA', role: 'viewer' }

/** Relative positions as y-prosemirror publishes them: `Y.RelativePosition` through JSON. */
function positions() {
  const doc = new Y.Doc()
  const fragment = doc.getXmlFragment(FRAGMENT)
  const paragraph = new Y.XmlElement('teks')
  const text = new Y.XmlText('Perangkat Daerah wajib')
  paragraph.insert(0, [text])
  fragment.insert(0, [paragraph])
  const json = (position: Y.RelativePosition) => JSON.parse(JSON.stringify(position)) as unknown
  return {
    inText: json(Y.createRelativePositionFromTypeIndex(text, 4)),
    atEnd: json(Y.createRelativePositionFromTypeIndex(text, text.length)),
    inRoot: json(Y.createRelativePositionFromTypeIndex(fragment, 0, -1)),
  }
}

describe('presence state schema', () => {
  it('keeps every relative position y-prosemirror writes exactly as written', () => {
    for (const position of Object.values(positions())) expect(decodeRelativePosition(position)).toEqual(position)
    const { inText, atEnd } = positions()
    expect(decodeCursor({ anchor: inText, head: atEnd })).toEqual({ anchor: inText, head: atEnd })
  })

  it('refuses cursors that are not two relative positions', () => {
    const { inText } = positions()
    const hostile: unknown[] = [
      {},
      null,
      'x',
      [inText, inText],
      { anchor: 1, head: 'x' },
      { anchor: inText },
      { anchor: inText, head: {} },
      { anchor: inText, head: { type: null, tname: null, item: null, assoc: 0 } },
      { anchor: inText, head: { type: { client: 1, clock: 2 }, tname: FRAGMENT, item: null, assoc: 0 } },
      { anchor: inText, head: { type: null, tname: 'lain', item: null, assoc: 0 } },
      { anchor: inText, head: { type: null, tname: FRAGMENT, item: { client: -1, clock: 0 }, assoc: 0 } },
      { anchor: inText, head: { type: null, tname: FRAGMENT, item: { client: 2 ** 32, clock: 0 }, assoc: 0 } },
      { anchor: inText, head: { type: null, tname: FRAGMENT, item: { client: 1, clock: 1.5 }, assoc: 0 } },
      { anchor: inText, head: { type: null, tname: FRAGMENT, item: { client: '1', clock: 0 }, assoc: 0 } },
      { anchor: inText, head: { type: null, tname: FRAGMENT, item: null, assoc: 'kiri' } },
      { anchor: inText, head: { type: { client: 1 }, tname: null, item: null, assoc: 0 } },
    ]
    for (const cursor of hostile) expect(decodeCursor(cursor), JSON.stringify(cursor)).toBeNull()
  })

  it('drops every field but the cursor and stamps the account, rebuilding positions from their known fields', () => {
    const { inText, atEnd } = positions()
    const admitted = admitPresenceState(
      {
        user: { name: 'Gubernur', color: 'red' },
        cursor: { anchor: { ...(inText as object), extra: 'x'.repeat(100) }, head: atEnd, nested: { a: { b: 1 } } },
        following: 7,
        catatan: 'k'.repeat(900),
      },
      sari,
    )
    expect(admitted).toEqual({
      user: { username: 'sari', name: 'Sari Dewi', bidang: 'Bidang APTIKA', role: 'viewer', color: expect.stringMatching(/^#[0-9a-f]{6}$/) },
      cursor: { anchor: inText, head: atEnd },
      viewing: null,
    })
    expect(Object.keys(admitted)).toEqual(['user', 'cursor', 'viewing'])
  })

  it('turns an invalid cursor into null rather than dropping the participant', () => {
    expect(admitPresenceState({ cursor: {} }, sari).cursor).toBeNull()
    expect(admitPresenceState({ cursor: { anchor: 1, head: 'x' } }, sari).cursor).toBeNull()
    expect(admitPresenceState({}, sari)).toEqual({ user: expect.objectContaining({ username: 'sari' }), cursor: null, viewing: null })
  })

  it('relays the Pasal a participant is viewing as exactly {pasalId}, for those who follow them', () => {
    expect(decodeViewing({ pasalId: 'k3x9a0b1c2d4' })).toEqual({ pasalId: 'k3x9a0b1c2d4' })
    const admitted = admitPresenceState({ viewing: { pasalId: 'pasal-7', scrollTop: 1e9, html: '<img onerror=x>' } }, sari)
    expect(admitted.viewing).toEqual({ pasalId: 'pasal-7' })
    expect(Object.keys(admitted.viewing!)).toEqual(['pasalId'])
  })

  it('turns a hostile viewing position into null: only a unit id of at most 64 safe characters passes', () => {
    const hostile: unknown[] = [
      null,
      'pasal-7',
      7,
      [],
      [{ pasalId: 'a' }],
      {},
      { pasalId: '' },
      { pasalId: 7 },
      { pasalId: null },
      { pasalId: ['a'] },
      { pasalId: { toString: 'a' } },
      { pasalId: 'a'.repeat(65) },
      { pasalId: 'x'.repeat(100_000) },
      { pasalId: '"]; body { display: none } [x="' },
      { pasalId: 'a b' },
      { pasalId: 'a\u0000' },
      { pasalId: '../../admin' },
      { pasalId: 'pasal\n7' },
      { pasalId: '<script>' },
      { pasalId: '__proto__.x' },
    ]
    for (const viewing of hostile) {
      expect(decodeViewing(viewing), JSON.stringify(viewing)).toBeNull()
      expect(admitPresenceState({ viewing }, sari).viewing, JSON.stringify(viewing)).toBeNull()
    }
  })
})
