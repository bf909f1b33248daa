import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isDeepStrictEqual } from 'node:util'
import * as Y from 'yjs'
import { Node } from 'prosemirror-model'
import { initProseMirrorDoc, updateYFragment } from 'y-prosemirror'
import type { Thread } from '../../shared/comments.js'
import { resolveAnchor, type AnchorState } from '../../shared/anchors.js'
import { createId } from '../../shared/model/ids.js'
import { numberDocument } from '../../shared/model/numbering.js'
import { schema } from '../../shared/model/schema.js'
import { messageRestored, messageThread, readRestored } from '../../shared/protocol/messages.js'
import { FRAGMENT, toProsemirror } from '../../shared/model/ydoc.js'
import { authorOf, type User } from '../../shared/accounts.js'
import { CURRENT, type Comparison, type PartChange, type RestoreNotice, type SnapshotMeta } from '../../shared/versions.js'
import { startServer, type TestServer } from '../harness/server.js'
import { api, connect, createAccount, meeting, roundTrip, waitFor, type Person, type TestClient } from '../harness/clients.js'
import { ayatText, contentOf, insertPasalAfter, pasal, pasalElements, pasalLabels } from '../harness/document.js'

/** Issue 5 against the real server: named and automatic versions, compared and restored live. */

const DOC = 'rapergub-spbe'

type Version = SnapshotMeta & { readonly content: unknown }

const snapshotsOf = (docId: string) => `/api/docs/${docId}/snapshots`

async function saveVersion(server: TestServer, who: Person, name: string, docId = DOC, note?: string): Promise<SnapshotMeta> {
  const response = await api<SnapshotMeta>(server, 'POST', snapshotsOf(docId), {
    token: who.token,
    body: note === undefined ? { name } : { name, note },
  })
  expect(response.status, JSON.stringify(response.body)).toBe(201)
  return response.body
}

async function listVersions(server: TestServer, token: string, docId = DOC, query = ''): Promise<SnapshotMeta[]> {
  const response = await api<SnapshotMeta[]>(server, 'GET', `${snapshotsOf(docId)}${query}`, { token })
  expect(response.status, JSON.stringify(response.body)).toBe(200)
  return response.body
}

async function getVersion(server: TestServer, token: string, id: string, docId = DOC): Promise<Version> {
  const response = await api<Version>(server, 'GET', `${snapshotsOf(docId)}/${id}`, { token })
  expect(response.status, JSON.stringify(response.body)).toBe(200)
  return response.body
}

async function restoreVersion(server: TestServer, who: Person, id: string, docId = DOC): Promise<{ restored: SnapshotMeta; before: SnapshotMeta }> {
  const response = await api<{ restored: SnapshotMeta; before: SnapshotMeta }>(server, 'POST', `${snapshotsOf(docId)}/${id}/restore`, {
    token: who.token,
  })
  expect(response.status, JSON.stringify(response.body)).toBe(200)
  return response.body
}

async function compare(server: TestServer, token: string, from: string, to: string = CURRENT, docId = DOC): Promise<Comparison> {
  const response = await api<Comparison>(server, 'GET', `/api/docs/${docId}/compare?from=${from}&to=${to}`, { token })
  expect(response.status, JSON.stringify(response.body)).toBe(200)
  return response.body
}

/**
 * Records every restore notice (message 106) a stock client receives, with the document it held
 * at that moment. The server sends it once a round trip opted the client in to the extensions.
 */
function restoreNotices(client: TestClient): Array<{ notice: RestoreNotice; held: unknown }> {
  const notices: Array<{ notice: RestoreNotice; held: unknown }> = []
  client.provider.messageHandlers[messageRestored] = (_encoder, decoder) => {
    notices.push({ notice: readRestored(decoder), held: contentOf(client.doc) })
  }
  return notices
}

/** Resolves once every client holds exactly the same document. */
async function converged(...clients: TestClient[]) {
  await waitFor(() => clients.every((c) => isDeepStrictEqual(contentOf(c.doc), contentOf(clients[0]!.doc))), 'the clients to converge')
}

/** Resolves once every client holds exactly `content`. */
async function allHold(content: unknown, ...clients: TestClient[]) {
  await waitFor(() => clients.every((c) => isDeepStrictEqual(contentOf(c.doc), content)), 'every client to hold the expected content')
}

/** A stock client of `docId`, synced with the server. */
async function opened(server: TestServer, who: Person, docId = DOC): Promise<TestClient> {
  const client = connect(server, docId, who.token)
  // Once a round trip opts it in, the server pushes comment threads (102); the stock provider would log each.
  client.provider.messageHandlers[messageThread] = () => {}
  await client.synced
  return client
}

const idOf = (element: Y.XmlElement) => element.getAttribute('id') as string

