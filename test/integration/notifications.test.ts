import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Thread } from '../../shared/comments.js'
import type { NotificationList } from '../../shared/notifications.js'
import { startServer, type TestServer } from '../harness/server.js'
import { api, connect, meeting, type Person } from '../harness/clients.js'
import { pasal } from '../harness/document.js'

/** Issue 15, @mentions and the bell against the real server: who is notified, across drafts, and marking read. */

const SAMPLE = 'rapergub-spbe'

describe('notifications of comments', () => {
  let server: TestServer
  let people: Awaited<ReturnType<typeof meeting>>
  let rina: Person
  let bayu: Person
  let hukum: Person
  let pasalId: string

  const bell = async (who: Person) => {
    const response = await api<NotificationList>(server, 'GET', '/api/notifications', { token: who.token })
    expect(response.status).toBe(200)
    return response.body
  }
  const openThread = async (who: Person, docId: string, text: string) => {
    const response = await api<Thread>(server, 'POST', `/api/docs/${docId}/threads`, { token: who.token, body: { anchor: { pasalId }, text } })
    expect(response.status).toBe(201)
    return response.body
  }
  const reply = async (who: Person, docId: string, thread: Thread, text: string) => {
    const response = await api<Thread>(server, 'POST', `/api/docs/${docId}/threads/${thread.id}/messages`, { token: who.token, body: { text } })
    expect(response.status).toBe(201)
    return response.body
  }

  beforeAll(async () => {
    server = await startServer()
    people = await meeting(server)
    ;({ rina, bayu, commenter: hukum } = people)
    const client = connect(server, SAMPLE, rina.token)
    await client.synced
    pasalId = pasal(client.doc, 1).getAttribute('id')!
    client.destroy()
  })
  afterAll(async () => {
    await server?.dispose()
  })

  it('stores the accounts a comment @mentions by username, and notifies them, not the author nor a name that is no account', async () => {
    const thread = await openThread(rina, SAMPLE, `Mohon @${bayu.user.username} dan @orang-lain periksa; cc @${rina.user.username}.`)
    expect(thread.messages[0]!.mentions).toEqual([bayu.user.username, rina.user.username])

    const bayus = await bell(bayu)
    expect(bayus.unread).toBe(1)
    expect(bayus.items[0]).toMatchObject({
      reason: 'mention',
      docId: SAMPLE,
      threadId: thread.id,
      messageId: thread.messages[0]!.id,
      pasalLabel: 'Pasal 1',
      from: { username: rina.user.username, name: rina.user.name },
    })
    expect(bayus.items[0]!.excerpt).toContain('Mohon @')
    expect((await bell(rina)).items).toEqual([])
    expect((await bell(hukum)).items).toEqual([])
  })

  it('notifies everyone who wrote earlier in a thread of a reply, once each, and the mentioned as mentioned', async () => {
    const thread = await openThread(rina, SAMPLE, 'Apakah definisi ini sudah tepat?')
    await reply(bayu, SAMPLE, thread, 'Menurut saya sudah.')
    expect((await bell(rina)).items.map((n) => [n.reason, n.from.username])).toEqual([['reply', bayu.user.username]])

    await reply(hukum, SAMPLE, thread, `Belum, @${bayu.user.username}: lihat Pasal 2.`)
    expect((await bell(rina)).items.map((n) => [n.reason, n.from.username])).toEqual([
      ['reply', hukum.user.username],
      ['reply', bayu.user.username],
    ])
    expect((await bell(bayu)).items[0]).toMatchObject({ reason: 'mention', threadId: thread.id })
    expect((await bell(hukum)).items).toEqual([])
  })

  it('notifies the accounts an edit newly @mentions, not those it mentioned before nor its author', async () => {
    const thread = await openThread(rina, SAMPLE, `Mohon @${bayu.user.username} periksa.`)
    const messageId = thread.messages[0]!.id
    const edit = async (text: string) => {
      const response = await api<Thread>(server, 'PATCH', `/api/docs/${SAMPLE}/threads/${thread.id}/messages/${messageId}`, {
        token: rina.token,
        body: { text },
      })
      expect(response.status).toBe(200)
      return response.body
    }
    const aboutThread = async (who: Person) => (await bell(who)).items.filter((n) => n.threadId === thread.id).map((n) => [n.reason, n.excerpt])

    const edited = await edit(`Mohon @${bayu.user.username} dan @${hukum.user.username} periksa.`)
    expect(edited.messages[0]!.mentions).toEqual([bayu.user.username, hukum.user.username])
    expect(await aboutThread(hukum)).toEqual([['mention', `Mohon @${bayu.user.username} dan @${hukum.user.username} periksa.`]])
    expect(await aboutThread(bayu)).toEqual([['mention', `Mohon @${bayu.user.username} periksa.`]])

    await edit(`Mohon @${bayu.user.username} dan @${hukum.user.username} periksa; cc @${rina.user.username}.`)
    expect(await aboutThread(rina)).toEqual([])
    expect((await aboutThread(hukum)).length).toBe(1)
    expect((await aboutThread(bayu)).length).toBe(1)
  })

  it('collects notifications across drafts, newest first', async () => {
    const other = (await api<{ id: string }>(server, 'POST', '/api/docs', { token: people.admin.token, body: { nama: 'Satu Data' } })).body.id
    const client = connect(server, other, rina.token)
    await client.synced
    const otherPasal = pasal(client.doc, 1).getAttribute('id')!
    client.destroy()
    const response = await api<Thread>(server, 'POST', `/api/docs/${other}/threads`, {
      token: hukum.token,
      body: { anchor: { pasalId: otherPasal }, text: `@${rina.user.username} mohon ditinjau` },
    })
    expect(response.status).toBe(201)
    const rinas = await bell(rina)
    expect(rinas.items[0]).toMatchObject({ docId: other, docTitle: expect.stringContaining('Satu Data'), reason: 'mention' })
    expect(rinas.unread).toBe(3)
  })

  it('marks chosen notifications read, then all, each account only its own; refuses a malformed list with 400', async () => {
    const before = await bell(rina)
    const [first] = before.items
    const marked = await api<NotificationList>(server, 'POST', '/api/notifications/read', { token: rina.token, body: { ids: [first!.id] } })
    expect(marked.status).toBe(200)
    expect(marked.body.unread).toBe(before.unread - 1)
    expect(marked.body.items[0]!.readAt).toBeDefined()

    // Another account's ids mark nothing of Rina's.
    const bayuUnread = (await bell(bayu)).unread
    await api(server, 'POST', '/api/notifications/read', { token: bayu.token, body: { ids: before.items.map((n) => n.id) } })
    expect((await bell(rina)).unread).toBe(before.unread - 1)
    expect((await bell(bayu)).unread).toBe(bayuUnread)

    expect((await api(server, 'POST', '/api/notifications/read', { token: rina.token, body: { ids: 'semua' } })).status).toBe(400)
    expect((await api(server, 'POST', '/api/notifications/read', { token: rina.token, body: {} })).body).toMatchObject({ unread: 0 })
    expect((await api(server, 'GET', '/api/notifications')).status).toBe(401)
  })

  it('keeps notifications across a restart', async () => {
    const before = await bell(bayu)
    await server.stop()
    server = await server.restart()
    expect(await bell(bayu)).toEqual(before)
  })

  it('offers everyone signed in the people they can mention: username, name and bidang only', async () => {
    const response = await api<Array<Record<string, unknown>>>(server, 'GET', '/api/people', { token: people.viewer.token })
    expect(response.status).toBe(200)
    expect(response.body.map((p) => p.username)).toContain(bayu.user.username)
    expect(Object.keys(response.body[0]!).sort()).toEqual(['bidang', 'name', 'username'])
    expect((await api(server, 'GET', '/api/people')).status).toBe(401)
  })
})
