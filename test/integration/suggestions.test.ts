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
import { api, connect, createAccount, meeting, permissionDenials, roundTrip, waitFor, type Person, type TestClient } from '../harness/clients.js'
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

/** The `pasal` element with this id in a client's document (undefined once it is gone). */
const pasalById = (doc: Y.Doc, id: string) => pasalElements(doc).find((element) => idOf(element) === id)

/** The Y.XmlText of the first text block of ayat `index` of a Pasal element. */
const ayatTextOf = (element: Y.XmlElement, index = 0) => ((element.get(index) as Y.XmlElement).get(0) as Y.XmlElement).get(0) as Y.XmlText

/** Whether the document a client holds is valid under the schema. */
function isValid(doc: Y.Doc): boolean {
  try {
    toProsemirror(doc).check()
    return true
  } catch {
    return false
  }
}

/** Waits until Bayu's client holds what Rina's holds (an accepted change reached both). */
async function bothHold(a: TestClient, b: TestClient) {
  await roundTrip(a)
  await roundTrip(b)
  await waitFor(() => JSON.stringify(toProsemirror(a.doc).toJSON()) === JSON.stringify(toProsemirror(b.doc).toJSON()), 'the clients to converge')
}

/** A second commenter, of another bidang. */
const meetingAccount = async (server: TestServer, admin: string): Promise<Person> => createAccount(server, 'commenter', 'Bidang Persandian', admin)

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

  it('turns a suggestion stale, live, when an editor changes the quoted text, refuses to accept it, and opens it again when the edit is undone', async () => {
    const id = pasalId(13)
    const suggestion = await suggested(server, dewi, { anchor: { pasalId: id, range: rangeIn(rinaClient.doc, id, 'terstandar') }, insert: 'standar' })
    const text = ayatTextOf(pasalById(rinaClient.doc, id)!)
    const at = text.toString().indexOf('terstandar')
    text.delete(at, 'ter'.length)
    await waitFor(() => pushes.some((p) => p.id === suggestion.id && p.status === 'stale'), 'the suggestion to be pushed as stale')
    expect(await byId(server, rina, suggestion.id)).toMatchObject({ status: 'stale', current: 'standar' })
    const refused = await act(server, rina, suggestion.id, 'accept')
    expect(refused.status).toBe(409)
    expect(refused.body.error).toMatch(/sudah berubah/)

    text.insert(at, 'ter')
    await waitFor(async () => (await byId(server, rina, suggestion.id)).status === 'open', 'the suggestion to be open again')
    expect((await byId(server, rina, suggestion.id)).current).toBeUndefined()
    expect((await act(server, rina, suggestion.id, 'reject')).body).toMatchObject({ status: 'rejected', decidedBy: authorOf(rina.user) })
    await bothHold(rinaClient, bayuClient)
    expect(pasalTextIn(bayuClient.doc, id)).toContain('yang terstandar.')
  })

  it('overlapping suggestions by two people: accepting one makes the other stale; one beside it still applies where it was', async () => {
    const id = pasalId(15)
    const commenter2 = (await meetingAccount(server, people.admin.token)) as Person
    const first = await suggested(server, dewi, {
      anchor: { pasalId: id, range: rangeIn(rinaClient.doc, id, 'dapat membangun Aplikasi Khusus') },
      insert: 'dapat mengembangkan Aplikasi Khusus',
    })
    const second = await suggested(server, commenter2, {
      anchor: { pasalId: id, range: rangeIn(rinaClient.doc, id, 'membangun') },
      insert: 'menyusun',
    })
    const beside = await suggested(server, commenter2, {
      anchor: { pasalId: id, range: rangeIn(rinaClient.doc, id, 'Dalam hal kebutuhan') },
      insert: 'Dalam hal keperluan',
    })

    expect((await act(server, rina, first.id, 'accept')).status).toBe(200)
    expect(await byId(server, rina, second.id)).toMatchObject({ status: 'stale' })
    expect((await act(server, rina, second.id, 'accept')).status).toBe(409)
    expect((await act(server, bayu, beside.id, 'accept')).status).toBe(200)
    await bothHold(rinaClient, bayuClient)
    expect(pasalTextIn(bayuClient.doc, id)).toMatch(
      /^Dalam hal keperluan Perangkat Daerah tidak dapat dipenuhi oleh Aplikasi Umum sebagaimana dimaksud \ufffc, Perangkat Daerah dapat mengembangkan Aplikasi Khusus\./,
    )
    await waitFor(() => pushes.some((p) => p.id === second.id && p.status === 'stale'), 'the stale one to be pushed')
  })

  it('a suggestion spanning two ayat joins them on accept, as deleting across them in the editor does, and the draft stays valid', async () => {
    const id = pasalId(6)
    const ayatBefore = pasalById(rinaClient.doc, id)!.length
    // From ayat (1) into ayat (2), over the live reference "pada ayat (1)" there.
    const range = rangeIn(rinaClient.doc, id, '5 (lima) tahun.', 'sebagaimana dimaksud \ufffc disusun')
    expect(range.quote).toBe('5 (lima) tahun.\nArsitektur SPBE Pemerintah Daerah sebagaimana dimaksud \ufffc disusun')
    const suggestion = await suggested(server, dewi, { anchor: { pasalId: id, range }, insert: '5 (lima) tahun yang disusun' })
    expect((await act(server, rina, suggestion.id, 'accept')).status).toBe(200)
    await bothHold(rinaClient, bayuClient)
    expect(pasalById(bayuClient.doc, id)!.length).toBe(ayatBefore - 1)
    expect(pasalTextIn(bayuClient.doc, id).split('\n')[0]).toBe(
      'Gubernur menetapkan Arsitektur SPBE Pemerintah Daerah untuk jangka waktu 5 (lima) tahun yang disusun dengan berpedoman pada arsitektur SPBE nasional dan selaras dengan rencana pembangunan jangka menengah Daerah.',
    )
    expect(isValid(bayuClient.doc)).toBe(true)
  })

  it('a suggestion beside a live reference keeps the reference; one over it replaces it with the proposed words', async () => {
    const id = pasalId(19)
    // The draft refers to Pasal 18 with a live reference (a rujukan node, quoted as U+FFFC).
    expect(pasalTextIn(rinaClient.doc, id)).toMatch(/^Pelaksanaan Manajemen SPBE sebagaimana dimaksud \ufffc berpedoman/)
    const beside = await suggested(server, dewi, {
      anchor: { pasalId: id, range: rangeIn(rinaClient.doc, id, 'SPBE sebagaimana dimaksud ') },
      insert: 'SPBE yang disebut ',
    })
    const over = await suggested(server, dewi, {
      anchor: { pasalId: id, range: rangeIn(rinaClient.doc, id, '\ufffc berpedoman') },
      insert: 'Pasal 18 berpedoman',
    })
    expect(over.anchor.range.quote).toBe('\ufffc berpedoman')
    expect((await act(server, rina, beside.id, 'accept')).status).toBe(200)
    await bothHold(rinaClient, bayuClient)
    expect(pasalTextIn(bayuClient.doc, id)).toMatch(/^Pelaksanaan Manajemen SPBE yang disebut \ufffc berpedoman/)
    expect((await act(server, rina, over.id, 'accept')).status).toBe(200)
    await bothHold(rinaClient, bayuClient)
    expect(pasalTextIn(bayuClient.doc, id)).toMatch(/^Pelaksanaan Manajemen SPBE yang disebut Pasal 18 berpedoman/)
    expect(isValid(bayuClient.doc)).toBe(true)
  })

  it('deleting a whole Pasal as a suggestion: accepting removes it; suggestions inside it become stale', async () => {
    const id = pasalId(29)
    const deletion = await suggested(server, dewi, { kind: 'deletePasal', anchor: { pasalId: id } as NewSuggestion['anchor'], insert: '' })
    expect(deletion).toMatchObject({ kind: 'deletePasal', anchor: { pasalId: id, range: { quote: '' } }, origin: { pasalLabel: 'Pasal 29' } })
    const inside = await suggested(server, dewi, {
      anchor: { pasalId: id, range: rangeIn(rinaClient.doc, id, 'dicabut') },
      insert: 'dicabut seluruhnya',
    })
    const labels = pasalElements(rinaClient.doc).length
    expect((await act(server, rina, deletion.id, 'accept')).status).toBe(200)
    await bothHold(rinaClient, bayuClient)
    expect(pasalById(bayuClient.doc, id)).toBeUndefined()
    expect(pasalElements(bayuClient.doc)).toHaveLength(labels - 1)
    expect(await byId(server, rina, inside.id)).toMatchObject({ status: 'stale', current: '' })
    expect(isValid(bayuClient.doc)).toBe(true)
  })

  it('a suggestion whose Pasal an editor deletes turns stale', async () => {
    const id = pasalId(28)
    const suggestion = await suggested(server, dewi, {
      anchor: { pasalId: id, range: rangeIn(rinaClient.doc, id, 'paling lama 6 (enam) bulan') },
      insert: 'paling lama 3 (tiga) bulan',
    })
    const element = pasalById(rinaClient.doc, id)!
    const parent = element.parent as Y.XmlElement
    parent.delete(parent.toArray().indexOf(element), 1)
    await waitFor(async () => (await byId(server, rina, suggestion.id)).status === 'stale', 'the suggestion to turn stale')
    expect(await byId(server, rina, suggestion.id)).toMatchObject({ status: 'stale', current: '' })
  })

  it('suggests a new ayat and a new Pasal as blocks: accepted with fresh ids, in place, the draft valid', async () => {
    const ayat = (text: string) => ({ type: 'ayat', attrs: { id: 'dipilih-klien' }, content: [{ type: 'teks', content: [{ type: 'text', text }] }] })
    const nineId = pasalId(9)
    const nine = pasalById(rinaClient.doc, nineId)!
    const ayatCount = nine.length
    const end = 'sesuai dengan tugas dan fungsinya.'
    const atEnd = rangeIn(rinaClient.doc, nineId, end)
    const newAyat = await suggested(server, dewi, {
      kind: 'blocks',
      anchor: { pasalId: nineId, range: { from: atEnd.to, to: atEnd.to, quote: '' } },
      insert: '',
      blocks: [ayat('Pemetaan Proses Bisnis dilakukan paling lambat 1 (satu) tahun.')],
    })
    expect(newAyat.blocks).toMatchObject([
      {
        type: 'ayat',
        attrs: { id: null },
        content: [{ type: 'teks', content: [{ text: 'Pemetaan Proses Bisnis dilakukan paling lambat 1 (satu) tahun.' }] }],
      },
    ])
    const tenId = pasalId(10)
    const atTen = rangeIn(rinaClient.doc, tenId, 'Data dan informasi', 'Data dan informasi', { collapse: true })
    const newPasal = await suggested(server, dewi, {
      kind: 'blocks',
      anchor: { pasalId: tenId, range: atTen },
      insert: '',
      blocks: [{ type: 'pasal', content: [ayat('Dinas mengelola portal data Daerah.')] }],
    })
    expect((await act(server, rina, newAyat.id, 'accept')).status).toBe(200)
    expect((await act(server, rina, newPasal.id, 'accept')).status).toBe(200)
    await bothHold(rinaClient, bayuClient)

    const after = pasalById(bayuClient.doc, nineId)!
    expect(after.length).toBe(ayatCount + 1)
    expect(ayatTextOf(after, 1).toString()).toBe('Pemetaan Proses Bisnis dilakukan paling lambat 1 (satu) tahun.')
    const newAyatId = (after.get(1) as Y.XmlElement).getAttribute('id')
    expect(newAyatId).toMatch(/^[0-9a-z]{12}$/)
    const elements = pasalElements(bayuClient.doc)
    const tenAt = elements.findIndex((e) => idOf(e) === tenId)
    const added = elements[tenAt + 1]!
    expect(ayatTextOf(added).toString()).toBe('Dinas mengelola portal data Daerah.')
    expect(idOf(added)).toMatch(/^[0-9a-z]{12}$/)
    expect(pasalIds).not.toContain(idOf(added))
    expect(isValid(bayuClient.doc)).toBe(true)
  })

  it('refuses blocks that are not whole units valid under the schema', async () => {
    const id = pasalId(9)
    const at = rangeIn(rinaClient.doc, id, 'Setiap Perangkat Daerah', 'Setiap Perangkat Daerah', { collapse: true })
    const body = (blocks: unknown) => ({ kind: 'blocks', anchor: { pasalId: id, range: at }, insert: '', blocks })
    for (const blocks of [
      [],
      [{ type: 'ayat', content: [] }],
      [{ type: 'bab', content: [] }],
      [{ type: 'tidak-ada' }],
      'ayat',
      [{ type: 'teks', content: [{ type: 'text', text: 'x' }] }],
    ]) {
      const response = await suggest(server, dewi, body(blocks))
      expect(response.status, JSON.stringify(blocks)).toBe(400)
      expect(response.body.error).toBeTruthy()
    }
  })

  it('accepts a suggestion after its Pasal was moved (deleted and inserted again with the same id), where its words now are', async () => {
    const id = pasalId(24)
    const suggestion = await suggested(server, dewi, {
      anchor: { pasalId: id, range: rangeIn(rinaClient.doc, id, 'setiap tahun') },
      insert: 'setiap 2 (dua) tahun',
    })
    // Rina moves Pasal 24 after Pasal 25 as a client does: a new element with the same id.
    const element = pasalById(rinaClient.doc, id)!
    const parent = element.parent as Y.XmlElement
    rinaClient.doc.transact(() => {
      const copy = element.clone()
      const index = parent.toArray().indexOf(element)
      parent.delete(index, 1)
      parent.insert(index + 1, [copy])
    })
    await bothHold(rinaClient, bayuClient)
    expect(pasalElements(bayuClient.doc).map(idOf).indexOf(id)).toBe(pasalElements(bayuClient.doc).map(idOf).indexOf(pasalId(25)) + 1)
    expect(await byId(server, rina, suggestion.id)).toMatchObject({ status: 'open' })
    expect((await act(server, rina, suggestion.id, 'accept')).status).toBe(200)
    await bothHold(rinaClient, bayuClient)
    expect(pasalTextIn(bayuClient.doc, id)).toMatch(/^Pemerintah Daerah melaksanakan evaluasi mandiri SPBE setiap 2 \(dua\) tahun dengan/)
  })

  it('restoring a version does not delete suggestions; it makes those whose text it changes stale', async () => {
    const id = pasalId(26)
    const version = await api<SnapshotMeta>(server, 'POST', `/api/docs/${DOC}/snapshots`, { token: rina.token, body: { name: 'Sebelum tambahan' } })
    const text = ayatTextOf(pasalById(rinaClient.doc, id)!)
    text.insert(text.length, ' Tambahan dari rapat.')
    await roundTrip(rinaClient)
    const suggestion = await suggested(server, dewi, {
      anchor: { pasalId: id, range: rangeIn(rinaClient.doc, id, 'Tambahan dari rapat.') },
      insert: 'Tambahan dari rapat kedua.',
    })
    const restored = await api(server, 'POST', `/api/docs/${DOC}/snapshots/${version.body.id}/restore`, { token: rina.token })
    expect(restored.status).toBe(200)
    await waitFor(async () => (await byId(server, rina, suggestion.id)).status === 'stale', 'the suggestion to turn stale after the restore')
    expect(await byId(server, rina, suggestion.id)).toMatchObject({ status: 'stale', current: '' })
  })

  it('the author extends an open suggestion as she keeps typing; others may not, and the new range must read as quoted', async () => {
    const id = pasalId(27)
    const point = rangeIn(rinaClient.doc, id, 'anggaran pendapatan', 'anggaran pendapatan', { collapse: true })
    const suggestion = await suggested(server, dewi, { anchor: { pasalId: id, range: point }, insert: 'a' })
    const extended = await api<Suggestion>(server, 'PATCH', `${SUGGESTIONS}/${suggestion.id}`, {
      token: dewi.token,
      body: { insert: 'alokasi ', note: 'Perjelas.' },
    })
    expect(extended.status).toBe(200)
    expect(extended.body).toMatchObject({ id: suggestion.id, insert: 'alokasi ', note: 'Perjelas.', status: 'open', createdAt: suggestion.createdAt })
    await waitFor(() => pushes.some((p) => p.id === suggestion.id && p.insert === 'alokasi '), 'the extension to be pushed')
    const wrong = { pasalId: id, range: { ...rangeIn(rinaClient.doc, id, 'anggaran pendapatan'), quote: 'anggaran belanja' } }
    expect((await api(server, 'PATCH', `${SUGGESTIONS}/${suggestion.id}`, { token: dewi.token, body: { anchor: wrong } })).status).toBe(409)
    expect((await api(server, 'PATCH', `${SUGGESTIONS}/${suggestion.id}`, { token: bayu.token, body: { insert: 'b' } })).status).toBe(403)
    const noteless = await api<Suggestion>(server, 'PATCH', `${SUGGESTIONS}/${suggestion.id}`, { token: dewi.token, body: { note: '' } })
    expect(noteless.body.note).toBeUndefined()

    const replied = await api<Suggestion>(server, 'POST', `${SUGGESTIONS}/${suggestion.id}/replies`, { token: rina.token, body: { text: 'Setuju.' } })
    expect(replied.status).toBe(201)
    expect(replied.body.replies).toMatchObject([{ text: 'Setuju.', author: authorOf(rina.user) }])
    expect((await api(server, 'POST', `${SUGGESTIONS}/${suggestion.id}/replies`, { token: people.viewer.token, body: { text: 'x' } })).status).toBe(
      403,
    )

    expect((await act(server, rina, suggestion.id, 'accept')).status).toBe(200)
    await bothHold(rinaClient, bayuClient)
    expect(pasalTextIn(bayuClient.doc, id)).toContain('alokasi anggaran pendapatan')
  })

  it('accepts every open suggestion of a Pasal at once, skipping and listing those that are or become stale', async () => {
    const id = pasalId(17)
    const older = await suggested(server, dewi, {
      anchor: { pasalId: id, range: rangeIn(rinaClient.doc, id, 'Layanan SPBE terdiri atas') },
      insert: 'Layanan SPBE meliputi',
    })
    const overlapping = await suggested(server, dewi, {
      anchor: { pasalId: id, range: rangeIn(rinaClient.doc, id, 'terdiri atas') },
      insert: 'mencakup',
    })
    const separate = await suggested(server, dewi, {
      anchor: { pasalId: id, range: rangeIn(rinaClient.doc, id, 'layanan publik') },
      insert: 'pelayanan publik',
    })
    const elsewhere = await suggested(server, dewi, {
      anchor: { pasalId: pasalId(21), range: rangeIn(rinaClient.doc, pasalId(21), 'bertindak sebagai') },
      insert: 'menjadi',
    })
    const all = await api<{ accepted: number; skipped: string[] }>(server, 'POST', `${SUGGESTIONS}/accept-all`, {
      token: rina.token,
      body: { pasalId: id },
    })
    expect(all.status).toBe(200)
    expect(all.body).toEqual({ accepted: 2, skipped: [overlapping.id] })
    expect((await byId(server, rina, older.id)).status).toBe('accepted')
    expect((await byId(server, rina, separate.id)).status).toBe('accepted')
    expect((await byId(server, rina, elsewhere.id)).status).toBe('open')
    await bothHold(rinaClient, bayuClient)
    expect(pasalTextIn(bayuClient.doc, id)).toMatch(
      /^Layanan SPBE meliputi:\nlayanan administrasi pemerintahan berbasis elektronik; dan\npelayanan publik/,
    )

    const started = performance.now()
    const whole = await api<{ accepted: number; skipped: string[] }>(server, 'POST', `${SUGGESTIONS}/accept-all`, { token: bayu.token, body: {} })
    console.log(
      `accept-all over HTTP: ${whole.body.accepted} accepted, ${whole.body.skipped.length} skipped in ${(performance.now() - started).toFixed(0)} ms`,
    )
    expect(whole.status).toBe(200)
    expect(whole.body.accepted).toBeGreaterThanOrEqual(1)
    expect(whole.body.skipped).toContain(overlapping.id)
    expect(await byId(server, rina, elsewhere.id)).toMatchObject({ status: 'accepted', decidedBy: authorOf(bayu.user) })
    expect((await listSuggestions(server, rina)).filter((s) => s.status === 'open')).toEqual([])
  })
})
