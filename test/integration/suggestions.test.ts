import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import * as decoding from 'lib0/decoding'
import { authorOf } from '../../shared/accounts.js'
import type { StatusRecord } from '../../shared/agreement.js'
import { positionToRelative } from '../../shared/anchors.js'
import { numberDocument } from '../../shared/model/numbering.js'
import { FRAGMENT, toProsemirror } from '../../shared/model/ydoc.js'
import { messageStatus, messageSuggestion, messageThread } from '../../shared/protocol/messages.js'
import { quoteOf } from '../../shared/suggestionAnchor.js'
import type { NewSuggestion, Suggestion } from '../../shared/suggestions.js'
import { CURRENT, type Comparison, type SnapshotMeta } from '../../shared/versions.js'
import { startServer, type TestServer } from '../harness/server.js'
import { api, connect, meeting, permissionDenials, roundTrip, waitFor, type Person, type TestClient } from '../harness/clients.js'
import { pasal, pasalElements } from '../harness/document.js'

/**
 * Issue 13 against the real server: suggestions ("usulan perubahan") over HTTP, pushed live (104),
 * accepted into the live draft as the suggester's edit, seen by stock y-websocket clients.
 */

const DOC = 'rapergub-spbe'
const SUGGESTIONS = `/api/docs/${DOC}/suggestions`

const idOf = (element: Y.XmlElement) => element.getAttribute('id') as string

/** The text of a Pasal as the quote function reads it (blocks joined by line breaks). */
function pasalTextIn(doc: Y.Doc, pasalId: string): string {
  const pm = toProsemirror(doc)
  const label = numberDocument(pm).byId.get(pasalId)
  if (!label) throw new Error(`no Pasal ${pasalId}`)
  const node = pm.nodeAt(label.pos)!
  return quoteOf(pm, label.pos + 1, label.pos + node.nodeSize - 1)
}

/**
 * A range anchor in `doc` from the start of `start` to the end of `end` (default: `start` itself),
 * both searched in the Pasal's text blocks in order; `end` is searched from `start` on. As a
 * client makes it: Yjs relative positions and the quote of what lies between.
 */
function rangeIn(doc: Y.Doc, pasalId: string, start: string, end = start, { collapse = false } = {}) {
  const pm = toProsemirror(doc)
  const label = numberDocument(pm).byId.get(pasalId)!
  const blocks: Array<{ pos: number; text: string }> = []
  pm.nodeAt(label.pos)!.descendants((node, offset) => {
    if (!node.isTextblock) return true
    blocks.push({ pos: label.pos + 1 + offset + 1, text: node.textBetween(0, node.content.size, undefined, '\ufffc') })
    return false
  })
  const find = (phrase: string, after: number) => {
    for (const block of blocks) {
      const index = block.text.indexOf(phrase, Math.max(0, after - block.pos))
      if (block.pos + block.text.length >= after && index >= 0) return block.pos + index
    }
    throw new Error(`"${phrase}" is not in Pasal ${label.label}`)
  }
  const from = find(start, label.pos)
  const to = collapse ? from : find(end, from) + end.length
  const fragment = doc.getXmlFragment(FRAGMENT)
  return { from: positionToRelative(fragment, pm, from)!, to: positionToRelative(fragment, pm, to)!, quote: quoteOf(pm, from, to) }
}

/** The suggestions pushed (message 104) to a stock client, once a round trip opted it in. */
function suggestionPushes(client: TestClient): Suggestion[] {
  const pushes: Suggestion[] = []
  client.provider.messageHandlers[messageSuggestion] = (_encoder, decoder) => {
    pushes.push(JSON.parse(decoding.readVarString(decoder)) as Suggestion)
  }
  // Other pushes a Rancang client gets; the stock provider would log each unknown type.
  client.provider.messageHandlers[messageThread] = () => {}
  client.provider.messageHandlers[messageStatus] = () => {}
  return pushes
}

const suggest = (server: TestServer, who: Person, body: NewSuggestion | Record<string, unknown>, docId = DOC) =>
  api<Suggestion & { error?: string }>(server, 'POST', `/api/docs/${docId}/suggestions`, { token: who.token, body })

async function suggested(server: TestServer, who: Person, body: NewSuggestion): Promise<Suggestion> {
  const response = await suggest(server, who, body)
  expect(response.status, JSON.stringify(response.body)).toBe(201)
  return response.body
}

