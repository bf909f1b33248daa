import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import * as encoding from 'lib0/encoding'
import type { Role } from '../../shared/accounts.js'
import { CloseCode } from '../../shared/protocol/closeCodes.js'
import { encodeUpdate, encodeSyncStep2, messageAuth, messageStored } from '../../shared/protocol/messages.js'
import { startServer, type TestServer } from '../harness/server.js'
import {
  adminToken,
  api,
  closeCodes,
  connect,
  createAccount,
  login,
  openRaw,
  permissionDenials,
  roundTrip,
  waitFor,
  type TestClient,
} from '../harness/clients.js'
import { ayatText, pasal } from '../harness/document.js'

const DOC = 'rapergub-spbe'
/** Each role writes into its own ayat, so markers never collide. */
const PASAL_OF: Record<Role, number> = { viewer: 4, commenter: 5, editor: 6, admin: 7 }

const textOf = (client: TestClient, number: number) => ayatText(pasal(client.doc, number)).toString()

/** A Yjs update that prepends `text` to ayat 1 of pasal `number`, made on a copy of `source`. */
function craftedUpdate(source: Y.Doc, number: number, text: string): Uint8Array {
  const copy = new Y.Doc()
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(source))
  let update: Uint8Array | null = null
  copy.on('update', (u: Uint8Array) => (update = u))
  ayatText(pasal(copy, number)).insert(0, text)
  copy.destroy()
  return update!
}

function storedRequest(request: number): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, messageStored)
  encoding.writeVarUint(encoder, request)
  return encoding.toUint8Array(encoder)
}

