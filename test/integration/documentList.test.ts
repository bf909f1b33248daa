import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DocumentListing, DocumentRecord } from '../../shared/documents.js'
import type { AuditEntry } from '../../shared/audit.js'
import { startServer, type TestServer } from '../harness/server.js'
import { api, connect, meeting, roundTrip, type Person } from '../harness/clients.js'
import { ayatText, pasal } from '../harness/document.js'

/** Issue 15, the document list against the real server: last change, rename and archive (P32, S23). */

const SAMPLE = 'rapergub-spbe'

describe('the document list', () => {
  let server: TestServer
  let people: Awaited<ReturnType<typeof meeting>>
  let admin: Person
  let second: DocumentRecord

  const list = async (who: Person, query = '') => {
    const response = await api<DocumentListing[]>(server, 'GET', `/api/docs${query}`, { token: who.token })
    expect(response.status).toBe(200)
    return response.body
  }
  const listed = async (who: Person, id: string, query = '') => (await list(who, query)).find((doc) => doc.id === id)

  /** Types `text` at the start of Pasal 1 as `who`, over a stock y-websocket client, and waits until it is stored. */
  async function type(who: Person, docId: string, text: string) {
    const client = connect(server, docId, who.token)
    try {
      await client.synced
      ayatText(pasal(client.doc, 1)).insert(0, text)
      await roundTrip(client)
    } finally {
      client.destroy()
    }
  }

  beforeAll(async () => {
    server = await startServer()
    people = await meeting(server)
    admin = people.admin
    second = (await api<DocumentRecord>(server, 'POST', '/api/docs', { token: admin.token, body: { nama: 'Satu Data' } })).body
  })
  afterAll(async () => {
    await server?.dispose()
  })

  it('lists a draft never edited with no last change, and one edited with who changed it last and when, most recent first', async () => {
    expect((await listed(people.viewer, second.id))?.modified).toBeNull()
    const before = new Date().toISOString()
    await type(people.rina, SAMPLE, 'Rina ')
    const afterRina = await listed(people.viewer, SAMPLE)
    expect(afterRina?.modified?.by).toMatchObject({ username: people.rina.user.username, name: people.rina.user.name })
    expect(afterRina!.modified!.at >= before).toBe(true)

    await type(people.bayu, SAMPLE, 'Bayu ')
    const afterBayu = await listed(people.viewer, SAMPLE)
    expect(afterBayu?.modified?.by.username).toBe(people.bayu.user.username)
    expect(afterBayu!.modified!.at >= afterRina!.modified!.at).toBe(true)
    // Edited just now, so above the draft created before it and never edited.
    expect((await list(people.viewer)).map((doc) => doc.id)).toEqual([SAMPLE, second.id])
  })

  it('keeps the last change across a restart: it is stored with the update, not held in memory', async () => {
    const before = await listed(people.viewer, SAMPLE)
    expect(before?.modified?.by.username).toBe(people.bayu.user.username)
    await server.stop()
    server = await server.restart()
    expect((await listed(people.viewer, SAMPLE))?.modified).toEqual(before?.modified)
  })

  it('lets an admin rename a draft, recorded in the audit log; editors get 403, bad titles 400, unknown drafts 404 (P32)', async () => {
    const path = `/api/docs/${second.id}`
    expect((await api(server, 'PATCH', path, { token: people.rina.token, body: { title: 'Rancangan milik Rina' } })).status).toBe(403)
    expect((await api(server, 'PATCH', path, { token: admin.token, body: { title: '   ' } })).status).toBe(400)
    expect((await api(server, 'PATCH', path, { token: admin.token, body: { title: 'x'.repeat(201) } })).status).toBe(400)
    expect((await api(server, 'PATCH', path, { token: admin.token, body: { title: 42 } })).status).toBe(400)
    expect((await api(server, 'PATCH', path, { token: admin.token, body: {} })).status).toBe(400)
    expect((await api(server, 'PATCH', '/api/docs/tidak-ada', { token: admin.token, body: { title: 'Baru' } })).status).toBe(404)

    const renamed = await api<DocumentRecord>(server, 'PATCH', path, { token: admin.token, body: { title: '  Rancangan   Satu Data 2026 ' } })
    expect(renamed.status).toBe(200)
    expect(renamed.body.title).toBe('Rancangan Satu Data 2026')
    expect((await listed(people.viewer, second.id))?.title).toBe('Rancangan Satu Data 2026')
    const audit = await api<AuditEntry[]>(server, 'GET', '/api/audit?action=document.renamed', { token: admin.token })
    expect(audit.body[0]).toMatchObject({ actor: admin.user.username, target: second.id, detail: `${second.title} → Rancangan Satu Data 2026` })
  })

  it('hides an archived draft from the list but keeps it whole: listed under ?archived=1, still opened and edited, and back on unarchive (P32, S23)', async () => {
    const path = `/api/docs/${SAMPLE}`
    expect((await api(server, 'PATCH', path, { token: people.bayu.token, body: { archived: true } })).status).toBe(403)
    expect((await api(server, 'PATCH', path, { token: admin.token, body: { archived: 'ya' } })).status).toBe(400)
    const archived = await api<DocumentRecord & { archived: boolean }>(server, 'PATCH', path, { token: admin.token, body: { archived: true } })
    expect(archived.status).toBe(200)
    expect(archived.body.archived).toBe(true)

    expect((await list(people.viewer)).map((doc) => doc.id)).toEqual([second.id])
    expect((await list(people.viewer, '?archived=1')).map((doc) => doc.id)).toEqual([SAMPLE])
    expect((await api(server, 'GET', path, { token: people.viewer.token })).status).toBe(200)
    await type(people.rina, SAMPLE, 'Arsip ')
    expect((await listed(people.viewer, SAMPLE, '?archived=1'))?.modified?.by.username).toBe(people.rina.user.username)

    expect((await api(server, 'PATCH', path, { token: admin.token, body: { archived: false } })).status).toBe(200)
    expect((await list(people.viewer)).map((doc) => doc.id)).toEqual([SAMPLE, second.id])
    expect(await list(people.viewer, '?archived=1')).toEqual([])
    const audit = await api<AuditEntry[]>(server, 'GET', '/api/audit', { token: admin.token })
    expect(audit.body.filter((e) => e.target === SAMPLE).map((e) => e.action)).toEqual(['document.unarchived', 'document.archived'])
  })
})
