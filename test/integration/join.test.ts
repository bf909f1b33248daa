import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import * as decoding from 'lib0/decoding'
import { messageSync, syncStep2, syncUpdate, encodeSyncStep1 } from '../../shared/protocol/messages.js'
import { startServer, type TestServer } from '../harness/server.js'
import { adminToken, connect, openRaw, roundTrip, waitFor, type TestClient } from '../harness/clients.js'
import { ayatText, contentOf, pasal } from '../harness/document.js'

const DOC = 'rapergub-spbe'
/** One mark per typist, none of them in the sample draft. */
const MARKS = ['①', '②', '③', '④', '⑤']

/** The sync messages (type and update) in a raw socket's messages, in order; others are skipped. */
function syncMessages(messages: readonly Uint8Array[]): Array<{ type: number; update: Uint8Array }> {
  const found: Array<{ type: number; update: Uint8Array }> = []
  for (const message of messages) {
    const decoder = decoding.createDecoder(message)
    if (decoding.readVarUint(decoder) !== messageSync) continue
    const type = decoding.readVarUint(decoder)
    if (type === syncStep2 || type === syncUpdate) found.push({ type, update: decoding.readVarUint8Array(decoder) })
  }
  return found
}

/** Whether state vector `have` holds everything `want` does. */
function covers(have: Map<number, number>, want: Map<number, number>): boolean {
  for (const [client, clock] of want) if ((have.get(client) ?? 0) < clock) return false
  return true
}

const stateVectorOf = (doc: Y.Doc) => Y.decodeStateVector(Y.encodeStateVector(doc))
const count = (text: string, mark: string) => text.split(mark).length - 1

describe('joining a draft while others type (S29)', () => {
  let server: TestServer
  let token: string

  beforeAll(async () => {
    // No compaction during the file: it would hand the answers a new base (tested in syncAnswers.test.ts).
    server = await startServer({ env: { COMPACT_AFTER_UPDATES: '100000' } })
    token = await adminToken(server)
  })
  afterAll(() => server.dispose())

  it('answers a join with the updates stored since the last encoding, as one update just before sync step 2 (S29)', async () => {
    const typist = connect(server, DOC, token)
    await typist.synced
    const first = openRaw(server, DOC, token)
    await first.opened
    first.send(encodeSyncStep1(new Uint8Array([0])))
    await waitFor(() => syncMessages(first.messages).some((m) => m.type === syncStep2), 'the first answer')
    for (let i = 0; i < 10; i++) ayatText(pasal(typist.doc, 2)).insert(0, 'x')
    await roundTrip(typist)
    const joiner = openRaw(server, DOC, token)
    await joiner.opened
    joiner.send(encodeSyncStep1(new Uint8Array([0])))
    await waitFor(() => syncMessages(joiner.messages).some((m) => m.type === syncStep2), 'the answer')
    const received = syncMessages(joiner.messages)
    const step2 = received.findIndex((m) => m.type === syncStep2)
    expect(received.slice(0, step2 + 1).map((m) => m.type)).toEqual([syncUpdate, syncStep2])
    // The tail is the ten keystrokes, a few hundred bytes, not the draft.
    expect(received[0]!.update.byteLength).toBeLessThan(received[1]!.update.byteLength / 10)
    const doc = new Y.Doc()
    for (const { update } of received.slice(0, step2 + 1)) Y.applyUpdate(doc, update)
    expect(contentOf(doc)).toEqual(contentOf(typist.doc))
    first.ws.close()
    joiner.ws.close()
    typist.destroy()
  })

  it('gives every joiner, while five people type, everything stored before it joined the moment it is synced, and the server’s exact text after', async () => {
    const observer = connect(server, DOC, token)
    await observer.synced
    const typists = MARKS.map(() => connect(server, DOC, token))
    await Promise.all(typists.map((typist) => typist.synced))
    const typed = MARKS.map(() => 0)
    const timers = typists.map((typist, i) =>
      setInterval(() => {
        ayatText(pasal(typist.doc, i + 3)).insert(0, MARKS[i]!)
        typed[i]! += 1
      }, 20),
    )
    const joiners: TestClient[] = []
    const short: string[] = []
    try {
      for (let j = 0; j < 8; j++) {
        // Everything the observer holds came from the server's relays: stored and applied there.
        const seen = count(JSON.stringify(contentOf(observer.doc)), MARKS[j % MARKS.length]!)
        await waitFor(() => count(JSON.stringify(contentOf(observer.doc)), MARKS[j % MARKS.length]!) >= seen + 5, 'more typing')
        const stored = stateVectorOf(observer.doc)
        const joiner = connect(server, DOC, token)
        joiner.provider.once('sync', () => {
          // Synchronously, as the provider reports synced: nothing later has been applied yet.
          if (!covers(stateVectorOf(joiner.doc), stored)) short.push(`joiner ${j}`)
        })
        joiners.push(joiner)
        await joiner.synced
      }
    } finally {
      for (const timer of timers) clearInterval(timer)
    }
    expect(short).toEqual([])
    await Promise.all(typists.map((typist) => roundTrip(typist)))
    const final = connect(server, DOC, token, { doc: new Y.Doc() })
    await final.synced
    const expected = contentOf(final.doc)
    for (const [i, mark] of MARKS.entries()) expect(count(JSON.stringify(expected), mark)).toBe(typed[i])
    for (const client of [observer, ...typists, ...joiners]) {
      await waitFor(() => JSON.stringify(contentOf(client.doc)) === JSON.stringify(expected), 'every client to hold the server’s text')
    }
    console.log(`typed ${typed.reduce((a, b) => a + b)} keystrokes; ${joiners.length} joiners converged`)
    for (const client of [observer, final, ...typists, ...joiners]) client.destroy()
  })
})
