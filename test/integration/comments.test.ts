import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import * as decoding from 'lib0/decoding'
import type { User } from '../../shared/accounts.js'
import type { Anchor, Thread } from '../../shared/comments.js'
import { MAX_COMMENT_LENGTH } from '../../shared/comments.js'
import { positionToRelative, resolveAnchor, type AnchorState } from '../../shared/anchors.js'
import { numberDocument } from '../../shared/model/numbering.js'
import { FRAGMENT, toProsemirror } from '../../shared/model/ydoc.js'
import { encodeSyncStep1, messageStored, messageSync, messageThread } from '../../shared/protocol/messages.js'
import { startServer, type TestServer } from '../harness/server.js'
import {
  adminPerson,
  api,
  connect,
  createAccount,
  openRaw,
  permissionDenials,
  roundTrip,
  waitFor,
  type Person,
  type RawSocket,
  type TestClient,
} from '../harness/clients.js'
import { ayatText, insertPasalAfter, pasal, pasalElements } from '../harness/document.js'

/** Issue 4 against the real server: comment threads over HTTP, pushed live over the document socket. */

const DOC = 'rapergub-spbe'
const THREADS = `/api/docs/${DOC}/threads`

const idOf = (element: Y.XmlElement) => element.getAttribute('id') as string

/** Opens a thread; fails the test unless the server accepted it. */
async function openThread(server: TestServer, who: Person, anchor: Anchor, text: string): Promise<Thread> {
  const response = await api<Thread>(server, 'POST', THREADS, { token: who.token, body: { anchor, text } })
  expect(response.status, JSON.stringify(response.body)).toBe(201)
  return response.body
}

async function listThreads(server: TestServer, token: string): Promise<Thread[]> {
  const response = await api<Thread[]>(server, 'GET', THREADS, { token })
  expect(response.status).toBe(200)
  return response.body
}

async function threadById(server: TestServer, token: string, id: string): Promise<Thread> {
  const thread = (await listThreads(server, token)).find((t) => t.id === id)
  if (!thread) throw new Error(`thread ${id} is not listed`)
  return thread
}

const reply = (server: TestServer, who: Person, threadId: string, text: string) =>
  api<Thread>(server, 'POST', `${THREADS}/${threadId}/messages`, { token: who.token, body: { text } })

/** Where `anchor` hangs in the document as `client` has it now. */
function anchorIn(client: TestClient, anchor: Anchor): AnchorState {
  const pm = toProsemirror(client.doc)
  return resolveAnchor(anchor, pm, numberDocument(pm), client.doc, client.doc.getXmlFragment(FRAGMENT))
}

const labelIn = (client: TestClient, anchor: Anchor) => {
  const state = anchorIn(client, anchor)
  return state.status === 'attached' ? state.pasalLabel : null
}

/** The threads pushed (message 102) to a stock client; it opts in to the extensions by a round trip. */
function threadPushes(client: TestClient): Thread[] {
  const pushes: Thread[] = []
  client.provider.messageHandlers[messageThread] = (_encoder, decoder) => {
    pushes.push(JSON.parse(decoding.readVarString(decoder)) as Thread)
  }
  return pushes
}

/**
 * A stock client whose pushes are recorded: once a round trip has opted it in, the server pushes
 * threads to it, and the stock provider would log every message type it does not know.
 */
function client(server: TestServer, token: string): TestClient {
  const c = connect(server, DOC, token)
  threadPushes(c)
  return c
}

/** The threads a raw socket received as message 102, in order. */
function rawThreadPushes(raw: RawSocket): Thread[] {
  return raw.messages
    .filter((m) => m[0] === messageThread)
    .map((m) => {
      const decoder = decoding.createDecoder(m)
      decoding.readVarUint(decoder)
      return JSON.parse(decoding.readVarString(decoder)) as Thread
    })
}

/** Message 100 on a raw socket: "tell me once everything before this is stored", which also opts in. */
function storedRequest(raw: RawSocket, request: number): Promise<void> {
  raw.send(new Uint8Array([messageStored, request]))
  return waitFor(() => raw.messages.some((m) => m[0] === messageStored && m[1] === request), `the answer to stored request ${request}`)
}

/**
 * A barrier on a raw socket that does NOT opt in to the extensions: a SyncStep1, answered by the
 * server with a SyncStep2 on the same connection, after anything it had sent before.
 */
async function syncBarrier(raw: RawSocket) {
  const answersBefore = raw.messages.filter((m) => m[0] === messageSync && m[1] === 1).length
  raw.send(encodeSyncStep1(Y.encodeStateVector(new Y.Doc())))
  await waitFor(() => raw.messages.filter((m) => m[0] === messageSync && m[1] === 1).length > answersBefore, 'the SyncStep2 answer')
}