/** The Pasal element with `id` in a client's document. */
function pasalById(doc: Y.Doc, id: string): Y.XmlElement {
  const found = pasalElements(doc).find((element) => idOf(element) === id)
  if (!found) throw new Error(`no pasal ${id}`)
  return found
}

const hasPasal = (doc: Y.Doc, id: string) => pasalElements(doc).some((element) => idOf(element) === id)

function removePasal(element: Y.XmlElement) {
  const parent = element.parent as Y.XmlElement
  parent.delete(parent.toArray().indexOf(element), 1)
}

/** A copy of ProseMirror JSON in which every unit has a fresh id (S4: ids are unique). */
function withFreshIds(node: unknown): unknown {
  const copy = structuredClone(node) as { attrs?: { id?: string }; content?: unknown[] }
  const walk = (n: typeof copy) => {
    if (n.attrs?.id) n.attrs.id = createId()
    n.content?.forEach((child) => walk(child as typeof copy))
  }
  walk(copy)
  return copy
}

const firstAyatText = (doc: Y.Doc, pasalId: string) => ayatText(pasalById(doc, pasalId)).toString()

/** Where a thread hangs in the document a client has now (shared/anchors.ts). */
function anchorIn(client: TestClient, thread: Thread): AnchorState {
  const pm = toProsemirror(client.doc)
  return resolveAnchor(thread.anchor, pm, numberDocument(pm), client.doc, client.doc.getXmlFragment(FRAGMENT))
}

/** A change summary as people read it: label, kind and who. */
const summary = (changes: readonly PartChange[]) => changes.map(({ label, labelBefore, kind, authors }) => ({ label, labelBefore, kind, authors }))

/** Every text run of ProseMirror JSON marked as a change of `type`, with the `user` the mark names. */
function markedRuns(content: unknown, type: 'added' | 'removed'): Array<{ text: string; user: string }> {
  const runs: Array<{ text: string; user: string }> = []
  const walk = (node: { text?: string; marks?: Array<{ type: string; attrs?: { type?: string; user?: string } }>; content?: unknown[] }) => {
    const mark = node.marks?.find((m) => m.type === 'ychange' && m.attrs?.type === type)
    if (node.text !== undefined && mark) runs.push({ text: node.text, user: mark.attrs!.user! })
    for (const child of node.content ?? []) walk(child as typeof node)
  }
  walk(content as Parameters<typeof walk>[0])
  return runs
}

/** Pasal nodes of ProseMirror JSON whose node-level change attribute has `type`. */
function markedPasal(content: unknown, type: 'added' | 'removed'): Array<{ id: string; user: string }> {
  const found: Array<{ id: string; user: string }> = []
  const walk = (node: { type: string; attrs?: { id?: string; ychange?: { type?: string; user?: string } | null }; content?: unknown[] }) => {
    if (node.type === 'pasal' && node.attrs?.ychange?.type === type) found.push({ id: node.attrs.id!, user: node.attrs.ychange.user! })
    for (const child of node.content ?? []) walk(child as typeof node)
  }
  walk(content as Parameters<typeof walk>[0])
  return found
}

