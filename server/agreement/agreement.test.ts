import { describe, expect, it } from 'vitest'
import * as decoding from 'lib0/decoding'
import type { Node } from 'prosemirror-model'
import { PASAL_STATUSES, STATUS_LABELS, agreementProgress, isPasalStatus, type StatusRecord } from '../../shared/agreement.js'
import { authorOf, type Role, type User } from '../../shared/accounts.js'
import { DEFAULT_META } from '../../shared/documents.js'
import { bab, pasal, regulation } from '../../shared/model/builders.js'
import { encodeDocument } from '../../shared/model/ydoc.js'
import { messageStatus } from '../../shared/protocol/messages.js'
import { SchemaFirewall } from '../../shared/model/firewall.js'
import { Agreement } from './agreement.js'
import { MemoryStorage } from '../storage/memory.js'
import { Rooms } from '../rooms/rooms.js'
import { Connection } from '../rooms/connection.js'
import { inlineValidator } from '../rooms/validation.js'
import { UnknownDocumentError } from '../storage/types.js'
import { Refusal, type RefusalKind } from '../refusal.js'

/** Agreement per Pasal: the progress count, and the status rules as the server's service applies them. */

const record = (pasalId: string, status: StatusRecord['status']): StatusRecord => ({ docId: 'd', pasalId, status, history: [] })

describe('agreement progress', () => {
  it('counts the agreed Pasal among those that exist now', () => {
    const statuses = new Map([
      ['p1', record('p1', 'disepakati')],
      ['p2', record('p2', 'dibahas')],
      ['p3', record('p3', 'disepakati')],
      ['p4', record('p4', 'draf')],
      // A Pasal that was agreed and then deleted no longer counts.
      ['gone', record('gone', 'disepakati')],
    ])
    expect(agreementProgress(['p1', 'p2', 'p3', 'p4', 'p5'], statuses)).toEqual({ agreed: 2, total: 5 })
  })

  it('is zero of zero for an empty draft, and zero of N when nothing is recorded', () => {
    expect(agreementProgress([], new Map())).toEqual({ agreed: 0, total: 0 })
    expect(agreementProgress(['a', 'b', 'c'], new Map())).toEqual({ agreed: 0, total: 3 })
  })

  it('knows the three statuses in order, with their Indonesian labels', () => {
    expect(PASAL_STATUSES).toEqual(['draf', 'dibahas', 'disepakati'])
    expect(STATUS_LABELS).toEqual({ draf: 'Draf', dibahas: 'Dibahas', disepakati: 'Disepakati' })
    for (const status of PASAL_STATUSES) expect(isPasalStatus(status)).toBe(true)
    for (const other of ['Disepakati', 'selesai', '', null, undefined, 3, ['draf']]) expect(isPasalStatus(other)).toBe(false)
  })
})

const person = (role: Role, username: string = role): User => ({
  id: `id-${username}`,
  username,
  name: `Nama ${username}`,
  bidang: `Bidang ${username}`,
  role,
})

const withId = (node: Node, id: string) => node.type.create({ ...node.attrs, id }, node.content)

/** A draft whose Pasal have the ids p1…p5. */
const DRAFT = encodeDocument(
  regulation({
    nama: 'UJI STATUS',
    menimbang: ['bahwa status pasal perlu diuji;'],
    mengingat: ['Undang-Undang Nomor 23 Tahun 2014 tentang Pemerintahan Daerah;'],
    batangTubuh: [bab('KETENTUAN UMUM', ...[1, 2, 3, 4, 5].map((n) => withId(pasal(`Isi pasal ${n}.`), `p${n}`)))],
  }),
)

/** The agreement service of one server over `storage`: real rooms, with the service as their extension. */
function server(storage: MemoryStorage, idleUnloadMs = 60_000) {
  let agreement!: Agreement
  const rooms = new Rooms(
    storage,
    {
      compactAfterUpdates: 500,
      maxBufferedBytes: 1 << 20,
      maxStateBytes: 16 << 10,
      maxClientsPerConnection: 8,
      syncAnswersPerMinute: 60,
      validator: inlineValidator,
      createFirewall: (doc) => new SchemaFirewall(doc),
      idleUnloadMs,
    },
    [{ name: 'agreement', onUpdateStored: (payload) => agreement.onUpdateStored(payload), onUnloaded: (docId) => agreement.onUnloaded(docId) }],
  )
  agreement = new Agreement(storage, rooms)
  return { rooms, agreement }
}

async function storageWithDraft() {
  const storage = new MemoryStorage()
  await storage.createDocument({ id: 'd', title: 'Uji', createdAt: '2026-01-01T00:00:00.000Z', epoch: 'e1', meta: DEFAULT_META }, DRAFT)
  return storage
}

/**
 * The service over memory storage and real rooms, with document "d" open and one Rancang client
 * in it; `pushed` is what that client was sent.
 */