describe('comment threads over the HTTP API', () => {
  let server: TestServer
  let admin: Person
  let alice: Person
  let bayu: Person
  let editor: Person
  let viewer: Person
  /** An admin's stock client: it reads pasal ids and sees what is relayed. */
  let observer: TestClient
  /** Pasal ids by the number they had at the start. */
  let pasalIds: string[]

  beforeAll(async () => {
    server = await startServer()
    admin = await adminPerson(server)
    const [a, b, e, v] = await Promise.all([
      createAccount(server, 'commenter', 'Biro Hukum'),
      createAccount(server, 'commenter', 'Bidang Persandian'),
      createAccount(server, 'editor', 'Bidang Aplikasi Informatika'),
      createAccount(server, 'viewer', 'Inspektorat'),
    ])
    alice = a
    bayu = b
    editor = e
    viewer = v
    observer = client(server, admin.token)
    await observer.synced
    pasalIds = pasalElements(observer.doc).map(idOf)
  })
  afterAll(async () => {
    observer?.destroy()
    await server?.dispose()
  })

  const pasalId = (number: number) => pasalIds[number - 1]!

  it('a commenter opens a thread on a pasal: the answer records the pasal label, a snippet and the first message, and the list has it', async () => {
    const thread = await openThread(server, alice, { pasalId: pasalId(14) }, 'Mohon rujukan ke Perpres 95/2018 ditambahkan.')
    expect(thread).toMatchObject({
      docId: DOC,
      anchor: { pasalId: pasalId(14) },
      origin: { pasalLabel: 'Pasal 14' },
      status: 'open',
      messages: [
        {
          text: 'Mohon rujukan ke Perpres 95/2018 ditambahkan.',
          author: { username: alice.user.username, name: alice.user.name, bidang: 'Biro Hukum' },
        },
      ],
    })
    const pasal14Text = ayatText(pasal(observer.doc, 14)).toString()
    expect(pasal14Text.startsWith(thread.origin.quote.replace(/…$/, '').slice(0, 30))).toBe(true)
    expect(Date.parse(thread.createdAt)).not.toBeNaN()
    expect(thread.messages[0]!.editedAt).toBeUndefined()

    const listed = await listThreads(server, viewer.token)
    expect(listed.find((t) => t.id === thread.id)).toEqual(thread)
  })

  it('keeps both replies of two people replying at the same moment, in one stable order, every time (S9)', async () => {
    const thread = await openThread(server, alice, { pasalId: pasalId(3) }, 'Perlu dibahas bersama.')
    const sent: string[] = []
    for (let round = 0; round < 5; round++) {
      const fromAlice = `Balasan Alice ${round}`
      const fromBayu = `Balasan Bayu ${round}`
      const [a, b] = await Promise.all([reply(server, alice, thread.id, fromAlice), reply(server, bayu, thread.id, fromBayu)])
      expect([a.status, b.status]).toEqual([201, 201])
      sent.push(fromAlice, fromBayu)
      // Whichever was stored second answers with both, in the order the thread keeps from now on.
      const later = a.body.messages.length > b.body.messages.length ? a.body : b.body
      const earlier = later === a.body ? b.body : a.body
      expect(later.messages.length).toBe(earlier.messages.length + 1)
      expect(later.messages.slice(0, -1)).toEqual(earlier.messages)
      const stored = await threadById(server, viewer.token, thread.id)
      expect(stored.messages).toEqual(later.messages)
    }
    const final = await threadById(server, viewer.token, thread.id)
    const texts = final.messages.map((m) => m.text)
    expect(texts).toHaveLength(1 + sent.length)
    expect(new Set(texts)).toEqual(new Set(['Perlu dibahas bersama.', ...sent]))
    // Each round's pair is kept together after the previous round's; times never go backwards.
    for (let round = 0; round < 5; round++) {
      expect(new Set(texts.slice(1 + 2 * round, 3 + 2 * round))).toEqual(new Set([`Balasan Alice ${round}`, `Balasan Bayu ${round}`]))
    }
    const times = final.messages.map((m) => m.createdAt)
    expect([...times].sort()).toEqual(times)
    expect(new Set(final.messages.map((m) => m.id)).size).toBe(final.messages.length)
    // Reading again gives the same order.
    expect((await threadById(server, alice.token, thread.id)).messages).toEqual(final.messages)
  })

  it('marks an edited message with editedAt and keeps the other messages as they were', async () => {
    const thread = await openThread(server, alice, { pasalId: pasalId(4) }, 'Ketik pertama.')
    const replied = (await reply(server, bayu, thread.id, 'Setuju.')).body
    const first = thread.messages[0]!

    const edited = await api<Thread>(server, 'PATCH', `${THREADS}/${thread.id}/messages/${first.id}`, {
      token: alice.token,
      body: { text: 'Ketik kedua, sudah diperbaiki.' },
    })
    expect(edited.status).toBe(200)
    const message = edited.body.messages[0]!
    expect(message.text).toBe('Ketik kedua, sudah diperbaiki.')
    expect(message.createdAt).toBe(first.createdAt)
    expect(Date.parse(message.editedAt!)).toBeGreaterThanOrEqual(Date.parse(first.createdAt))
    expect(edited.body.messages[1]).toEqual(replied.messages[1])
    expect((await threadById(server, viewer.token, thread.id)).messages[0]).toEqual(message)
  })

  it('lets only the author or an admin edit or delete a message; a deletion leaves a "deleted" tombstone in its place (S9)', async () => {
    const thread = await openThread(server, alice, { pasalId: pasalId(5) }, 'Pesan milik Alice.')
    const second = (await reply(server, bayu, thread.id, 'Pesan milik Bayu.')).body.messages[1]!
    const first = thread.messages[0]!
    const messageUrl = (id: string) => `${THREADS}/${thread.id}/messages/${id}`

    for (const other of [bayu, editor]) {
      const edit = await api<{ error: string }>(server, 'PATCH', messageUrl(first.id), { token: other.token, body: { text: 'Diubah orang lain.' } })
      expect(edit.status).toBe(403)
      expect(edit.body.error).toEqual(expect.any(String))
      expect((await api(server, 'DELETE', messageUrl(first.id), { token: other.token })).status).toBe(403)
    }
    expect((await threadById(server, viewer.token, thread.id)).messages[0]).toEqual(first)

    const byAdmin = await api<Thread>(server, 'PATCH', messageUrl(second.id), { token: admin.token, body: { text: 'Dirapikan admin.' } })
    expect(byAdmin.status).toBe(200)
    expect(byAdmin.body.messages[1]).toMatchObject({ text: 'Dirapikan admin.', author: { username: bayu.user.username } })
    expect(byAdmin.body.messages[1]!.editedAt).toBeDefined()

    const deleted = await api<Thread>(server, 'DELETE', messageUrl(first.id), { token: alice.token })
    expect(deleted.status).toBe(200)
    expect(deleted.body.messages).toHaveLength(2)
    expect(deleted.body.messages[0]).toMatchObject({ id: first.id, deleted: true, text: '', author: { username: alice.user.username } })

    const byAdminDelete = await api<Thread>(server, 'DELETE', messageUrl(second.id), { token: admin.token })
    expect(byAdminDelete.status).toBe(200)
    const listed = await threadById(server, viewer.token, thread.id)
    expect(listed.messages.map((m) => [m.id, m.deleted, m.text])).toEqual([
      [first.id, true, ''],
      [second.id, true, ''],
    ])
    // A tombstone can no longer be edited.
    expect((await api(server, 'PATCH', messageUrl(first.id), { token: alice.token, body: { text: 'Hidup lagi?' } })).status).toBe(409)
    expect((await api(server, 'PATCH', messageUrl('takada'), { token: alice.token, body: { text: 'x' } })).status).toBe(404)
  })

  it('ties a message to its account, not its username: an account re-created under the old username cannot edit or delete it', async () => {
    const { user, password, token } = await createAccount(server, 'commenter', 'Biro Hukum', admin.token)
    const thread = await openThread(server, { token, user }, { pasalId: pasalId(6) }, 'Pesan dari akun pertama.')
    const first = thread.messages[0]!
    expect(first.author).toEqual({ id: user.id, username: user.username, name: user.name, bidang: 'Biro Hukum' })

    expect((await api(server, 'DELETE', `/api/users/${user.username}`, { token: admin.token })).status).toBe(204)
    const again = await api<User>(server, 'POST', '/api/users', {
      token: admin.token,
      body: { username: user.username, name: user.name, bidang: 'Biro Hukum', role: 'commenter', password },
    })
    expect(again.status).toBe(201)
    expect(again.body.id).not.toBe(user.id)
    const impostor = (await api<{ token: string }>(server, 'POST', '/api/login', { body: { username: user.username, password } })).body.token

    const messageUrl = `${THREADS}/${thread.id}/messages/${first.id}`
    expect((await api(server, 'PATCH', messageUrl, { token: impostor, body: { text: 'Diubah akun baru.' } })).status).toBe(403)
    expect((await api(server, 'DELETE', messageUrl, { token: impostor })).status).toBe(403)
    expect((await threadById(server, admin.token, thread.id)).messages[0]).toEqual(first)
    // Its own new message is its own.
    const mine = (await reply(server, { token: impostor, user: again.body }, thread.id, 'Pesan akun baru.')).body.messages[1]!
    expect(mine.author.id).toBe(again.body.id)
    expect(
      (await api(server, 'PATCH', `${THREADS}/${thread.id}/messages/${mine.id}`, { token: impostor, body: { text: 'Dirapikan.' } })).status,
    ).toBe(200)
  })

  it('records who resolved a thread and when, and reopening clears it', async () => {
    const thread = await openThread(server, alice, { pasalId: pasalId(6) }, 'Apakah frasa ini baku?')
    const resolved = await api<Thread>(server, 'POST', `${THREADS}/${thread.id}/resolve`, { token: bayu.token })
    expect(resolved.status).toBe(200)
    expect(resolved.body).toMatchObject({
      status: 'resolved',
      resolvedBy: { username: bayu.user.username, name: bayu.user.name, bidang: 'Bidang Persandian' },
    })
    expect(Date.parse(resolved.body.resolvedAt!)).toBeGreaterThanOrEqual(Date.parse(thread.createdAt))
    expect(await threadById(server, viewer.token, thread.id)).toEqual(resolved.body)

    const reopened = await api<Thread>(server, 'POST', `${THREADS}/${thread.id}/reopen`, { token: alice.token })
    expect(reopened.status).toBe(200)
    expect(reopened.body.status).toBe('open')
    expect(reopened.body.resolvedBy).toBeUndefined()
    expect(reopened.body.resolvedAt).toBeUndefined()
    expect(reopened.body.messages).toEqual(thread.messages)
    expect((await threadById(server, viewer.token, thread.id)).status).toBe('open')
  })

  it('lets a viewer list threads but refuses with 403 every change a viewer tries', async () => {
    const thread = await openThread(server, alice, { pasalId: pasalId(7) }, 'Komentar untuk diuji pembaca.')
    const message = thread.messages[0]!
    expect((await listThreads(server, viewer.token)).some((t) => t.id === thread.id)).toBe(true)

    const attempts: Array<[string, string, unknown]> = [
      ['POST', THREADS, { anchor: { pasalId: pasalId(7) }, text: 'Pembaca mencoba berkomentar.' }],
      ['POST', `${THREADS}/${thread.id}/messages`, { text: 'Pembaca mencoba membalas.' }],
      ['PATCH', `${THREADS}/${thread.id}/messages/${message.id}`, { text: 'Pembaca mencoba mengubah.' }],
      ['DELETE', `${THREADS}/${thread.id}/messages/${message.id}`, undefined],
      ['POST', `${THREADS}/${thread.id}/resolve`, undefined],
      ['PATCH', `${THREADS}/${thread.id}`, { anchor: { pasalId: pasalId(8) } }],
    ]
    for (const [method, path, body] of attempts) {
      const response = await api<{ error: string }>(server, method, path, { token: viewer.token, body })
      expect(response.status, `${method} ${path}`).toBe(403)
      expect(response.body.error).toEqual(expect.any(String))
    }
    const after = await threadById(server, viewer.token, thread.id)
    expect(after).toEqual(thread)
    expect((await listThreads(server, viewer.token)).filter((t) => t.anchor.pasalId === pasalId(7))).toHaveLength(1)
  })

  it('refuses unsigned requests with 401 and an unknown document with 404', async () => {
    expect((await api(server, 'GET', THREADS)).status).toBe(401)
    expect((await api(server, 'POST', THREADS, { body: { anchor: { pasalId: pasalId(1) }, text: 'tanpa token' } })).status).toBe(401)
    expect((await api(server, 'GET', '/api/docs/tidak-ada/threads', { token: alice.token })).status).toBe(404)
    const create = await api(server, 'POST', '/api/docs/tidak-ada/threads', {
      token: alice.token,
      body: { anchor: { pasalId: pasalId(1) }, text: 'Dokumen apa?' },
    })
    expect(create.status).toBe(404)
    expect((await api(server, 'POST', `${THREADS}/takada/messages`, { token: alice.token, body: { text: 'Utas apa?' } })).status).toBe(404)
  })

  it('refuses with 400 a malformed anchor, an empty or oversized text, and a pasal id the document does not have', async () => {
    const valid = positionToRelative(observer.doc.getXmlFragment(FRAGMENT), toProsemirror(observer.doc), firstTextPosition(observer), 0)!
    const bad: Array<[string, unknown]> = [
      ['no anchor', { text: 'Tanpa jangkar.' }],
      ['anchor not an object', { anchor: 'pasal-1', text: 'x' }],
      ['pasalId missing', { anchor: {}, text: 'x' }],
      ['pasalId not a string', { anchor: { pasalId: 12 }, text: 'x' }],
      ['pasalId with markup', { anchor: { pasalId: '<b>x</b>' }, text: 'x' }],
      ['range positions not decodable', { anchor: { pasalId: pasalId(1), range: { from: 'bukan', to: 'posisi', quote: 'x' } }, text: 'x' }],
      ['range without quote', { anchor: { pasalId: pasalId(1), range: { from: valid, to: valid } }, text: 'x' }],
      ['range with an empty quote', { anchor: { pasalId: pasalId(1), range: { from: valid, to: valid, quote: '  ' } }, text: 'x' }],
      ['range with an oversized quote', { anchor: { pasalId: pasalId(1), range: { from: valid, to: valid, quote: 'k'.repeat(501) } }, text: 'x' }],
      ['text missing', { anchor: { pasalId: pasalId(1) } }],
      ['text empty', { anchor: { pasalId: pasalId(1) }, text: '' }],
      ['text only whitespace', { anchor: { pasalId: pasalId(1) }, text: ' \n\t ' }],
      ['text not a string', { anchor: { pasalId: pasalId(1) }, text: 42 }],
      ['text oversized', { anchor: { pasalId: pasalId(1) }, text: 'a'.repeat(MAX_COMMENT_LENGTH + 1) }],
      ['pasal id not in the document', { anchor: { pasalId: 'takadapasalini' }, text: 'Pasal fiktif.' }],
    ]
    for (const [what, body] of bad) {
      const response = await api<{ error: string }>(server, 'POST', THREADS, { token: alice.token, body })
      expect(response.status, what).toBe(400)
      expect(response.body.error, what).toEqual(expect.any(String))
    }
    expect((await api(server, 'POST', THREADS, { token: alice.token, body: '{"anchor":' })).status).toBe(400)

    const thread = await openThread(server, alice, { pasalId: pasalId(9) }, 'Pas batas.')
    expect((await reply(server, alice, thread.id, '   ')).status).toBe(400)
    expect((await reply(server, alice, thread.id, 'b'.repeat(MAX_COMMENT_LENGTH + 1))).status).toBe(400)
    expect((await reply(server, alice, thread.id, 'c'.repeat(MAX_COMMENT_LENGTH))).status).toBe(201)
    expect((await threadById(server, viewer.token, thread.id)).messages).toHaveLength(2)
    expect((await listThreads(server, viewer.token)).some((t) => t.anchor.pasalId === 'takadapasalini')).toBe(false)
  })

  it("lets a commenter comment, while the server still drops the commenter's text writes and tells it so", async () => {
    const writer = client(server, alice.token)
    const denials = permissionDenials(writer)
    await writer.synced
    const marker = 'KOMENTATOR-MENULIS '
    ayatText(pasal(writer.doc, 10)).insert(0, marker)
    await roundTrip(writer)
    await roundTrip(observer)
    expect(ayatText(pasal(observer.doc, 10)).toString()).not.toContain(marker)
    expect(denials.length).toBeGreaterThan(0)

    const thread = await openThread(server, alice, { pasalId: pasalId(10) }, 'Komentar tetap boleh.')
    expect(thread.messages[0]!.author.username).toBe(alice.user.username)
    // A client joining now gets the server's text, without the write.
    const late = client(server, admin.token)
    await late.synced
    expect(ayatText(pasal(late.doc, 10)).toString()).not.toContain(marker)
    late.destroy()
    writer.destroy()
  })

  it('pushes every change of a thread as message 102 to connections that sent message 100, and to no other', async () => {
    const optedIn = openRaw(server, DOC, viewer.token)
    const silent = openRaw(server, DOC, viewer.token)
    const stock = client(server, bayu.token)
    const stockPushes = threadPushes(stock)
    await Promise.all([optedIn.opened, silent.opened, stock.synced])
    await storedRequest(optedIn, 1)
    await roundTrip(stock)

    const thread = await openThread(server, alice, { pasalId: pasalId(11) }, 'Dibuka, lalu dibalas.')
    const replied = (await reply(server, bayu, thread.id, 'Balasan yang didorong.')).body
    const resolved = (await api<Thread>(server, 'POST', `${THREADS}/${thread.id}/resolve`, { token: alice.token })).body

    const forThread = (pushes: Thread[]) => pushes.filter((t) => t.id === thread.id)
    await waitFor(() => forThread(rawThreadPushes(optedIn)).length === 3, 'three pushes on the raw socket')
    await waitFor(() => forThread(stockPushes).length === 3, 'three pushes on the stock client')
    for (const pushes of [forThread(rawThreadPushes(optedIn)), forThread(stockPushes)]) {
      expect(pushes).toEqual([thread, replied, resolved])
    }
    // The reply pushed carries the whole thread, the new message last.
    expect(replied.messages.at(-1)).toMatchObject({ text: 'Balasan yang didorong.', author: { username: bayu.user.username } })

    // The socket that never sent message 100 got none of them (the barrier answers after anything sent before).
    await syncBarrier(silent)
    expect(rawThreadPushes(silent)).toEqual([])
    optedIn.ws.close()
    silent.ws.close()
    stock.destroy()
  })

  it("keeps each draft's threads to itself: another draft's address cannot reach them and its sockets get no pushes", async () => {
    const created = await api<{ id: string }>(server, 'POST', '/api/docs', { token: admin.token, body: { nama: 'Uji Pemisahan Komentar' } })
    expect(created.status).toBe(201)
    const otherDoc = created.body.id
    const otherThreads = `/api/docs/${otherDoc}/threads`
    const here = openRaw(server, DOC, viewer.token)
    const there = openRaw(server, otherDoc, viewer.token)
    await Promise.all([here.opened, there.opened])
    await Promise.all([storedRequest(here, 1), storedRequest(there, 1)])

    const thread = await openThread(server, alice, { pasalId: pasalId(12) }, 'Hanya untuk rancangan ini.')
    expect(
      (await api(server, 'POST', `${otherThreads}/${thread.id}/messages`, { token: bayu.token, body: { text: 'Lewat pintu lain.' } })).status,
    ).toBe(404)
    expect((await api(server, 'POST', `${otherThreads}/${thread.id}/resolve`, { token: bayu.token })).status).toBe(404)
    expect(
      (
        await api(server, 'POST', otherThreads, {
          token: bayu.token,
          body: { anchor: { pasalId: pasalId(12) }, text: 'Pasal milik rancangan lain.' },
        })
      ).status,
    ).toBe(400)
    const listed = await api<Thread[]>(server, 'GET', otherThreads, { token: viewer.token })
    expect(listed.status).toBe(200)
    expect(listed.body).toEqual([])

    await waitFor(() => rawThreadPushes(here).some((t) => t.id === thread.id), 'the push on the same draft')
    await storedRequest(there, 2)
    expect(rawThreadPushes(there)).toEqual([])
    expect(await threadById(server, viewer.token, thread.id)).toEqual(thread)
    here.ws.close()
    there.ws.close()
  })

  it('keeps a thread on its pasal across an insertion before it: the label becomes Pasal 15 while the origin label stays Pasal 14', async () => {
    const writer = client(server, editor.token)
    await writer.synced
    const target = idOf(pasal(writer.doc, 14))
    const thread = await openThread(server, alice, { pasalId: target }, 'Komentar pada Pasal 14 sebelum penyisipan.')
    expect(thread.origin.pasalLabel).toBe('Pasal 14')
    expect(labelIn(observer, thread.anchor)).toBe('Pasal 14')

    insertPasalAfter(pasal(writer.doc, 2), 'pasalsisipan01', 'Pasal sisipan dari uji komentar.')
    await roundTrip(writer)
    await waitFor(() => labelIn(observer, thread.anchor) === 'Pasal 15', 'the observer to renumber the pasal')

    for (const replica of [writer, observer]) {
      const state = anchorIn(replica, thread.anchor)
      expect(state).toMatchObject({ status: 'attached', pasalLabel: 'Pasal 15' })
      const pm = toProsemirror(replica.doc)
      expect(state.status === 'attached' && pm.nodeAt(state.pasalPos)!.attrs.id).toBe(target)
    }
    const listed = await threadById(server, viewer.token, thread.id)
    expect(listed.anchor).toEqual({ pasalId: target })
    expect(listed.origin.pasalLabel).toBe('Pasal 14')
    // A thread opened now records the new number.
    expect((await openThread(server, bayu, { pasalId: target }, 'Sesudah penyisipan.')).origin.pasalLabel).toBe('Pasal 15')
    writer.destroy()
  })

  it('keeps a phrase thread on its pasal and phrase when the pasal is moved up and text is typed before the phrase', async () => {
    const writer = client(server, editor.token)
    const other = client(server, admin.token)
    await Promise.all([writer.synced, other.synced])
    const number = movablePasal(writer.doc, 16)
    const element = pasal(writer.doc, number)
    const phrase = ayatText(element).toString().split(' ').slice(3, 6).join(' ')
    const anchor = phraseAnchor(writer, idOf(element), phrase)
    const thread = await openThread(server, alice, anchor, 'Frasa ini perlu definisi.')
    expect(thread.origin).toEqual({ pasalLabel: `Pasal ${number}`, quote: phrase })

    // Another editor types before the phrase; then the pasal is moved above its predecessor, the
    // way the editor moves it (deleted and inserted again with the same id); then more typing.
    ayatText(pasal(other.doc, number)).insert(0, 'Sesuai ketentuan, ')
    await roundTrip(other)
    await waitFor(() => ayatText(pasal(writer.doc, number)).toString().startsWith('Sesuai ketentuan, '), 'the writer to see the typing')
    movePasalUp(writer.doc, number)
    await roundTrip(writer)
    await waitFor(() => labelIn(other, anchor) === `Pasal ${number - 1}`, 'the other editor to see the move')
    ayatText(pasal(other.doc, number - 1)).insert(0, 'Pertama, ')
    await roundTrip(other)
    await waitFor(
      () =>
        ayatText(pasal(observer.doc, number - 1))
          .toString()
          .startsWith('Pertama, Sesuai ketentuan, '),
      'the observer to see it all',
    )

    for (const replica of [writer, other, observer]) {
      await waitFor(
        () =>
          ayatText(pasal(replica.doc, number - 1))
            .toString()
            .startsWith('Pertama, '),
        'every client to converge',
      )
      const state = anchorIn(replica, anchor)
      expect(state).toMatchObject({ status: 'attached', pasalLabel: `Pasal ${number - 1}` })
      const pm = toProsemirror(replica.doc)
      expect(state.status === 'attached' && state.range && pm.textBetween(state.range.from, state.range.to)).toBe(phrase)
    }
    expect((await threadById(server, viewer.token, thread.id)).anchor).toEqual(anchor)
    writer.destroy()
    other.destroy()
  })

  it('orphans a thread when its pasal is deleted (still listed, resolveAnchor says orphaned) and re-attaches it to another pasal on request (S9)', async () => {
    const writer = client(server, editor.token)
    await writer.synced
    const doomed = pasal(writer.doc, 25)
    const doomedId = idOf(doomed)
    const rescue = idOf(pasal(writer.doc, 26))
    const thread = await openThread(server, alice, { pasalId: doomedId }, 'Pasal ini akan dihapus.')

    const parent = doomed.parent as Y.XmlElement
    parent.delete(parent.toArray().indexOf(doomed), 1)
    await roundTrip(writer)
    await waitFor(() => anchorIn(observer, thread.anchor).status === 'orphaned', 'the observer to see the deletion')

    expect(anchorIn(observer, thread.anchor)).toEqual({ status: 'orphaned', reason: 'pasal-deleted' })
    expect(await threadById(server, viewer.token, thread.id)).toEqual(thread)
    // Nothing new can be opened on a pasal that is gone; the orphan still takes replies.
    expect((await api(server, 'POST', THREADS, { token: bayu.token, body: { anchor: { pasalId: doomedId }, text: 'Terlambat.' } })).status).toBe(400)
    expect((await reply(server, bayu, thread.id, 'Pasalnya sudah dihapus.')).status).toBe(201)

    const refused = await api(server, 'PATCH', `${THREADS}/${thread.id}`, { token: bayu.token, body: { anchor: { pasalId: doomedId } } })
    expect(refused.status).toBe(400)
    const moved = await api<Thread>(server, 'PATCH', `${THREADS}/${thread.id}`, { token: bayu.token, body: { anchor: { pasalId: rescue } } })
    expect(moved.status).toBe(200)
    expect(moved.body.anchor).toEqual({ pasalId: rescue })
    expect(moved.body.origin.pasalLabel).toBe(thread.origin.pasalLabel)
    expect(moved.body.messages.map((m) => m.text)).toEqual(['Pasal ini akan dihapus.', 'Pasalnya sudah dihapus.'])
    expect(anchorIn(observer, moved.body.anchor)).toMatchObject({ status: 'attached', pasalLabel: labelIn(observer, { pasalId: rescue }) })
    expect((await threadById(server, viewer.token, thread.id)).anchor).toEqual({ pasalId: rescue })
    writer.destroy()
  })

  it('never deletes a thread when a version is restored: a thread on a pasal the version lacks is orphaned, and restoring back re-attaches it (S9)', async () => {
    const version = await api<{ id: string }>(server, 'POST', `/api/docs/${DOC}/snapshots`, {
      token: admin.token,
      body: { name: 'Sebelum pasal baru' },
    })
    expect(version.status).toBe(201)
    const writer = client(server, editor.token)
    await writer.synced
    insertPasalAfter(pasal(writer.doc, 1), 'pasalbarupulih', 'Pasal baru yang akan hilang saat pemulihan.')
    await roundTrip(writer)
    await waitFor(() => labelIn(observer, { pasalId: 'pasalbarupulih' }) === 'Pasal 2', 'the observer to see the new pasal')
    const onNew = await openThread(server, alice, { pasalId: 'pasalbarupulih' }, 'Komentar pada pasal baru.')
    const onOld = await openThread(server, alice, { pasalId: pasalId(4) }, 'Komentar pada pasal lama.')
    const before = await listThreads(server, viewer.token)

    const restored = await api<{ before: { id: string } }>(server, 'POST', `/api/docs/${DOC}/snapshots/${version.body.id}/restore`, {
      token: admin.token,
    })
    expect(restored.status).toBe(200)
    await waitFor(() => anchorIn(observer, onNew.anchor).status === 'orphaned', 'the restore to reach the observer')

    expect(await listThreads(server, viewer.token)).toEqual(before)
    expect(anchorIn(observer, onNew.anchor)).toEqual({ status: 'orphaned', reason: 'pasal-deleted' })
    expect(anchorIn(observer, onOld.anchor).status).toBe('attached')

    // Restoring the automatic version taken before the restore brings the pasal, and the thread, back.
    expect((await api(server, 'POST', `/api/docs/${DOC}/snapshots/${restored.body.before.id}/restore`, { token: admin.token })).status).toBe(200)
    await waitFor(() => anchorIn(observer, onNew.anchor).status === 'attached', 'the second restore to reach the observer')
    expect(labelIn(observer, onNew.anchor)).toBe('Pasal 2')
    expect(await listThreads(server, viewer.token)).toEqual(before)
    writer.destroy()
  })
})

