import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import * as decoding from 'lib0/decoding'
import { authorOf, type User } from '../../shared/accounts.js'
import type { StatusRecord } from '../../shared/agreement.js'
import { encodeSyncStep1, messageStatus, messageStored, messageSync } from '../../shared/protocol/messages.js'
import { startServer, type TestServer } from '../harness/server.js'
import { api, connect, meeting, openRaw, roundTrip, waitFor, type Person, type RawSocket, type TestClient } from '../harness/clients.js'
import { ayatText, insertPasalAfter, pasal, pasalElements } from '../harness/document.js'

/** Issue 8 against the real server: agreement per Pasal over HTTP, pushed live, kept across restarts. */

const DOC = 'rapergub-spbe'
const STATUSES = `/api/docs/${DOC}/statuses`

const idOf = (element: Y.XmlElement) => element.getAttribute('id') as string

const setStatus = (server: TestServer, who: Pick<Person, 'token'>, pasalId: string, status: unknown) =>
  api<StatusRecord & { error?: string }>(server, 'PUT', `${STATUSES}/${encodeURIComponent(pasalId)}`, { token: who.token, body: { status } })

async function listStatuses(server: TestServer, token: string): Promise<StatusRecord[]> {
  const response = await api<StatusRecord[]>(server, 'GET', STATUSES, { token })
  expect(response.status, JSON.stringify(response.body)).toBe(200)
  return response.body
}

async function statusOf(server: TestServer, token: string, pasalId: string): Promise<StatusRecord | undefined> {
  return (await listStatuses(server, token)).find((r) => r.pasalId === pasalId)
}

/** The status records pushed (message 103) to a stock client; it opts in to the extensions by a round trip. */
function statusPushes(client: TestClient): StatusRecord[] {
  const pushes: StatusRecord[] = []
  client.provider.messageHandlers[messageStatus] = (_encoder, decoder) => {
    pushes.push(JSON.parse(decoding.readVarString(decoder)) as StatusRecord)
  }
  return pushes
}

/** Status records a raw socket received as message 103. */
const rawStatusPushes = (raw: RawSocket) => raw.messages.filter((m) => m[0] === messageStatus)

/** A barrier on a raw socket that does NOT opt in to the extensions (a SyncStep1, answered in order). */
async function syncBarrier(raw: RawSocket) {
  const answersBefore = raw.messages.filter((m) => m[0] === messageSync && m[1] === 1).length
  raw.send(encodeSyncStep1(Y.encodeStateVector(new Y.Doc())))
  await waitFor(() => raw.messages.filter((m) => m[0] === messageSync && m[1] === 1).length > answersBefore, 'the SyncStep2 answer')
}