describe('versions over the HTTP API', () => {
  let server: TestServer
  let admin: Person
  let rina: Person
  let bayu: Person
  let commenter: Person
  let viewer: Person
  /** Rina's and Bayu's stock clients, connected throughout. */
  let rinaClient: TestClient
  let bayuClient: TestClient
  /** The sample draft as first loaded, before any test edits it. */
  let pristine: unknown

  beforeAll(async () => {
    // The default interval: a draft gets an automatic version on its first edit when it has none.
    server = await startServer()
    ;({ admin, rina, bayu, commenter, viewer } = await meeting(server))
    ;[rinaClient, bayuClient] = await Promise.all([opened(server, rina), opened(server, bayu)])
    pristine = contentOf(rinaClient.doc)
  })
  afterAll(async () => {
    rinaClient?.destroy()
    bayuClient?.destroy()
    await server?.dispose()
  })

  /** Both clients' edits are stored and each has the other's. */
  async function settled() {
    await Promise.all([roundTrip(rinaClient), roundTrip(bayuClient)])
    await converged(rinaClient, bayuClient)
  }

  describe('saving', () => {
    it('an editor and an admin save named versions: 201 with id, name, note, time, their name and bidang, and auto false', async () => {
      const before = Date.now()
      const byEditor = await saveVersion(server, rina, '  Sebelum   rapat finalisasi 8 Agustus ', DOC, 'Disepakati Biro Hukum.')
      const byAdmin = await saveVersion(server, admin, 'Sesudah rapat')

      expect(byEditor).toMatchObject({
        id: expect.any(String),
        name: 'Sebelum rapat finalisasi 8 Agustus',
        note: 'Disepakati Biro Hukum.',
        author: authorOf(rina.user),
        auto: false,
      })
      expect(byAdmin).toMatchObject({ id: expect.any(String), name: 'Sesudah rapat', author: authorOf(admin.user), auto: false })
      expect(byAdmin.note).toBeUndefined()
      expect(byAdmin.id).not.toBe(byEditor.id)
      for (const meta of [byEditor, byAdmin]) {
        expect(Date.parse(meta.createdAt)).toBeGreaterThanOrEqual(before - 1000)
        expect(Date.parse(meta.createdAt)).toBeLessThanOrEqual(Date.now() + 1000)
        expect(meta.bytes).toBeGreaterThan(0)
      }
      console.log(`stored bytes of a version of the sample draft (${toProsemirror(rinaClient.doc).textContent.length} characters): ${byEditor.bytes}`)
    })

    it('refuses a commenter and a viewer with 403 and saves nothing', async () => {
      const listed = await listVersions(server, admin.token)
      for (const who of [commenter, viewer]) {
        const response = await api<{ error: string }>(server, 'POST', snapshotsOf(DOC), { token: who.token, body: { name: 'Tidak boleh' } })
        expect(response.status).toBe(403)
        expect(response.body.error).toEqual(expect.any(String))
      }
      expect(await listVersions(server, admin.token)).toEqual(listed)
    })

    it('refuses a missing, blank or overlong name and a body that is not a JSON object with 400 and an error message', async () => {
      const listed = await listVersions(server, admin.token)
      for (const body of [{}, { name: '' }, { name: '   ' }, { name: 42 }, { name: 'x'.repeat(121) }, 'bukan json {', '[]', 'null', '"nama"']) {
        const response = await api<{ error: string }>(server, 'POST', snapshotsOf(DOC), { token: rina.token, body })
        expect(response.status, JSON.stringify(body)).toBe(400)
        expect(response.body.error, JSON.stringify(body)).toEqual(expect.any(String))
      }
      expect(await listVersions(server, admin.token)).toEqual(listed)
    })

    it('answers 401 on every version route without a valid token', async () => {
      const some = await saveVersion(server, admin, 'Versi untuk rute')
      const routes: Array<[string, string]> = [
        ['GET', snapshotsOf(DOC)],
        ['POST', snapshotsOf(DOC)],
        ['GET', `${snapshotsOf(DOC)}/${some.id}`],
        ['POST', `${snapshotsOf(DOC)}/${some.id}/restore`],
        ['GET', `/api/docs/${DOC}/compare?from=${some.id}&to=${CURRENT}`],
      ]
      for (const [method, path] of routes) {
        const body = method === 'POST' && path.endsWith('/snapshots') ? { name: 'Tanpa token' } : undefined
        expect((await api(server, method, path, { body })).status, `${method} ${path}`).toBe(401)
        expect((await api(server, method, path, { body, token: 'bukan.token.sah' })).status, `${method} ${path}`).toBe(401)
      }
    })

    it('answers 404 with an error for an unknown document on every version route, and for an unknown version id', async () => {
      const some = await saveVersion(server, admin, 'Versi untuk rute')
      const unknownDoc: Array<[string, string]> = [
        ['GET', snapshotsOf('tidak-ada')],
        ['POST', snapshotsOf('tidak-ada')],
        ['GET', `${snapshotsOf('tidak-ada')}/${some.id}`],
        ['POST', `${snapshotsOf('tidak-ada')}/${some.id}/restore`],
        ['GET', `/api/docs/tidak-ada/compare?from=${some.id}&to=${CURRENT}`],
      ]
      const unknownVersion: Array<[string, string]> = [
        ['GET', `${snapshotsOf(DOC)}/00000000-tidakada`],
        ['POST', `${snapshotsOf(DOC)}/00000000-tidakada/restore`],
        ['GET', `/api/docs/${DOC}/compare?from=00000000-tidakada&to=${CURRENT}`],
        ['GET', `/api/docs/${DOC}/compare?from=${some.id}&to=00000000-tidakada`],
      ]
      for (const [method, path] of [...unknownDoc, ...unknownVersion]) {
        const body = method === 'POST' && path.endsWith('/snapshots') ? { name: 'Versi' } : undefined
        const response = await api<{ error: string }>(server, method, path, { token: admin.token, body })
        expect(response.status, `${method} ${path}`).toBe(404)
        expect(response.body.error, `${method} ${path}`).toEqual(expect.any(String))
      }
      // Only the restore route restores: a refused one took no automatic version.
      expect((await listVersions(server, admin.token)).some((v) => v.name.startsWith('Sebelum pemulihan'))).toBe(false)
    })
  })

  describe('listing and reading', () => {
    it('lists versions newest first with the contract fields, and ?auto=true / ?auto=false split automatic from named ones', async () => {
      const first = await saveVersion(server, rina, 'Daftar satu')
      const second = await saveVersion(server, bayu, 'Daftar dua')

      const all = await listVersions(server, viewer.token)
      for (const meta of all) {
        expect(meta).toMatchObject({
          id: expect.any(String),
          name: expect.any(String),
          createdAt: expect.any(String),
          author: { username: expect.any(String), name: expect.any(String), bidang: expect.any(String) },
          auto: expect.any(Boolean),
        })
      }
      const times = all.map((meta) => Date.parse(meta.createdAt))
      expect([...times].sort((a, b) => b - a)).toEqual(times)
      expect(all.slice(0, 2).map((meta) => meta.id)).toEqual([second.id, first.id])
      expect(all[0]).toEqual(second)

      const named = await listVersions(server, viewer.token, DOC, '?auto=false')
      const automatic = await listVersions(server, viewer.token, DOC, '?auto=true')
      expect(named.every((meta) => !meta.auto)).toBe(true)
      expect(automatic.every((meta) => meta.auto)).toBe(true)
      expect(named.map((meta) => meta.id)).toContain(second.id)
      expect(all.filter((meta) => !meta.auto)).toEqual(named)
      expect(all.filter((meta) => meta.auto)).toEqual(automatic)
    })

    it('a version holds the content as it was when it was saved, as ProseMirror JSON, whatever is edited afterwards; a viewer may read it', async () => {
      await settled()
      const then = contentOf(rinaClient.doc)
      const saved = await saveVersion(server, rina, 'Isi pada saat ini')

      ayatText(pasal(rinaClient.doc, 2)).insert(0, 'Kalimat sesudah versi. ')
      removePasal(pasal(bayuClient.doc, 5))
      await settled()
      expect(contentOf(rinaClient.doc)).not.toEqual(then)

      const read = await getVersion(server, viewer.token, saved.id)
      expect(read.content).toEqual(then)
      const { content: _content, ...meta } = read
      expect(meta).toEqual(saved)
    })
  })

  describe('restoring', () => {
    let target: SnapshotMeta
    let targetContent: unknown
    let replaced: unknown
    let restoreAnswer: { restored: SnapshotMeta; before: SnapshotMeta }

    it('restoring over the API makes both connected clients exactly equal to the version (S10)', async () => {
      await settled()
      targetContent = contentOf(rinaClient.doc)
      target = await saveVersion(server, admin, 'Sebelum rapat')

      // After the version: a changed text, a new pasal, a deleted one, by two people.
      ayatText(pasal(rinaClient.doc, 3)).insert(0, 'Perubahan Rina. ')
      insertPasalAfter(pasal(bayuClient.doc, 4), createId(), 'Pasal baru dari Bayu.')
      removePasal(pasal(bayuClient.doc, 10))
      await settled()
      replaced = contentOf(rinaClient.doc)
      expect(replaced).not.toEqual(targetContent)

      restoreAnswer = await restoreVersion(server, rina, target.id)

      expect(restoreAnswer.restored).toEqual(target)
      await allHold(targetContent, rinaClient, bayuClient)
      expect((await getVersion(server, admin.token, target.id)).content).toEqual(targetContent)
      // A late joiner gets the same.
      const late = await opened(server, viewer)
      try {
        expect(contentOf(late.doc)).toEqual(targetContent)
      } finally {
        late.destroy()
      }
    })

    it('lists, newest, an automatic version "Sebelum pemulihan ke …" holding the state the restore replaced', async () => {
      const [newest] = await listVersions(server, viewer.token)
      expect(newest).toEqual(restoreAnswer.before)
      expect(newest).toMatchObject({ auto: true, name: 'Sebelum pemulihan ke "Sebelum rapat"', author: authorOf(rina.user) })
      expect((await listVersions(server, viewer.token, DOC, '?auto=true'))[0]).toEqual(newest)
      expect((await getVersion(server, viewer.token, newest!.id)).content).toEqual(replaced)
    })

    it('restoring that automatic version undoes the restore for everyone', async () => {
      const undo = await restoreVersion(server, bayu, restoreAnswer.before.id)

      await allHold(replaced, rinaClient, bayuClient)
      expect(undo.before).toMatchObject({ auto: true, name: 'Sebelum pemulihan ke versi otomatis' })
      expect((await getVersion(server, admin.token, undo.before.id)).content).toEqual(targetContent)
    })

    it('tells every connected client who restored which version (message 106), once the restored text is there, and whoever comes soon after (S22)', async () => {
      await settled()
      const version = await saveVersion(server, admin, 'Hasil rapat pleno')
      ayatText(pasal(bayuClient.doc, 2)).insert(0, 'Sisipan sesudah pleno. ')
      await settled()
      const viewerClient = await opened(server, viewer)
      const clients = [rinaClient, bayuClient, viewerClient]
      // What each client holds when the notice arrives, to check it comes after the restored text.
      const received = clients.map((client) => restoreNotices(client))
      await Promise.all(clients.map((client) => roundTrip(client)))
      // (The viewer, opting in now, was just told of the earlier restores of this suite.)
      for (const notices of received) notices.length = 0
      try {
        const before = Date.now()
        const { before: replaced } = await restoreVersion(server, bayu, version.id)
        await waitFor(() => received.every((notices) => notices.length === 1), 'every client to be told of the restore')
        const restored = (await getVersion(server, admin.token, version.id)).content
        for (const [notice] of received) {
          expect(notice!.notice).toEqual({
            docId: DOC,
            version: { id: version.id, name: 'Hasil rapat pleno', createdAt: version.createdAt, auto: false },
            before: { id: replaced.id, name: 'Sebelum pemulihan ke "Hasil rapat pleno"', createdAt: replaced.createdAt, auto: true },
            by: authorOf(bayu.user),
            at: expect.any(String),
          })
          expect(Date.parse(notice!.notice.at)).toBeGreaterThanOrEqual(before - 1000)
          expect(notice!.held).toEqual(restored)
        }
        // Someone who comes (or reconnects) soon after is told too, once; those told already are not told again.
        const late = await opened(server, commenter)
        try {
          const lateNotices = restoreNotices(late)
          await roundTrip(late)
          expect(lateNotices.at(-1)?.notice).toEqual(received[0]![0]!.notice)
          await Promise.all(clients.map((client) => roundTrip(client)))
          expect(received.map((notices) => notices.length)).toEqual([1, 1, 1])
        } finally {
          late.destroy()
        }
      } finally {
        viewerClient.destroy()
      }
    })

    it('refuses a restore by a viewer or a commenter with 403: the text stays and no automatic version is taken', async () => {
      await settled()
      const content = contentOf(rinaClient.doc)
      const listed = await listVersions(server, admin.token)
      for (const who of [viewer, commenter]) {
        const response = await api<{ error: string }>(server, 'POST', `${snapshotsOf(DOC)}/${target.id}/restore`, { token: who.token })
        expect(response.status).toBe(403)
        expect(response.body.error).toEqual(expect.any(String))
      }
      expect(await listVersions(server, admin.token)).toEqual(listed)
      // The server holds what it held: a client opened now gets the unchanged text.
      const late = await opened(server, admin)
      try {
        expect(contentOf(late.doc)).toEqual(content)
      } finally {
        late.destroy()
      }
    })

    it('keeps every comment thread through a restore: orphaned when its pasal is gone, attached when it exists, re-attached when it comes back (S9)', async () => {
      await settled()
      const original = await saveVersion(server, rina, 'Tanpa pasal sisipan')
      const kept = pasal(rinaClient.doc, 8)
      const newId = createId()
      insertPasalAfter(pasal(rinaClient.doc, 6), newId, 'Pasal sisipan yang akan dikomentari.')
      await settled()

      const open = async (pasalId: string, text: string) => {
        const response = await api<Thread>(server, 'POST', `/api/docs/${DOC}/threads`, {
          token: commenter.token,
          body: { anchor: { pasalId }, text },
        })
        expect(response.status, JSON.stringify(response.body)).toBe(201)
        return response.body
      }
      const onNew = await open(newId, 'Pasal sisipan ini perlu dasar hukum.')
      const onKept = await open(idOf(kept), 'Pasal ini tetap ada di kedua versi.')
      const threadsBefore = (await api<Thread[]>(server, 'GET', `/api/docs/${DOC}/threads`, { token: viewer.token })).body

      const { before } = await restoreVersion(server, rina, original.id)
      await waitFor(() => !hasPasal(rinaClient.doc, newId) && !hasPasal(bayuClient.doc, newId), 'the inserted pasal to be gone')

      const threadsAfter = await api<Thread[]>(server, 'GET', `/api/docs/${DOC}/threads`, { token: viewer.token })
      expect(threadsAfter.status).toBe(200)
      expect(threadsAfter.body).toEqual(threadsBefore)
      expect(anchorIn(bayuClient, onNew)).toEqual({ status: 'orphaned', reason: 'pasal-deleted' })
      expect(anchorIn(bayuClient, onKept)).toMatchObject({ status: 'attached', pasalLabel: 'Pasal 8' })

      // Undoing the restore brings the pasal back with its id: its thread hangs on it again.
      await restoreVersion(server, rina, before.id)
      await waitFor(() => hasPasal(rinaClient.doc, newId) && hasPasal(bayuClient.doc, newId), 'the inserted pasal to be back')
      expect(anchorIn(bayuClient, onNew)).toMatchObject({ status: 'attached', pasalLabel: 'Pasal 7' })
      expect(anchorIn(bayuClient, onKept)).toMatchObject({ status: 'attached', pasalLabel: 'Pasal 9' })
      expect((await api<Thread[]>(server, 'GET', `/api/docs/${DOC}/threads`, { token: viewer.token })).body).toEqual(threadsBefore)
    })
  })

  describe('a client that was offline during a restore', () => {
    it('brings its offline edit to a pasal the restore left alone on top of the restored text, for everyone, without bringing back the replaced text', async () => {
      const dewi = await createAccount(server, 'editor', 'Bidang Statistik')
      const offline = await opened(server, dewi)
      try {
        await settled()
        await converged(rinaClient, offline)
        const versionContent = contentOf(rinaClient.doc)
        const version = await saveVersion(server, admin, 'Sebelum suntingan luring')

        // After the version, online: Rina changes Pasal 3 and adds a pasal.
        const changedId = idOf(pasal(rinaClient.doc, 3))
        const untouchedId = idOf(pasal(rinaClient.doc, 12))
        const addedId = createId()
        const pasal3Then = firstAyatText(rinaClient.doc, changedId)
        ayatText(pasalById(rinaClient.doc, changedId)).insert(0, 'Teks daring yang akan dibatalkan. ')
        insertPasalAfter(pasal(rinaClient.doc, 4), addedId, 'Pasal daring yang akan dibatalkan.')
        await settled()
        await converged(rinaClient, offline)

        // Dewi goes offline and edits a pasal nobody changed since the version.
        offline.provider.disconnect()
        await waitFor(() => !offline.provider.wsconnected, 'the client to be offline')
        const OFFLINE = ' Ditambahkan saat luring.'
        const untouched = ayatText(pasalById(offline.doc, untouchedId))
        untouched.insert(untouched.length, OFFLINE)

        await restoreVersion(server, rina, version.id)
        await allHold(versionContent, rinaClient, bayuClient)

        // Expected: the version's content with Dewi's edit applied to it.
        const expected = new Y.Doc()
        Y.applyUpdate(expected, Y.encodeStateAsUpdate(rinaClient.doc))
        const expectedText = ayatText(pasalById(expected, untouchedId))
        expectedText.insert(expectedText.length, OFFLINE)
        const expectedContent = contentOf(expected)
        expected.destroy()

        offline.provider.connect()
        await roundTrip(offline)

        await allHold(expectedContent, rinaClient, bayuClient, offline)
        expect(firstAyatText(offline.doc, untouchedId).endsWith(OFFLINE)).toBe(true)
        expect(firstAyatText(offline.doc, changedId)).toBe(pasal3Then)
        expect(hasPasal(offline.doc, addedId)).toBe(false)
      } finally {
        offline.destroy()
      }
    })

    it('keeps an offline edit inside a pasal the restore changed only in part, and drops one inside a pasal the restore removed (S10)', async () => {
      // Observed semantics: the restore is y-prosemirror's diff applied to the live Yjs document, so
      // the Yjs items it keeps are the ones an offline edit can still hang on. A pasal whose text
      // the restore only changed keeps its element and its unchanged characters: an offline
      // insertion there merges in. A pasal the restore removed is a deleted Yjs element: an
      // insertion into it stays deleted, and the removed text does not come back.
      const dewi = await createAccount(server, 'editor', 'Bidang Statistik')
      const offline = await opened(server, dewi)
      try {
        await settled()
        await converged(rinaClient, offline)
        const version = await saveVersion(server, admin, 'Sebelum suntingan luring kedua')
        const changedId = idOf(pasal(rinaClient.doc, 2))
        const addedId = createId()
        const pasal2Then = firstAyatText(rinaClient.doc, changedId)
        ayatText(pasalById(rinaClient.doc, changedId)).insert(0, 'Awal daring. ')
        insertPasalAfter(pasal(rinaClient.doc, 4), addedId, 'Pasal daring yang akan dibatalkan.')
        await settled()
        await converged(rinaClient, offline)

        offline.provider.disconnect()
        await waitFor(() => !offline.provider.wsconnected, 'the client to be offline')
        const changedText = ayatText(pasalById(offline.doc, changedId))
        changedText.insert(changedText.length, ' Akhir luring.')
        ayatText(pasalById(offline.doc, addedId)).insert(0, 'Luring di pasal yang dibatalkan. ')

        await restoreVersion(server, rina, version.id)
        await waitFor(() => !hasPasal(rinaClient.doc, addedId), 'the restore to reach Rina')
        offline.provider.connect()
        await roundTrip(offline)
        await converged(rinaClient, bayuClient, offline)

        expect(firstAyatText(rinaClient.doc, changedId)).toBe(`${pasal2Then} Akhir luring.`)
        expect(hasPasal(rinaClient.doc, addedId)).toBe(false)
        expect(JSON.stringify(contentOf(rinaClient.doc))).not.toContain('Luring di pasal yang dibatalkan')
        expect(JSON.stringify(contentOf(rinaClient.doc))).not.toContain('Awal daring.')
      } finally {
        offline.destroy()
      }
    })
  })

  describe('automatic versions and storage cost', () => {
    it('the first edit of a draft with no versions saves an automatic "Versi otomatis" holding it; the next edit right after saves none', async () => {
      const created = await api<{ id: string }>(server, 'POST', '/api/docs', { token: admin.token, body: { nama: 'Uji Versi Otomatis' } })
      expect(created.status).toBe(201)
      const docId = created.body.id
      const client = await opened(server, rina, docId)
      try {
        // Opening a draft is not editing it.
        await roundTrip(client)
        expect(await listVersions(server, admin.token, docId)).toEqual([])

        ayatText(pasal(client.doc, 1)).insert(0, 'Suntingan pertama. ')
        await roundTrip(client)
        const afterFirst = contentOf(client.doc)
        await waitFor(async () => (await listVersions(server, admin.token, docId)).length > 0, 'an automatic version')
        const [automatic] = await listVersions(server, admin.token, docId)
        expect(automatic).toMatchObject({ name: 'Versi otomatis', auto: true, docId })
        expect(automatic!.author.username).not.toBe(rina.user.username)
        expect((await getVersion(server, admin.token, automatic!.id, docId)).content).toEqual(afterFirst)

        ayatText(pasal(client.doc, 1)).insert(0, 'Suntingan kedua. ')
        await roundTrip(client)
        // A named version goes through the same room after the edit: a barrier, not a sleep.
        const named = await saveVersion(server, rina, 'Sesudah suntingan kedua', docId)
        expect((await listVersions(server, admin.token, docId)).map((v) => v.id)).toEqual([named.id, automatic!.id])
      } finally {
        client.destroy()
      }
    })

    it('reports the stored size of a version of the sample draft and of a draft ten times larger', async () => {
      // Both built the same way from the sample as it was first loaded: its batang tubuh once, and
      // ten times over, every unit with a fresh id.
      const measure = async (times: number) => {
        const created = await api<{ id: string }>(server, 'POST', '/api/docs', { token: admin.token, body: { nama: `Uji Ukuran ${times} Kali` } })
        expect(created.status).toBe(201)
        const client = await opened(server, admin, created.body.id)
        try {
          const json = structuredClone(pristine) as { content: Array<{ type: string; content: unknown[] }> }
          const batangTubuh = json.content.find((part) => part.type === 'batangTubuh')!
          const babs = batangTubuh.content
          batangTubuh.content = Array.from({ length: times }, () => babs.map(withFreshIds)).flat()
          const fragment = client.doc.getXmlFragment(FRAGMENT)
          updateYFragment(client.doc, fragment, Node.fromJSON(schema, json), initProseMirrorDoc(fragment, schema).meta)
          await roundTrip(client)
          const meta = await saveVersion(server, admin, `Ukuran ${times} kali`, created.body.id)
          return { meta, pasal: pasalLabels(client.doc).length, characters: toProsemirror(client.doc).textContent.length }
        } finally {
          client.destroy()
        }
      }
      const once = await measure(1)
      const tenfold = await measure(10)

      expect(tenfold.pasal).toBe(once.pasal * 10)
      console.log(
        `stored bytes per version: sample draft ${once.meta.bytes} B (${once.pasal} pasal, ${once.characters} characters); ` +
          `10× draft ${tenfold.meta.bytes} B (${tenfold.pasal} pasal, ${tenfold.characters} characters)`,
      )
      expect(once.meta.bytes).toBeGreaterThan(0)
      expect(tenfold.meta.bytes).toBeGreaterThan(0)
    })
  })
})