describe('comment threads are durable', () => {
  let server: TestServer
  let alice: Person
  let bayu: Person

  beforeAll(async () => {
    server = await startServer()
    ;[alice, bayu] = await Promise.all([createAccount(server, 'commenter', 'Biro Hukum'), createAccount(server, 'commenter', 'Bidang Persandian')])
  })
  afterAll(async () => {
    await server?.dispose()
  })

  async function somePasalId(): Promise<string> {
    const reader = client(server, alice.token)
    await reader.synced
    const id = idOf(pasal(reader.doc, 2))
    reader.destroy()
    return id
  }

  it('keeps every thread, reply, edit and resolution across a SIGTERM and restart (S9)', async () => {
    const thread = await openThread(server, alice, { pasalId: await somePasalId() }, 'Sebelum berhenti.')
    await reply(server, bayu, thread.id, 'Balasan sebelum berhenti.')
    await api(server, 'PATCH', `${THREADS}/${thread.id}/messages/${thread.messages[0]!.id}`, {
      token: alice.token,
      body: { text: 'Diubah sebelum berhenti.' },
    })
    const resolved = (await api<Thread>(server, 'POST', `${THREADS}/${thread.id}/resolve`, { token: bayu.token })).body
    const before = await listThreads(server, alice.token)

    expect(await server.stop()).toBe(0)
    server = await server.restart()

    expect(await listThreads(server, alice.token)).toEqual(before)
    expect(await threadById(server, alice.token, thread.id)).toEqual(resolved)
  })

  it('keeps a reply the server answered for, across a kill -9 and restart (S9)', async () => {
    const thread = await openThread(server, alice, { pasalId: await somePasalId() }, 'Sebelum mogok.')
    const answered = await reply(server, bayu, thread.id, 'Balasan tepat sebelum mogok.')
    expect(answered.status).toBe(201)

    await server.kill()
    server = await server.restart()

    expect(await threadById(server, alice.token, thread.id)).toEqual(answered.body)
  })
})