const act = (server: TestServer, who: Person, id: string, action: 'accept' | 'reject' | 'withdraw') =>
  api<Suggestion & { error?: string }>(server, 'POST', `${SUGGESTIONS}/${id}/${action}`, { token: who.token })

async function listSuggestions(server: TestServer, who: Person): Promise<Suggestion[]> {
  const response = await api<Suggestion[]>(server, 'GET', SUGGESTIONS, { token: who.token })
  expect(response.status).toBe(200)
  return response.body
}

const byId = async (server: TestServer, who: Person, id: string) => (await listSuggestions(server, who)).find((s) => s.id === id)!

describe('suggestions against the real server', () => {
  let server: TestServer
  let people: Awaited<ReturnType<typeof meeting>>
  /** Dewi: a commenter of the Biro Hukum. Rina and Bayu: editors. */
  let dewi: Person
  let rina: Person
  let bayu: Person
  /** Rina's and Bayu's stock clients; Bayu's records the pushes. */
  let rinaClient: TestClient
  let bayuClient: TestClient
  let pushes: Suggestion[]
  /** Pasal ids by the number they had at the start. */
  let pasalIds: string[]
  const pasalId = (number: number) => pasalIds[number - 1]!

  beforeAll(async () => {
    server = await startServer()
    people = await meeting(server)
    ;({ commenter: dewi, rina, bayu } = people)
    rinaClient = connect(server, DOC, rina.token)
    suggestionPushes(rinaClient)
    bayuClient = connect(server, DOC, bayu.token)
    pushes = suggestionPushes(bayuClient)
    await Promise.all([rinaClient.synced, bayuClient.synced])
    await Promise.all([roundTrip(rinaClient), roundTrip(bayuClient)])
    pasalIds = pasalElements(rinaClient.doc).map(idOf)
  })
  afterAll(async () => {
    rinaClient?.destroy()
    bayuClient?.destroy()
    await server?.dispose()
  })

  it('a commenter suggests new wording: the answer records it, everyone is told live, and the text is untouched', async () => {
    const before = pasalTextIn(rinaClient.doc, pasalId(11))
    const range = rangeIn(rinaClient.doc, pasalId(11), 'tidak dapat membangun')
    const suggestion = await suggested(server, dewi, { anchor: { pasalId: pasalId(11), range }, insert: 'dilarang membangun', note: 'Lebih tegas.' })
    expect(suggestion).toMatchObject({
      docId: DOC,
      kind: 'text',
      anchor: { pasalId: pasalId(11), range },
      insert: 'dilarang membangun',
      note: 'Lebih tegas.',
      status: 'open',
      author: authorOf(dewi.user),
      origin: { pasalLabel: 'Pasal 11' },
      replies: [],
    })
    await waitFor(() => pushes.some((p) => p.id === suggestion.id), 'the suggestion to be pushed to Bayu')
    expect(pushes.find((p) => p.id === suggestion.id)).toEqual(suggestion)
    expect(await byId(server, people.viewer, suggestion.id)).toEqual(suggestion)
    await roundTrip(bayuClient)
    expect(pasalTextIn(bayuClient.doc, pasalId(11))).toBe(before)
  })

  it('accepting makes the change for everyone as the suggester’s edit: attributed to her, recorded with the accepter (S14)', async () => {
    const version = await api<SnapshotMeta>(server, 'POST', `/api/docs/${DOC}/snapshots`, { token: rina.token, body: { name: 'Sebelum usulan' } })
    expect(version.status).toBe(201)
    const agreed = await api<StatusRecord>(server, 'PUT', `/api/docs/${DOC}/statuses/${pasalId(14)}`, {
      token: rina.token,
      body: { status: 'disepakati' },
    })
    expect(agreed.status).toBe(200)
    const range = rangeIn(rinaClient.doc, pasalId(14), 'wajib menggunakan')
    const suggestion = await suggested(server, dewi, { anchor: { pasalId: pasalId(14), range }, insert: 'harus menggunakan' })

    const accepted = await act(server, rina, suggestion.id, 'accept')
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200)
    expect(accepted.body).toMatchObject({ id: suggestion.id, status: 'accepted', decidedBy: authorOf(rina.user), author: authorOf(dewi.user) })
    await waitFor(
      () => pasalTextIn(bayuClient.doc, pasalId(14)).includes('Perangkat Daerah harus menggunakan Aplikasi Umum'),
      'Bayu to see the accepted text',
    )
    expect(pasalTextIn(bayuClient.doc, pasalId(14))).not.toContain('wajib menggunakan')
    await waitFor(() => pushes.some((p) => p.id === suggestion.id && p.status === 'accepted'), 'the acceptance to be pushed')

    // The agreed Pasal goes back to Dibahas, as an edit by Dewi.
    const status = (await api<StatusRecord[]>(server, 'GET', `/api/docs/${DOC}/statuses`, { token: rina.token })).body.find(
      (r) => r.pasalId === pasalId(14),
    )!
    expect(status.status).toBe('dibahas')
    expect(status.history.at(-1)).toMatchObject({ status: 'dibahas', by: authorOf(dewi.user), reason: 'teks-diubah' })

    // The comparison says Dewi changed Pasal 14, and marks her words.
    const comparison = await api<Comparison>(server, 'GET', `/api/docs/${DOC}/compare?from=${version.body.id}&to=${CURRENT}`, { token: rina.token })
    expect(comparison.status).toBe(200)
    const change = comparison.body.changes.find((c) => c.key === `pasal:${pasalId(14)}`)!
    expect(change).toMatchObject({ kind: 'diubah', authors: [authorOf(dewi.user)] })
    expect(JSON.stringify(comparison.body.content)).toContain(`"user":"${dewi.user.name} · Biro Hukum"`)

    expect((await act(server, rina, suggestion.id, 'accept')).status).toBe(409)
  })

  it('refuses a commenter’s edit over the WebSocket: only an accepted suggestion changes the text', async () => {
    const dewiClient = connect(server, DOC, dewi.token)
    suggestionPushes(dewiClient)
    const denials = permissionDenials(dewiClient)
    try {
      await dewiClient.synced
      const before = pasalTextIn(rinaClient.doc, pasalId(3))
      const text = ((pasal(dewiClient.doc, 3).get(0) as Y.XmlElement).get(0) as Y.XmlElement).get(0) as Y.XmlText
      text.insert(0, 'Diam-diam ')
      await roundTrip(dewiClient)
      await roundTrip(rinaClient)
      expect(denials).toEqual(['read-only'])
      expect(pasalTextIn(rinaClient.doc, pasalId(3))).toBe(before)
    } finally {
      dewiClient.destroy()
    }
  })

  it('enforces roles: viewers may not suggest, commenters may not settle, only the author withdraws or changes', async () => {
    const range = rangeIn(rinaClient.doc, pasalId(12), 'seluruh Perangkat Daerah')
    const body = { anchor: { pasalId: pasalId(12), range }, insert: 'semua Perangkat Daerah' }
    expect((await suggest(server, people.viewer, body)).status).toBe(403)
    const suggestion = await suggested(server, dewi, body)
    expect((await act(server, dewi, suggestion.id, 'accept')).status).toBe(403)
    expect((await act(server, dewi, suggestion.id, 'reject')).status).toBe(403)
    expect((await api(server, 'POST', `${SUGGESTIONS}/accept-all`, { token: dewi.token, body: {} })).status).toBe(403)
    expect((await act(server, rina, suggestion.id, 'withdraw')).status).toBe(403)
    expect((await api(server, 'PATCH', `${SUGGESTIONS}/${suggestion.id}`, { token: rina.token, body: { insert: 'x' } })).status).toBe(403)
    expect((await act(server, rina, 'tidak-ada', 'accept')).status).toBe(404)
    expect((await api(server, 'GET', `/api/docs/tidak-ada/suggestions`, { token: rina.token })).status).toBe(404)
    expect((await api(server, 'GET', SUGGESTIONS)).status).toBe(401)
    expect(await byId(server, rina, suggestion.id)).toMatchObject({ status: 'open' })

    const withdrawn = await act(server, dewi, suggestion.id, 'withdraw')
    expect(withdrawn.status).toBe(200)
    expect(withdrawn.body).toMatchObject({ status: 'withdrawn', decidedBy: authorOf(dewi.user) })
    expect((await act(server, rina, suggestion.id, 'accept')).status).toBe(409)
    expect((await act(server, rina, suggestion.id, 'reject')).status).toBe(409)
  })
})