describe('comparing versions, and who changed what, across restarts', () => {
  let server: TestServer
  let admin: Person
  let rina: Person
  let bayu: Person
  let rinaClient: TestClient
  let bayuClient: TestClient
  let first: SnapshotMeta
  let second: SnapshotMeta
  let firstContent: unknown
  let toNow: Comparison
  let betweenVersions: Comparison

  beforeAll(async () => {
    server = await startServer()
    ;({ admin, rina, bayu } = await meeting(server))
    ;[rinaClient, bayuClient] = await Promise.all([opened(server, rina), opened(server, bayu)])
  })
  afterAll(async () => {
    rinaClient?.destroy()
    bayuClient?.destroy()
    await server?.dispose()
  })

  it('lists each changed pasal with the person and bidang who changed it: diubah, baru and dihapus, marked inline (S11)', async () => {
    firstContent = contentOf(rinaClient.doc)
    first = await saveVersion(server, admin, 'Sebelum rapat')
    const pasal25 = pasal(rinaClient.doc, 25)
    const pasal25Id = idOf(pasal25)

    // Two bidang edit different pasal at once.
    const pasal7 = ayatText(pasal(rinaClient.doc, 7))
    pasal7.insert(pasal7.length, ' Tambahan dari Rina.')
    ayatText(pasal(bayuClient.doc, 12)).insert(0, 'Sisipan Bayu ')
    insertPasalAfter(pasal(bayuClient.doc, 20), createId(), 'Pasal baru dari Bidang Persandian.')
    removePasal(pasal25)
    await Promise.all([roundTrip(rinaClient), roundTrip(bayuClient)])
    await converged(rinaClient, bayuClient)

    toNow = await compare(server, admin.token, first.id, CURRENT)
    expect(summary(toNow.changes)).toEqual([
      { label: 'Pasal 7', kind: 'diubah', authors: [authorOf(rina.user)] },
      { label: 'Pasal 12', kind: 'diubah', authors: [authorOf(bayu.user)] },
      { label: 'Pasal 21', kind: 'baru', authors: [authorOf(bayu.user)] },
      { label: 'Pasal 25', kind: 'dihapus', authors: [authorOf(rina.user)] },
    ])

    const rinaMark = `${rina.user.name} · Bidang Aplikasi Informatika`
    const bayuMark = `${bayu.user.name} · Bidang Persandian`
    const added = markedRuns(toNow.content, 'added')
    // Every inserted run is marked with the person who typed it, never "Tidak diketahui". Where the
    // word diff places Rina's sentence (before or after the full stop it repeats) is a matter of
    // alignment; its characters and author are not.
    const textBy = (user: string) =>
      added
        .filter((r) => r.user === user)
        .map((r) => r.text)
        .join('')
    expect(added.filter((r) => r.user !== rinaMark && r.user !== bayuMark)).toEqual([])
    expect(textBy(bayuMark)).toBe('Sisipan Bayu ')
    expect(textBy(rinaMark)).toHaveLength(' Tambahan dari Rina.'.length)
    expect(textBy(rinaMark).replace(/[.\s]/g, '')).toBe('TambahandariRina')
    expect(markedPasal(toNow.content, 'added').map((p) => p.user)).toEqual([bayuMark])
    expect(markedPasal(toNow.content, 'removed')).toEqual([{ id: pasal25Id, user: rinaMark }])
  })

  it('comparing two saved versions gives the same changes as comparing the earlier one with the live draft', async () => {
    second = await saveVersion(server, admin, 'Sesudah rapat')
    betweenVersions = await compare(server, admin.token, first.id, second.id)
    expect(betweenVersions).toEqual(toNow)
    expect((await compare(server, admin.token, second.id, CURRENT)).changes).toEqual([])
  })

  it("does not make a person the author of someone else's deletion when that person's client reconnects", async () => {
    // On reconnect the stock client answers the server's SyncStep1 with its whole delete set,
    // Rina's deletion of Pasal 25 included; Bayu did not delete it.
    bayuClient.provider.disconnect()
    await waitFor(() => !bayuClient.provider.wsconnected, "Bayu's client to be offline")
    bayuClient.provider.connect()
    await roundTrip(bayuClient)

    expect(await compare(server, admin.token, first.id, CURRENT)).toEqual(toNow)
  })

  it('keeps the versions and who changed what after a SIGTERM restart', async () => {
    const listed = await listVersions(server, admin.token)
    server = await server.restart()
    await Promise.all([roundTrip(rinaClient), roundTrip(bayuClient)])

    expect(await listVersions(server, admin.token)).toEqual(listed)
    expect((await getVersion(server, admin.token, first.id)).content).toEqual(firstContent)
    expect(await compare(server, admin.token, first.id, CURRENT)).toEqual(toNow)
    expect(await compare(server, admin.token, first.id, second.id)).toEqual(betweenVersions)
  })

  it('keeps the versions and who changed what after a kill -9, including an edit made just before it', async () => {
    const pasal3 = ayatText(pasal(bayuClient.doc, 3))
    pasal3.insert(pasal3.length, ' Sebelum server mati.')
    await roundTrip(bayuClient)
    await converged(rinaClient, bayuClient)
    const third = await saveVersion(server, rina, 'Sebelum server mati')
    const listed = await listVersions(server, admin.token)
    const withCrashEdit = await compare(server, admin.token, first.id, CURRENT)
    expect(summary(withCrashEdit.changes)).toContainEqual({ label: 'Pasal 3', kind: 'diubah', authors: [authorOf(bayu.user)] })

    await server.kill()
    server = await server.restart()
    await Promise.all([roundTrip(rinaClient), roundTrip(bayuClient)])

    expect(await listVersions(server, admin.token)).toEqual(listed)
    expect(await compare(server, admin.token, first.id, CURRENT)).toEqual(withCrashEdit)
    expect(await compare(server, admin.token, first.id, third.id)).toEqual(withCrashEdit)
    expect(await compare(server, admin.token, first.id, second.id)).toEqual(betweenVersions)
  })
})