async function service() {
  const storage = await storageWithDraft()
  const { rooms, agreement } = server(storage)
  const pushed: StatusRecord[] = []
  const socket = {
    bufferedAmount: 0,
    close: () => {},
    send: (message: Uint8Array) => {
      const decoder = decoding.createDecoder(message)
      if (decoding.readVarUint(decoder) === messageStatus) pushed.push(JSON.parse(decoding.readVarString(decoder)) as StatusRecord)
    },
  }
  const client = new Connection(socket, person('viewer', 'pembaca'), false)
  client.usesExtensions = true
  ;(await rooms.acquire('d')).join(client)
  return { storage, agreement, pushed }
}

/** What a call ends with, whether it throws at once or rejects later. */
async function outcome<T>(call: () => Promise<T>): Promise<{ value?: T; error?: unknown }> {
  try {
    return { value: await call() }
  } catch (error) {
    return { error }
  }
}

async function refusal(call: () => Promise<unknown>): Promise<RefusalKind> {
  const { error } = await outcome(call)
  expect(error).toBeInstanceOf(Refusal)
  return (error as Refusal).kind
}

describe('status changes through the agreement service', () => {
  const editor = person('editor', 'rina')
  const admin = person('admin', 'admin')

  it('an editor sets a status: recorded with who and when, stored, and announced', async () => {
    const { storage, agreement, pushed } = await service()
    const before = Date.now()
    const result = await agreement.set('d', 'p1', 'disepakati', editor)
    expect(result).toMatchObject({ docId: 'd', pasalId: 'p1', status: 'disepakati', history: [{ status: 'disepakati', by: authorOf(editor) }] })
    const at = Date.parse(result.history[0]!.at)
    expect(at).toBeGreaterThanOrEqual(before - 1)
    expect(at).toBeLessThanOrEqual(Date.now() + 1)
    expect(result.history[0]!.reason).toBeUndefined()
    // The author is a person, not an account: no role is recorded.
    expect(result.history[0]!.by).not.toHaveProperty('role')
    expect(await storage.getStatus('d', 'p1')).toEqual(result)
    expect(await agreement.list('d')).toEqual([result])
    expect(pushed).toEqual([result])
  })

  it('an admin may set a status too', async () => {
    const { agreement } = await service()
    expect((await agreement.set('d', 'p2', 'dibahas', admin)).history[0]!.by.username).toBe('admin')
  })

  it.each(['commenter', 'viewer'] as const)('a %s is refused (forbidden) and nothing is recorded', async (role) => {
    const { agreement, pushed } = await service()
    expect(await refusal(() => agreement.set('d', 'p1', 'disepakati', person(role)))).toBe('forbidden')
    expect(await agreement.list('d')).toEqual([])
    expect(pushed).toEqual([])
  })

  it.each([['selesai'], ['Disepakati'], [''], [undefined], [null], [2]])('an invalid status (%j) is refused as invalid', async (status) => {
    const { agreement, pushed } = await service()
    expect(await refusal(() => agreement.set('d', 'p1', status, editor))).toBe('invalid')
    expect(pushed).toEqual([])
  })

  it('a Pasal that does not exist is refused as not found; an unknown document is an error (the route answers 404 before)', async () => {
    const { agreement, pushed } = await service()
    expect(await refusal(() => agreement.set('d', 'p9', 'disepakati', editor))).toBe('not-found')
    await expect(agreement.set('lain', 'p1', 'disepakati', editor)).rejects.toBeInstanceOf(UnknownDocumentError)
    expect(await agreement.list('d')).toEqual([])
    expect(pushed).toEqual([])
  })

  it('keeps the history oldest first, each change with its author; the status is the last change', async () => {
    const { agreement } = await service()
    const bayu = person('editor', 'bayu')
    await agreement.set('d', 'p3', 'dibahas', editor)
    await agreement.set('d', 'p3', 'disepakati', bayu)
    const last = await agreement.set('d', 'p3', 'dibahas', admin)
    expect(last.status).toBe('dibahas')
    expect(last.history.map((c) => [c.status, c.by.username])).toEqual([
      ['dibahas', 'rina'],
      ['disepakati', 'bayu'],
      ['dibahas', 'admin'],
    ])
    const times = last.history.map((c) => Date.parse(c.at))
    expect([...times].sort((a, b) => a - b)).toEqual(times)
  })

  it('setting the same status again is still recorded in the history', async () => {
    const { agreement } = await service()
    await agreement.set('d', 'p1', 'disepakati', editor)
    expect((await agreement.set('d', 'p1', 'disepakati', admin)).history).toHaveLength(2)
  })

  const unloaded = async (rooms: Rooms) => {
    for (let wait = 0; wait < 200 && rooms.loaded().length > 0; wait++) await new Promise((resolve) => setTimeout(resolve, 5))
    expect(rooms.loaded()).toEqual([])
  }

  it('keeps the statuses of a document only while it is open: a change another server made after it unloaded here is seen, and the history keeps it', async () => {
    const storage = await storageWithDraft()
    const here = server(storage, 1)
    const there = server(storage, 1)
    await here.agreement.set('d', 'p1', 'disepakati', editor)
    await unloaded(here.rooms)
    await there.agreement.set('d', 'p1', 'dibahas', admin)
    await unloaded(there.rooms)

    expect((await here.agreement.list('d')).map((r) => r.status)).toEqual(['dibahas'])
    const last = await here.agreement.set('d', 'p1', 'disepakati', editor)
    expect(last.history.map((c) => [c.status, c.by.username])).toEqual([
      ['disepakati', 'rina'],
      ['dibahas', 'admin'],
      ['disepakati', 'rina'],
    ])
    expect(await storage.getStatus('d', 'p1')).toEqual(last)
  })

  it('keeps a change whose write outlasted the document: it unloaded meanwhile and was opened again, its statuses read before the write landed', async () => {
    const storage = await storageWithDraft()
    const here = server(storage, 1)
    let writing!: () => void
    const written = new Promise<void>((resolve) => (writing = resolve))
    let land!: () => void
    const slowDisk = new Promise<void>((resolve) => (land = resolve))
    const put = storage.putStatus.bind(storage)
    storage.putStatus = async (record, audit) => {
      writing()
      await slowDisk
      return put(record, audit)
    }
    const setting = here.agreement.set('d', 'p1', 'disepakati', editor)
    await written
    await unloaded(here.rooms)
    const room = await here.rooms.acquire('d')
    expect(await here.agreement.list('d')).toEqual([])

    land()
    await setting
    expect((await here.agreement.list('d')).map((r) => r.status)).toEqual(['disepakati'])
    here.rooms.release(room)
  })

  it('keeps every one of many changes to the same Pasal made at once', async () => {
    const { agreement } = await service()
    const people = Array.from({ length: 10 }, (_, i) => person('editor', `e${i}`))
    const results = await Promise.all(people.map((p, i) => agreement.set('d', 'p4', i % 2 ? 'disepakati' : 'dibahas', p)))
    const [final] = await agreement.list('d')
    expect(final!.history).toHaveLength(10)
    expect(new Set(final!.history.map((c) => c.by.username))).toEqual(new Set(people.map((p) => p.username)))
    // Each answer saw every change before it: the longest answer is the final record.
    expect(results.map((r) => r.history.length).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    expect(results.find((r) => r.history.length === 10)).toEqual(final)
    expect(final!.status).toBe(final!.history.at(-1)!.status)
  })

  describe('when the text of a Pasal changes', () => {
    const bayu = authorOf(person('editor', 'bayu'))

    it('an agreed Pasal goes back to Dibahas, recorded under the author of the change with reason "teks-diubah", and is announced (S12)', async () => {
      const { agreement, pushed } = await service()
      await agreement.set('d', 'p1', 'disepakati', editor)
      await agreement.textChanged('d', new Set(['p1']), bayu)
      const [demoted] = await agreement.list('d')
      expect(demoted!.status).toBe('dibahas')
      expect(demoted!.history).toHaveLength(2)
      expect(demoted!.history[1]).toMatchObject({ status: 'dibahas', by: bayu, reason: 'teks-diubah' })
      expect(Number.isNaN(Date.parse(demoted!.history[1]!.at))).toBe(false)
      expect(pushed.at(-1)).toEqual(demoted)
    })

    it('a Pasal under discussion, a draft, or one never recorded stays as it is', async () => {
      const { agreement, pushed } = await service()
      await agreement.set('d', 'p1', 'dibahas', editor)
      await agreement.set('d', 'p2', 'draf', editor)
      const before = await agreement.list('d')
      const announced = pushed.length
      await agreement.textChanged('d', new Set(['p1', 'p2', 'p3']), bayu)
      expect(await agreement.list('d')).toEqual(before)
      expect(pushed).toHaveLength(announced)
    })

    it('only the agreed Pasal among several changed ones are demoted, and other agreed Pasal are untouched', async () => {
      const { agreement } = await service()
      for (const id of ['p1', 'p2', 'p3']) await agreement.set('d', id, 'disepakati', editor)
      await agreement.set('d', 'p4', 'dibahas', editor)
      await agreement.textChanged('d', new Set(['p2', 'p4', 'p5']), bayu)
      const statuses = Object.fromEntries((await agreement.list('d')).map((r) => [r.pasalId, r.status]))
      expect(statuses).toEqual({ p1: 'disepakati', p2: 'dibahas', p3: 'disepakati', p4: 'dibahas' })
    })

    it('no changed Pasal: nothing happens', async () => {
      const { agreement, pushed } = await service()
      await agreement.set('d', 'p1', 'disepakati', editor)
      await agreement.textChanged('d', new Set(), bayu)
      expect((await agreement.list('d'))[0]!.status).toBe('disepakati')
      expect(pushed).toHaveLength(1)
    })

    it('a status set and a text change at the same moment are both recorded, in the order they arrived', async () => {
      const { agreement } = await service()
      await agreement.set('d', 'p1', 'dibahas', editor)
      await Promise.all([agreement.set('d', 'p1', 'disepakati', editor), agreement.textChanged('d', new Set(['p1']), bayu)])
      const [final] = await agreement.list('d')
      expect(final!.history.map((c) => [c.status, c.reason ?? null])).toEqual([
        ['dibahas', null],
        ['disepakati', null],
        ['dibahas', 'teks-diubah'],
      ])
    })
  })
})