/** The first pasal numbered `from` or later that shares its parent with the pasal before it. */
function movablePasal(doc: Y.Doc, from: number): number {
  const all = pasalElements(doc)
  for (let number = from; number <= all.length; number++) if (all[number - 1]!.parent === all[number - 2]!.parent) return number
  throw new Error('no pasal to move')
}

/** A position inside the first text block of Pasal 1, to build a decodable relative position. */
function firstTextPosition(client: TestClient): number {
  const pm = toProsemirror(client.doc)
  const label = numberDocument(pm).labels.find((l) => l.kind === 'pasal')!
  // pasal > ayat > teks > text
  return label.pos + 3
}

/** The anchor the editor makes when `phrase` is selected inside the pasal with id `pasalId`. */
function phraseAnchor(client: TestClient, pasalId: string, phrase: string): Anchor {
  const pm = toProsemirror(client.doc)
  const label = numberDocument(pm).byId.get(pasalId)!
  const node = pm.nodeAt(label.pos)!
  let range: { from: number; to: number } | null = null
  node.descendants((child, offset) => {
    if (range || !child.isTextblock) return !range
    const index = child.textContent.indexOf(phrase)
    if (index >= 0) range = { from: label.pos + 1 + offset + 1 + index, to: label.pos + 1 + offset + 1 + index + phrase.length }
    return false
  })
  if (!range) throw new Error(`"${phrase}" is not in the pasal`)
  const { from, to } = range
  const fragment = client.doc.getXmlFragment(FRAGMENT)
  return { pasalId, range: { from: positionToRelative(fragment, pm, from, 0)!, to: positionToRelative(fragment, pm, to, -1)!, quote: phrase } }
}

/**
 * Moves pasal `number` above its predecessor the way the editor's move does in the Yjs document:
 * the pasal element is deleted and a copy (same id, same text as new items) inserted in its place.
 */
function movePasalUp(doc: Y.Doc, number: number) {
  const element = pasal(doc, number)
  const previous = pasal(doc, number - 1)
  if (element.parent !== previous.parent) throw new Error('the pasal must share its parent with the previous one')
  const parent = element.parent as Y.XmlElement
  doc.transact(() => {
    const copy = element.clone()
    parent.delete(parent.toArray().indexOf(element), 1)
    parent.insert(parent.toArray().indexOf(previous), [copy])
  })
}