describe('roles are enforced by the server', () => {
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

  /**
   * After this, everything `writer` sent has been processed by the server and anything the server
   * relayed because of it has reached the observer.
   */
  async function settled(writer: TestClient) {
    await roundTrip(writer)
    await roundTrip(observer)
  }

  for (const role of ['viewer', 'commenter'] as const) {
    it(`drops a ${role}'s write: not applied, not relayed, and the writer is told it is read-only (S6)`, async () => {
      const { token } = await createAccount(server, role)
      const writer = connect(server, DOC, token)
      const denials = permissionDenials(writer)
      await writer.synced
      const marker = `TULISAN-${role.toUpperCase()} `
      ayatText(pasal(writer.doc, PASAL_OF[role])).insert(0, marker)
      await settled(writer)

      expect(textOf(observer, PASAL_OF[role])).not.toContain(marker)
      expect(denials.length).toBeGreaterThan(0)
      expect(denials[0]).toMatch(/read-only/)
      // A client joining now gets the server's document, without the write.
      const late = connect(server, DOC, await adminToken(server))
      await late.synced
      expect(textOf(late, PASAL_OF[role])).not.toContain(marker)
      late.destroy()
      writer.destroy()
    })

    it(`drops a ${role}'s hand-crafted sync step 2 and update messages and answers with permission denied`, async () => {
      const { token } = await createAccount(server, role)
      const raw = openRaw(server, DOC, token)
      await raw.opened
      const marker = `MENTAH-${role.toUpperCase()} `
      raw.send(encodeSyncStep2(craftedUpdate(observer.doc, PASAL_OF[role], `${marker}1 `)))
      raw.send(encodeUpdate(craftedUpdate(observer.doc, PASAL_OF[role], `${marker}2 `)))
      raw.send(storedRequest(1))
      await waitFor(() => raw.messages.some((m) => m[0] === messageStored), 'the server to answer the round trip')
      await roundTrip(observer)
      expect(textOf(observer, PASAL_OF[role])).not.toContain(marker)
      expect(raw.messages.some((m) => m[0] === messageAuth)).toBe(true)
      raw.ws.close()
    })
  }

  for (const role of ['editor', 'admin'] as const) {
    it(`relays an ${role}'s write to the others and never tells them read-only`, async () => {
      const token = role === 'admin' ? await adminToken(server) : (await createAccount(server, role)).token
      const writer = connect(server, DOC, token)
      const denials = permissionDenials(writer)
      await writer.synced
      const marker = `TULISAN-${role.toUpperCase()} `
      ayatText(pasal(writer.doc, PASAL_OF[role])).insert(0, marker)
      await waitFor(() => textOf(observer, PASAL_OF[role]).startsWith(marker), `the ${role}'s write to reach the observer`)
      await settled(writer)
      expect(denials).toEqual([])
      writer.destroy()
    })
  }

  it("stores the editor's and admin's writes and nothing of the viewer's or commenter's (after a restart) (S6)", async () => {
    observer.destroy()
    expect(await server.stop()).toBe(0)
    server = await server.restart()
    observer = connect(server, DOC, await adminToken(server))
    await observer.synced
    expect(textOf(observer, PASAL_OF.editor)).toMatch(/^TULISAN-EDITOR /)
    expect(textOf(observer, PASAL_OF.admin)).toMatch(/^TULISAN-ADMIN /)
    for (const role of ['viewer', 'commenter'] as const) {
      expect(textOf(observer, PASAL_OF[role])).not.toMatch(/TULISAN|MENTAH/)
    }
  })

  it('answers 403 to non-admins on the admin-only routes, and changes nothing', async () => {
    const admin = await adminToken(server)
    const victim = await createAccount(server, 'viewer')
    for (const role of ['viewer', 'commenter', 'editor'] as const) {
      const { token } = await createAccount(server, role)
      const routes: Array<{ method: string; path: string; body?: unknown }> = [
        { method: 'GET', path: '/api/users' },
        {
          method: 'POST',
          path: '/api/users',
          body: { username: `baru-${role}`, name: 'Akun Baru', bidang: 'X', role: 'admin', password: 'sandi-akun-baru-123' },
        },
        { method: 'PATCH', path: `/api/users/${victim.user.username}`, body: { role: 'admin' } },
        { method: 'DELETE', path: `/api/users/${victim.user.username}` },
        { method: 'POST', path: '/api/docs', body: { nama: `Draf Oleh ${role}` } },
      ]
      for (const route of routes) {
        const response = await api(server, route.method, route.path, { token, body: route.body })
        expect({ role, route: `${route.method} ${route.path}`, status: response.status }).toEqual({
          role,
          route: `${route.method} ${route.path}`,
          status: 403,
        })
        expect(response.body).toEqual({ error: expect.any(String) })
      }
      // What every role may do.
      expect((await api(server, 'GET', '/api/docs', { token })).status).toBe(200)
      expect((await api<{ role: string }>(server, 'GET', '/api/me', { token })).body.role).toBe(role)
    }
    const users = await api<Array<{ username: string; role: string }>>(server, 'GET', '/api/users', { token: admin })
    expect(users.status).toBe(200)
    expect(users.body.find((u) => u.username === victim.user.username)?.role).toBe('viewer')
    expect(users.body.some((u) => u.username.startsWith('baru-'))).toBe(false)
    const docs = await api<Array<{ title: string }>>(server, 'GET', '/api/docs', { token: admin })
    expect(docs.body.some((d) => d.title.includes('Draf Oleh'))).toBe(false)
  })

  it("closes a connected editor's socket with 4002 when lowered to viewer; after the stock reconnect their writes are refused (S6)", async () => {
    const { user, token } = await createAccount(server, 'editor')
    const client = connect(server, DOC, token)
    const codes = closeCodes(client)
    const denials = permissionDenials(client)
    await client.synced
    ayatText(pasal(client.doc, 8)).insert(0, 'MASIH-EDITOR ')
    await waitFor(() => textOf(observer, 8).startsWith('MASIH-EDITOR '), 'the write made as editor')

    const lowered = await api(server, 'PATCH', `/api/users/${user.username}`, { token: await adminToken(server), body: { role: 'viewer' } })
    expect(lowered.status).toBe(200)
    await waitFor(() => codes.includes(CloseCode.accountChanged), 'the socket to close with 4002', 5_000)
    await waitFor(() => client.provider.wsconnected && client.provider.synced, 'the stock provider to reconnect')
    expect((await api<{ role: string }>(server, 'GET', '/api/me', { token })).body.role).toBe('viewer')

    ayatText(pasal(client.doc, 8)).insert(0, 'SUDAH-VIEWER ')
    await settled(client)
    expect(textOf(observer, 8)).not.toContain('SUDAH-VIEWER')
    expect(textOf(observer, 8)).toContain('MASIH-EDITOR')
    expect(denials.length).toBeGreaterThan(0)
    client.destroy()
  })

  it('lets a viewer raised to editor write after the stock reconnect', async () => {
    const { user, token } = await createAccount(server, 'viewer')
    const client = connect(server, DOC, token)
    const codes = closeCodes(client)
    permissionDenials(client)
    await client.synced
    const raised = await api(server, 'PATCH', `/api/users/${user.username}`, { token: await adminToken(server), body: { role: 'editor' } })
    expect(raised.status).toBe(200)
    await waitFor(() => codes.includes(CloseCode.accountChanged), 'the socket to close with 4002', 5_000)
    await waitFor(() => client.provider.wsconnected && client.provider.synced, 'the stock provider to reconnect')
    ayatText(pasal(client.doc, 9)).insert(0, 'NAIK-JADI-EDITOR ')
    await waitFor(() => textOf(observer, 9).startsWith('NAIK-JADI-EDITOR '), 'the write of the raised account')
    client.destroy()
  })

  it('closes a removed user with 4401 and refuses every reconnect (S6)', async () => {
    const { user, password, token } = await createAccount(server, 'editor')
    const client = connect(server, DOC, token)
    const codes = closeCodes(client)
    await client.synced
    const terminal = new Promise<{ code: number }>((resolve) => client.provider.once('closed', (event) => resolve(event)))

    expect((await api(server, 'DELETE', `/api/users/${user.username}`, { token: await adminToken(server) })).status).toBe(204)
    expect((await terminal).code).toBe(CloseCode.unauthorized)
    expect(codes).toEqual([CloseCode.unauthorized])
    expect(client.provider.shouldConnect).toBe(false)

    // A deliberate reconnect is refused as well.
    client.provider.connect()
    await waitFor(() => codes.length === 2, 'the deliberate reconnect to be refused')
    expect(codes[1]).toBe(CloseCode.unauthorized)
    const raw = openRaw(server, DOC, token)
    expect(await raw.outcome).toMatchObject({ kind: 'closed', code: CloseCode.unauthorized })
    expect(raw.messages).toHaveLength(0)
    expect((await api(server, 'GET', '/api/me', { token })).status).toBe(401)
    await expect(login(server, user.username, password)).rejects.toThrow(/401/)
    client.destroy()
  })
})
