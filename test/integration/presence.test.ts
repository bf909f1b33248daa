import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bidangColor } from '../../shared/presence.js'
import { startServer, type TestServer } from '../harness/server.js'
import {
  adminToken,
  awarenessMessage,
  awarenessMessages,
  caretCursor,
  connect,
  createAccount,
  holdsFor,
  openRaw,
  permissionDenials,
  roundTrip,
  waitFor,
  type TestClient,
} from '../harness/clients.js'

const DOC = 'rapergub-spbe'

/** What `observer` currently sees of awareness client `clientId`. */
const seen = (observer: TestClient, clientId: number) => observer.provider.awareness.getStates().get(clientId) as Record<string, unknown> | undefined
const seenUser = (observer: TestClient, clientId: number) => seen(observer, clientId)?.user as Record<string, unknown> | undefined

describe('presence (awareness) tells the truth about who is there', () => {
  let server: TestServer
  let observer: TestClient

  beforeAll(async () => {
    server = await startServer()
    observer = connect(server, DOC, await adminToken(server))
    await observer.synced
  })
  afterAll(async () => {
    observer?.destroy()
    await server?.dispose()
  })

  it('shows a participant with the name, bidang and role of their account, whatever they publish (S7)', async () => {
    const { user, token } = await createAccount(server, 'editor', 'Bidang Statistik')
    const client = connect(server, DOC, token)
    await client.synced
    client.provider.awareness.setLocalState({
      user: { username: 'admin', name: 'Palsu', bidang: 'X', role: 'admin', color: '#000000' },
      cursor: caretCursor(7),
    })
    const id = client.doc.clientID
    await waitFor(
      () => seenUser(observer, id)?.username === user.username && seen(observer, id)?.cursor !== undefined,
      'the stamped presence to reach the observer',
    )
    expect(seenUser(observer, id)).toEqual({
      username: user.username,
      name: user.name,
      bidang: 'Bidang Statistik',
      role: 'editor',
      color: bidangColor('Bidang Statistik'),
    })
    expect(seen(observer, id)?.cursor).toEqual(caretCursor(7))

    // A later change is stamped as well, and a state without `user` gets one.
    client.provider.awareness.setLocalState({ cursor: caretCursor(11) })
    await waitFor(() => JSON.stringify(seen(observer, id)?.cursor) === JSON.stringify(caretCursor(11)), 'the second state')
    expect(seenUser(observer, id)).toMatchObject({ username: user.username, name: user.name, bidang: 'Bidang Statistik', role: 'editor' })
    client.destroy()
  })

  it("does not let a connection overwrite or remove another connection's presence (S7)", async () => {
    const victim = await createAccount(server, 'viewer', 'Biro Hukum')
    const attacker = await createAccount(server, 'editor', 'Bidang Lain')
    const client = connect(server, DOC, victim.token)
    permissionDenials(client) // a viewer is told it is read-only; keep the stock warning out of the log
    await client.synced
    client.provider.awareness.setLocalStateField('cursor', caretCursor(3))
    const victimId = client.doc.clientID
    await waitFor(
      () => seenUser(observer, victimId)?.username === victim.user.username && seen(observer, victimId)?.cursor !== undefined,
      'the victim to appear',
    )
    const before = seen(observer, victimId)
    const clock = observer.provider.awareness.meta.get(victimId)!.clock

    const raw = openRaw(server, DOC, attacker.token)
    await raw.opened
    // Newer clocks than the victim's own, so a naive relay would replace or remove the state.
    raw.send(
      awarenessMessage([
        { clientId: victimId, clock: clock + 5, state: { user: { username: victim.user.username, name: 'Palsu' }, cursor: caretCursor(99) } },
      ]),
    )
    raw.send(awarenessMessage([{ clientId: victimId, clock: clock + 10, state: null }]))
    // Mixed into a legitimate update of the attacker's own presence.
    const attackerId = 0x7fff_0001
    raw.send(
      awarenessMessage([
        { clientId: victimId, clock: clock + 20, state: null },
        { clientId: attackerId, clock: 1, state: { cursor: caretCursor(42) } },
      ]),
    )
    // Processed in order on the attacker's connection: once the own state arrived, the rest was handled.
    await waitFor(() => seen(observer, attackerId)?.cursor !== undefined, "the attacker's own presence")
    expect(seenUser(observer, attackerId)).toMatchObject({ username: attacker.user.username, bidang: 'Bidang Lain' })
    expect(seen(observer, victimId)).toEqual(before)
    expect(observer.provider.awareness.meta.get(victimId)!.clock).toBe(clock)

    // A client that joins now sees the victim as they are, too.
    const late = connect(server, DOC, await adminToken(server))
    await waitFor(() => seenUser(late, victimId)?.username === victim.user.username, 'the victim to be visible to a late joiner')
    expect(seen(late, victimId)).toEqual(before)
    late.destroy()
    raw.ws.close()
    client.destroy()
  })

  it("relays a viewer's hostile presence as the schema allows: a malformed cursor becomes null and other fields are dropped", async () => {
    const viewer = await createAccount(server, 'viewer', 'Inspektorat')
    const raw = openRaw(server, DOC, viewer.token)
    await raw.opened
    const id = 0x7fff_0003
    const hostile: unknown[] = [
      { cursor: {} },
      { cursor: { anchor: 1, head: 'x' } },
      { cursor: { anchor: { type: null, tname: 'lain', item: null, assoc: 0 }, head: caretCursor(1).head }, typing: true },
      { cursor: caretCursor(3), nested: { a: { b: { c: [1, 2, { d: 'x'.repeat(200) }] } } }, catatan: 'y'.repeat(600) },
    ]
    for (const [i, state] of hostile.entries()) {
      raw.send(awarenessMessage([{ clientId: id, clock: i + 1, state }]))
      await waitFor(() => observer.provider.awareness.meta.get(id)?.clock === i + 1, `hostile state ${i + 1} to be relayed`)
      const expected = i === 3 ? caretCursor(3) : null
      expect(seen(observer, id), JSON.stringify(state).slice(0, 60)).toEqual({
        user: { username: viewer.user.username, name: viewer.user.name, bidang: 'Inspektorat', role: 'viewer', color: bidangColor('Inspektorat') },
        cursor: expected,
        viewing: null,
      })
    }
    // A client that joins later gets the same cleaned state.
    const late = connect(server, DOC, await adminToken(server))
    await waitFor(() => seen(late, id) !== undefined, 'the state to reach a late joiner')
    expect(seen(late, id)?.cursor).toEqual(caretCursor(3))
    expect(Object.keys(seen(late, id)!)).toEqual(['user', 'cursor', 'viewing'])
    late.destroy()
    raw.ws.close()
  })

  it('removes presence when a client disconnects, cleanly or abruptly', async () => {
    const { token } = await createAccount(server, 'editor')
    const client = connect(server, DOC, token)
    await client.synced
    client.provider.awareness.setLocalStateField('cursor', caretCursor(1))
    const id = client.doc.clientID
    await waitFor(() => seen(observer, id) !== undefined, 'the presence to appear')
    // provider.disconnect() closes the socket without announcing a null state: the server removes it.
    client.provider.disconnect()
    await waitFor(() => seen(observer, id) === undefined, 'the presence to disappear after disconnect')
    client.destroy()

    const other = connect(server, DOC, token)
    await other.synced
    other.provider.awareness.setLocalStateField('cursor', caretCursor(2))
    await waitFor(() => seen(observer, other.doc.clientID) !== undefined, 'the second presence to appear')
    // destroy() announces a null state first.
    other.destroy()
    await waitFor(() => seen(observer, other.doc.clientID) === undefined, 'the presence to disappear after destroy')

    const raw = openRaw(server, DOC, token)
    await raw.opened
    const rawId = 0x7fff_0002
    raw.send(awarenessMessage([{ clientId: rawId, clock: 1, state: { cursor: null } }]))
    await waitFor(() => seen(observer, rawId) !== undefined, 'the raw presence to appear')
    raw.ws.terminate()
    await waitFor(() => seen(observer, rawId) === undefined, 'the presence of a dropped socket to disappear')
  })

  it("keeps a reconnecting client's presence its own: another stock client's echo of its removal does not take the client id over", async () => {
    // The stock provider re-broadcasts every awareness change it receives, including the removal of
    // someone who just disconnected; that echo must not make the echoing connection the owner.
    const { user, token } = await createAccount(server, 'editor', 'Bidang Jaringan')
    const client = connect(server, DOC, token)
    await client.synced
    client.provider.awareness.setLocalStateField('cursor', caretCursor(4))
    const id = client.doc.clientID
    await waitFor(() => seen(observer, id) !== undefined, 'the presence to appear')
    client.provider.disconnect()
    await waitFor(() => seen(observer, id) === undefined, 'the presence to disappear after disconnect')
    client.provider.connect()
    await waitFor(() => client.provider.synced, 'the client to resync')
    // A new state with a newer clock: nothing but ownership can keep it from the others.
    client.provider.awareness.setLocalStateField('cursor', caretCursor(5))
    await waitFor(() => seenUser(observer, id)?.username === user.username, 'the presence to come back after the reconnect', 5_000)
    client.destroy()
  })

  it('shows a stock client again at once when it reconnects, without waiting for its 15 s awareness renewal', async () => {
    const { user, token } = await createAccount(server, 'editor', 'Bidang Jaringan')
    const client = connect(server, DOC, token)
    await client.synced
    client.provider.awareness.setLocalStateField('cursor', caretCursor(4))
    const id = client.doc.clientID
    await waitFor(() => seen(observer, id) !== undefined, 'the presence to appear')
    client.provider.disconnect()
    await waitFor(() => seen(observer, id) === undefined, 'the presence to disappear after disconnect')
    client.provider.connect()
    await waitFor(() => client.provider.synced, 'the client to resync')
    // The stock provider re-announces its state with the clock of its last change (the one its own
    // null state carried on disconnect); its renewal would come 15 s after that change.
    await waitFor(() => seenUser(observer, id)?.username === user.username, 'the presence to come back after the reconnect', 5_000)
    client.destroy()
  })

  it('settles: stock providers re-sending every state they receive do not make presence ping-pong', async () => {
    const { token } = await createAccount(server, 'editor')
    const client = connect(server, DOC, token)
    await client.synced
    client.provider.awareness.setLocalStateField('cursor', caretCursor(5))
    const id = client.doc.clientID
    await waitFor(() => seen(observer, id)?.cursor !== undefined, 'the cursor to reach the observer')
    await roundTrip(client)
    await roundTrip(observer)
    const clock = observer.provider.awareness.meta.get(id)!.clock
    // Several full round trips through the server on both connections: any echo loop would have moved the clock.
    for (let i = 0; i < 5; i++) {
      await roundTrip(client)
      await roundTrip(observer)
    }
    expect(observer.provider.awareness.meta.get(id)!.clock).toBe(clock)
    client.destroy()
  })

  it("keeps a tab's presence when another tab of the same browser closes, although that tab echoed it first over the BroadcastChannel (S7)", async () => {
    // Tabs of one browser share awareness over a BroadcastChannel, and each stock provider relays
    // what it hears there to the server: the open tab sends the new tab's state before the new
    // tab's own socket has opened.
    const { user, token } = await createAccount(server, 'editor', 'Bidang Persandian')
    const first = connect(server, DOC, token, { broadcastChannel: true })
    await first.synced
    first.provider.awareness.setLocalStateField('cursor', caretCursor(5))
    // As the editor does: its state is set before it connects.
    const second = connect(server, DOC, token, { broadcastChannel: true, connect: false })
    second.provider.awareness.setLocalStateField('cursor', caretCursor(6))
    second.provider.connect()
    await second.synced
    const id = second.doc.clientID
    await waitFor(() => JSON.stringify(seen(observer, id)?.cursor) === JSON.stringify(caretCursor(6)), "the second tab's presence")
    await waitFor(() => seen(observer, first.doc.clientID) !== undefined, "the first tab's presence")
    first.destroy()
    await waitFor(() => seen(observer, first.doc.clientID) === undefined, 'the closed tab to disappear')
    await holdsFor(() => seenUser(observer, id)?.username === user.username, 'the open tab stays present', 1_000)
    second.provider.awareness.setLocalStateField('cursor', caretCursor(7))
    await waitFor(() => JSON.stringify(seen(observer, id)?.cursor) === JSON.stringify(caretCursor(7)), "the open tab's next move")
    second.destroy()
    await waitFor(() => seen(observer, id) === undefined, 'the last tab to disappear when it closes')
  })

  it("relays awareness per turn: 30 stock clients moving cursors see each other's latest states and removals, in fewer messages than moves (S28)", async () => {
    const CLIENTS = 30
    const MOVES = 5
    const LEAVING = 10
    const token = await adminToken(server)
    const clients = Array.from({ length: CLIENTS }, () => connect(server, DOC, token))
    const received = clients.map(awarenessMessages)
    await Promise.all(clients.map((client) => client.synced))
    const ids = clients.map((client) => client.doc.clientID)
    const showsLatest = (client: TestClient, move: number) =>
      ids.every((id) => JSON.stringify(seen(client, id)?.cursor) === JSON.stringify(caretCursor(move)))
    clients.forEach((client) => client.provider.awareness.setLocalStateField('cursor', caretCursor(0)))
    await waitFor(() => clients.every((client) => showsLatest(client, 0)), 'every client to see every first cursor')

    for (const counter of received) counter.count = 0
    // Each move is its own message from its own socket; the server reads many of them per turn.
    for (let move = 1; move <= MOVES; move++) {
      for (const client of clients) client.provider.awareness.setLocalStateField('cursor', caretCursor(move))
    }
    await waitFor(() => clients.every((client) => showsLatest(client, MOVES)), "every client to see everyone's last cursor")
    // Relayed one by one, each client would get one message per move of anyone (its own echo included).
    const counts = received.map((counter) => counter.count).sort((a, b) => a - b)
    console.log(`awareness messages per client for ${CLIENTS * MOVES} moves: median ${counts[CLIENTS >> 1]}, max ${counts.at(-1)}`)
    expect(counts.at(-1)).toBeLessThan(CLIENTS * MOVES)

    const leaving = clients.slice(0, LEAVING)
    const staying = clients.slice(LEAVING)
    for (const client of leaving) client.destroy()
    await waitFor(
      () =>
        staying.every(
          (client) =>
            ids.slice(0, LEAVING).every((id) => seen(client, id) === undefined) &&
            ids.slice(LEAVING).every((id) => JSON.stringify(seen(client, id)?.cursor) === JSON.stringify(caretCursor(MOVES))),
        ),
      'the others to see the leavers gone and the stayers unchanged',
    )
    for (const client of staying) client.destroy()
  })
})