describe('agreement per Pasal against the real server', () => {
  let server: TestServer
  let admin: Person
  let rina: Person
  let bayu: Person
  let commenter: Person
  let viewer: Person
  /** Rina's stock client: her text edits, and the pushes a Rancang client receives. */
  let rinaClient: TestClient
  let rinaPushes: StatusRecord[]
  /** Pasal ids by the number they had at the start. */
  let ids: string[]

  beforeAll(async () => {
    server = await startServer()
    ;({ admin, rina, bayu, commenter, viewer } = await meeting(server))
    rinaClient = connect(server, DOC, rina.token)
    rinaPushes = statusPushes(rinaClient)
    await rinaClient.synced
    await roundTrip(rinaClient)
    ids = pasalElements(rinaClient.doc).map(idOf)
    expect(ids).toHaveLength(30)
  })
  afterAll(async () => {
    rinaClient?.destroy()
    await server?.dispose()
  })

  const id = (number: number) => ids[number - 1]!

  it('starts with no recorded status: every Pasal is a Draf', async () => {
    expect(await listStatuses(server, viewer.token)).toEqual([])
  })

  it('an editor sets a Pasal to Disepakati: the answer records who and when, and every role can read it', async () => {
    const before = Date.now()
    const response = await setStatus(server, rina, id(1), 'disepakati')
    expect(response.status, JSON.stringify(response.body)).toBe(200)
    expect(response.body).toMatchObject({
      docId: DOC,
      pasalId: id(1),
      status: 'disepakati',
      history: [{ status: 'disepakati', by: authorOf(rina.user) }],
    })
    const at = Date.parse(response.body.history[0]!.at)
    expect(at).toBeGreaterThanOrEqual(before - 1000)
    expect(at).toBeLessThanOrEqual(Date.now() + 1000)
    for (const who of [admin, rina, commenter, viewer]) expect(await statusOf(server, who.token, id(1))).toEqual(response.body)
  })

  it('an admin may set a status too, and the history keeps each change oldest first', async () => {
    expect((await setStatus(server, rina, id(2), 'dibahas')).status).toBe(200)
    const response = await setStatus(server, admin, id(2), 'disepakati')
    expect(response.status).toBe(200)
    expect(response.body.status).toBe('disepakati')
    expect(response.body.history.map((c) => [c.status, c.by.username])).toEqual([
      ['dibahas', rina.user.username],
      ['disepakati', admin.user.username],
    ])
  })

  it.each(['commenter', 'viewer'] as const)('a %s may not change a status (403), and nothing is recorded', async (role) => {
    const who = role === 'commenter' ? commenter : viewer
    const response = await setStatus(server, who, id(3), 'disepakati')
    expect(response.status).toBe(403)
    expect(typeof response.body.error).toBe('string')
    expect(await statusOf(server, admin.token, id(3))).toBeUndefined()
  })

  it('refuses an invalid status (400), an unknown Pasal (404), an unknown document (404) and a missing token (401)', async () => {
    for (const status of ['selesai', 'Disepakati', '', null, 7]) {
      const response = await setStatus(server, rina, id(3), status)
      expect(response.status, String(status)).toBe(400)
      expect(typeof response.body.error).toBe('string')
    }
    const noBody = await api(server, 'PUT', `${STATUSES}/${id(3)}`, { token: rina.token, body: '[]' })
    expect(noBody.status).toBe(400)
    expect((await setStatus(server, rina, 'tidak-ada-pasal', 'disepakati')).status).toBe(404)
    expect((await api(server, 'GET', '/api/docs/tidak-ada/statuses', { token: rina.token })).status).toBe(404)
    expect((await api(server, 'PUT', `/api/docs/tidak-ada/statuses/${id(3)}`, { token: rina.token, body: { status: 'dibahas' } })).status).toBe(404)
    expect((await api(server, 'GET', STATUSES)).status).toBe(401)
    expect((await api(server, 'PUT', `${STATUSES}/${id(3)}`, { body: { status: 'dibahas' } })).status).toBe(401)
    expect(await statusOf(server, admin.token, id(3))).toBeUndefined()
  })

  it('pushes each changed record as message 103 to a client that sent message 100, and to no other', async () => {
    const raw = openRaw(server, DOC, viewer.token)
    await raw.opened
    await syncBarrier(raw)
    const seen = rinaPushes.length
    const response = await setStatus(server, bayu, id(4), 'dibahas')
    expect(response.status).toBe(200)
    await waitFor(() => rinaPushes.length > seen, 'the status push')
    expect(rinaPushes.slice(seen)).toEqual([response.body])
    // The raw socket never used an extension: after a barrier it still has no status message…
    await syncBarrier(raw)
    expect(rawStatusPushes(raw)).toEqual([])
    // …until it sends message 100; from then on it gets them too.
    raw.send(new Uint8Array([messageStored, 1]))
    await waitFor(() => raw.messages.some((m) => m[0] === messageStored && m[1] === 1), 'the stored answer')
    const next = await setStatus(server, bayu, id(4), 'disepakati')
    await waitFor(() => rawStatusPushes(raw).length === 1, 'the status push on the raw socket')
    const decoder = decoding.createDecoder(rawStatusPushes(raw)[0]!)
    decoding.readVarUint(decoder)
    expect(JSON.parse(decoding.readVarString(decoder))).toEqual(next.body)
    raw.ws.close()
  })

  it('keeps every change when two editors set the same Pasal at the same moment; the status is the later one', async () => {
    const pasalId = id(5)
    let expected = 0
    for (let round = 0; round < 5; round++) {
      const [a, b] = await Promise.all([setStatus(server, rina, pasalId, 'dibahas'), setStatus(server, bayu, pasalId, 'disepakati')])
      expect([a.status, b.status]).toEqual([200, 200])
      expected += 2
      // Whichever was stored second answers with both; the first is a prefix of it.
      const later = a.body.history.length > b.body.history.length ? a.body : b.body
      const earlier = later === a.body ? b.body : a.body
      expect(later.history).toHaveLength(expected)
      expect(earlier.history).toHaveLength(expected - 1)
      expect(later.history.slice(0, -1)).toEqual(earlier.history)
      const stored = await statusOf(server, viewer.token, pasalId)
      expect(stored).toEqual(later)
      expect(stored!.status).toBe(later.history.at(-1)!.status)
    }
    const final = (await statusOf(server, viewer.token, pasalId))!
    expect(final.history).toHaveLength(10)
    const byWhom = final.history.map((c) => `${c.by.username}:${c.status}`)
    expect(byWhom.filter((c) => c === `${rina.user.username}:dibahas`)).toHaveLength(5)
    expect(byWhom.filter((c) => c === `${bayu.user.username}:disepakati`)).toHaveLength(5)
    const times = final.history.map((c) => Date.parse(c.at))
    expect([...times].sort((x, y) => x - y)).toEqual(times)
  })

  describe('text edits', () => {
    it("an editor's edit to an agreed Pasal sends it back to Dibahas, with reason 'teks-diubah' and the editor as author, pushed live (S12)", async () => {
      const pasalId = id(7)
      expect((await setStatus(server, rina, pasalId, 'disepakati')).status).toBe(200)
      const bayuClient = connect(server, DOC, bayu.token)
      // Its round trip opts it in to the extensions, so it is pushed the demotion too.
      const bayuPushes = statusPushes(bayuClient)
      try {
        await bayuClient.synced
        const seen = rinaPushes.length
        const text = ayatText(pasal(bayuClient.doc, 7))
        text.insert(text.length, ' Diubah setelah disepakati.')
        await roundTrip(bayuClient)
        await waitFor(async () => (await statusOf(server, viewer.token, pasalId))?.status === 'dibahas', 'Pasal 7 to go back to Dibahas')
        const record = (await statusOf(server, viewer.token, pasalId))!
        expect(record.history).toHaveLength(2)
        expect(record.history[1]).toMatchObject({ status: 'dibahas', reason: 'teks-diubah', by: authorOf(bayu.user) })
        await waitFor(() => rinaPushes.slice(seen).some((r) => r.pasalId === pasalId && r.status === 'dibahas'), 'the demotion push')
        expect(
          rinaPushes
            .slice(seen)
            .filter((r) => r.pasalId === pasalId)
            .at(-1),
        ).toEqual(record)
        await waitFor(() => bayuPushes.some((r) => r.pasalId === pasalId && r.status === 'dibahas'), "the demotion push to the author's client")
      } finally {
        bayuClient.destroy()
      }
    })

    it('records the author of a demotion as a person (account id, username, name, bidang), like every other history entry', async () => {
      const record = (await statusOf(server, viewer.token, id(7)))!
      expect(record.history.map((c) => Object.keys(c.by).sort())).toEqual([
        ['bidang', 'id', 'name', 'username'],
        ['bidang', 'id', 'name', 'username'],
      ])
      expect(record.history[1]!.by).toEqual(authorOf(bayu.user))
    })

    it('an edit to another Pasal, or a new Pasal inserted beside it, leaves an agreed Pasal agreed', async () => {
      const [agreed, other, barrier] = [id(9), id(10), id(11)]
      for (const pasalId of [agreed, barrier]) expect((await setStatus(server, rina, pasalId, 'disepakati')).status).toBe(200)
      const before = await statusOf(server, viewer.token, agreed)
      const otherText = ayatText(pasal(rinaClient.doc, 10))
      expect(idOf(pasal(rinaClient.doc, 10))).toBe(other)
      otherText.insert(0, 'Diubah: ')
      insertPasalAfter(pasal(rinaClient.doc, 9), 'pasal-sisipan-uji', 'Pasal sisipan sesudah yang disepakati.')
      // An edit to another agreed Pasal afterwards: once it is demoted, the earlier changes were handled too
      // (changes to one document are handled in order).
      const barrierText = ayatText(pasal(rinaClient.doc, 12))
      expect(idOf(pasal(rinaClient.doc, 12))).toBe(barrier)
      barrierText.insert(0, 'Penanda: ')
      await roundTrip(rinaClient)
      await waitFor(async () => (await statusOf(server, viewer.token, barrier))?.status === 'dibahas', 'the barrier Pasal to be demoted')
      expect(await statusOf(server, viewer.token, agreed)).toEqual(before)
      expect(await statusOf(server, viewer.token, other)).toBeUndefined()
    })

    it('moving an agreed Pasal, written as y-prosemirror writes a move (two pasal elements rewritten in place), keeps both agreed', async () => {
      // The editor's Alt+Shift+↑ reaches Yjs through y-prosemirror, which reuses the element at each
      // position and rewrites its id and content: the same Pasal, with the same text, in a new order.
      const labelOf = (pasalId: string) => pasalElements(rinaClient.doc).findIndex((p) => idOf(p) === pasalId) + 1
      const [upper, lower, barrier] = [id(16), id(17), id(18)]
      for (const pasalId of [upper, lower, barrier]) expect((await setStatus(server, rina, pasalId, 'disepakati')).status).toBe(200)
      const before = await listStatuses(server, viewer.token)
      const textOf = (pasalId: string) => pasal(rinaClient.doc, labelOf(pasalId)).toString()
      const texts = { upper: textOf(upper), lower: textOf(lower) }
      const places = [labelOf(upper), labelOf(lower)]
      expect(places[1]).toBe(places[0]! + 1)

      rinaClient.doc.transact(() => {
        const [a, b] = [pasal(rinaClient.doc, labelOf(upper)), pasal(rinaClient.doc, labelOf(lower))]
        const [aChildren, bChildren] = [a.toArray().map((c) => c.clone()), b.toArray().map((c) => c.clone())]
        a.delete(0, a.length)
        a.insert(0, bChildren as Y.XmlElement[])
        a.setAttribute('id', lower)
        b.delete(0, b.length)
        b.insert(0, aChildren as Y.XmlElement[])
        b.setAttribute('id', upper)
      })
      // Moved, and each Pasal's text is what it was.
      expect([labelOf(lower), labelOf(upper)]).toEqual(places)
      expect({ upper: textOf(upper), lower: textOf(lower) }).toEqual(texts)

      const barrierText = ayatText(pasal(rinaClient.doc, labelOf(barrier)))
      barrierText.insert(0, 'Penanda: ')
      await roundTrip(rinaClient)
      await waitFor(async () => (await statusOf(server, viewer.token, barrier))?.status === 'dibahas', 'the barrier Pasal to be demoted')
      const after = await listStatuses(server, viewer.token)
      for (const pasalId of [upper, lower]) {
        expect(
          after.find((r) => r.pasalId === pasalId),
          `Pasal ${labelOf(pasalId)}`,
        ).toEqual(before.find((r) => r.pasalId === pasalId))
      }
    })

    it('an edit to a Pasal under discussion or still a draft records nothing', async () => {
      const [discussed, draft, barrier] = [id(13), id(14), id(15)]
      expect((await setStatus(server, rina, discussed, 'dibahas')).status).toBe(200)
      expect((await setStatus(server, rina, barrier, 'disepakati')).status).toBe(200)
      const before = await statusOf(server, viewer.token, discussed)
      const labelOf = (pasalId: string) => pasalElements(rinaClient.doc).findIndex((p) => idOf(p) === pasalId) + 1
      for (const pasalId of [discussed, draft, barrier]) {
        const text = ayatText(pasal(rinaClient.doc, labelOf(pasalId)))
        text.insert(text.length, ' Tambahan.')
      }
      await roundTrip(rinaClient)
      await waitFor(async () => (await statusOf(server, viewer.token, barrier))?.status === 'dibahas', 'the barrier Pasal to be demoted')
      expect(await statusOf(server, viewer.token, discussed)).toEqual(before)
      expect(await statusOf(server, viewer.token, draft)).toBeUndefined()
    })
  })

  it('keeps every status and its history across a restart', async () => {
    const before = await listStatuses(server, admin.token)
    expect(before.length).toBeGreaterThanOrEqual(8)
    server = await server.restart()
    expect(await listStatuses(server, admin.token)).toEqual(before)
    // And the restarted server still records new changes after the old history.
    const response = await setStatus(server, rina, id(1), 'dibahas')
    expect(response.status).toBe(200)
    const old = before.find((r) => r.pasalId === id(1))!
    expect(response.body.history.slice(0, -1)).toEqual(old.history)
  })
})
