import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AuditEntry } from '../../shared/audit.js'
import type { User } from '../../shared/accounts.js'
import { LevelStorage } from '../../server/storage/leveldb.js'
import { join } from 'node:path'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { startServer, type TestServer } from '../harness/server.js'
import { api, connect, login, meeting, type Person } from '../harness/clients.js'
import { pasal } from '../harness/document.js'

/** Issue 16: the audit log against the real server: what each kind of action leaves, paging, access, atomicity, retention. */

const DOC = 'rapergub-spbe'
/** The address the server sees for these tests' requests (it listens on 127.0.0.1). */
const ADDRESS = '127.0.0.1'

async function auditLog(server: TestServer, token: string, query = ''): Promise<AuditEntry[]> {
  const response = await api<AuditEntry[]>(server, 'GET', `/api/audit${query}`, { token })
  expect(response.status, JSON.stringify(response.body)).toBe(200)
  return response.body
}

/** The newest entry of `action`, failing the test when there is none. */
async function newest(server: TestServer, token: string, action: string): Promise<AuditEntry> {
  const [entry] = await auditLog(server, token, `?action=${action}&limit=1`)
  expect(entry, `an entry for ${action}`).toBeDefined()
  return entry!
}

describe('audit log (GET /api/audit)', () => {
  let server: TestServer
  let people: Awaited<ReturnType<typeof meeting>>
  let admin: Person

  beforeAll(async () => {
    server = await startServer({ env: { LOGIN_FAILURES_PER_USERNAME: '2' } })
    people = await meeting(server)
    admin = people.admin
  })
  afterAll(() => server?.dispose())

  it('records sign-ins that succeeded, failed and were throttled, with who, which account and the address', async () => {
    const ok = await newest(server, admin.token, 'login.succeeded')
    expect(ok).toMatchObject({ action: 'login.succeeded', address: ADDRESS })
    for (let i = 0; i < 2; i++)
      expect((await api(server, 'POST', '/api/login', { body: { username: 'Penebak', password: `salah-${i}` } })).status).toBe(401)
    const throttled = await api(server, 'POST', '/api/login', { body: { username: 'penebak', password: 'salah-lagi' } })
    expect(throttled.status).toBe(429)
    expect(await newest(server, admin.token, 'login.failed')).toMatchObject({ actor: 'penebak', target: 'penebak', address: ADDRESS })
    const throttledEntry = await newest(server, admin.token, 'login.throttled')
    expect(throttledEntry).toMatchObject({ actor: 'penebak', target: 'penebak', address: ADDRESS })
    expect(throttledEntry.actorId).toBeUndefined()
  })

  it('records account creation, a role change, a password change and removal, never the password itself (S17)', async () => {
    const created = await api<User>(server, 'POST', '/api/users', {
      token: admin.token,
      body: { username: 'dewi', name: 'Dewi Lestari', bidang: 'Biro Hukum', role: 'viewer', password: 'rahasia-kopi-123' },
    })
    expect(created.status).toBe(201)
    await api(server, 'PATCH', '/api/users/dewi', { token: admin.token, body: { role: 'commenter' } })
    await api(server, 'PATCH', '/api/users/dewi', { token: admin.token, body: { password: 'rahasia-baru-456' } })
    expect((await api(server, 'DELETE', '/api/users/dewi', { token: admin.token })).status).toBe(204)
    const entries = (await auditLog(server, admin.token, '?limit=4')).reverse()
    expect(entries.map((e) => [e.action, e.target])).toEqual([
      ['account.created', 'dewi'],
      ['account.changed', 'dewi'],
      ['account.password', 'dewi'],
      ['account.removed', 'dewi'],
    ])
    for (const entry of entries) expect(entry).toMatchObject({ actor: admin.user.username, actorId: admin.user.id, address: ADDRESS })
    expect(entries[1]!.detail).toBe('peran: viewer → commenter')
    expect(JSON.stringify(entries)).not.toContain('rahasia')
  })

  it('records a status change, a named version, a restore, a new draft, an import, an export and logouts, each with its target', async () => {
    const client = connect(server, DOC, people.rina.token)
    await client.synced
    const pasalId = pasal(client.doc, 3).getAttribute('id') as string
    client.destroy()
    const rina = { actor: people.rina.user.username, actorId: people.rina.user.id, address: ADDRESS }

    expect((await api(server, 'PUT', `/api/docs/${DOC}/statuses/${pasalId}`, { token: people.rina.token, body: { status: 'dibahas' } })).status).toBe(
      200,
    )
    expect(await newest(server, admin.token, 'status.changed')).toMatchObject({ ...rina, target: `${DOC}/${pasalId}`, detail: 'draf → dibahas' })

    const version = await api<{ id: string }>(server, 'POST', `/api/docs/${DOC}/snapshots`, {
      token: people.rina.token,
      body: { name: 'Sebelum rapat' },
    })
    expect(version.status).toBe(201)
    expect(await newest(server, admin.token, 'snapshot.created')).toMatchObject({ ...rina, target: `${DOC}/${version.body.id}` })
    expect((await api(server, 'POST', `/api/docs/${DOC}/snapshots/${version.body.id}/restore`, { token: people.rina.token })).status).toBe(200)
    expect(await newest(server, admin.token, 'snapshot.restored')).toMatchObject({
      ...rina,
      target: `${DOC}/${version.body.id}`,
      detail: 'Sebelum rapat',
    })

    const draft = await api<{ id: string }>(server, 'POST', '/api/docs', { token: admin.token, body: { nama: 'Pengelolaan Arsip' } })
    expect(draft.status).toBe(201)
    expect(await newest(server, admin.token, 'document.created')).toMatchObject({ actor: admin.user.username, target: draft.body.id })

    const exported = await fetch(`${server.url}/api/docs/${DOC}/export?format=docx`, { headers: { authorization: `Bearer ${people.rina.token}` } })
    expect(exported.status).toBe(200)
    const word = new Uint8Array(await exported.arrayBuffer())
    expect(await newest(server, admin.token, 'export')).toMatchObject({ ...rina, target: `${DOC} (docx)` })

    const imported = await fetch(`${server.url}/api/docs/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' },
      body: Buffer.from(word),
    })
    expect(imported.status).toBe(201)
    const importedId = ((await imported.json()) as { id: string }).id
    expect(await newest(server, admin.token, 'document.imported')).toMatchObject({ actor: admin.user.username, target: importedId })

    const bayu = people.bayu
    expect((await api(server, 'POST', '/api/logout', { token: bayu.token })).status).toBe(204)
    expect(await newest(server, admin.token, 'logout')).toMatchObject({ actor: bayu.user.username, target: bayu.user.username })
    const again = await login(server, bayu.user.username, 'x').catch(() => null)
    expect(again).toBeNull()
    expect((await api(server, 'POST', '/api/logout/all', { token: people.viewer.token })).status).toBe(204)
    expect(await newest(server, admin.token, 'logout.all')).toMatchObject({ actor: people.viewer.user.username })
  })

  it('lists newest first, pages with limit and before without skipping or repeating, and filters by person, action and time', async () => {
    const all = await auditLog(server, admin.token, '?limit=1000')
    expect(all.length).toBeGreaterThan(15)
    const times = all.map((e) => e.at)
    expect([...times].sort().reverse()).toEqual(times)
    expect(new Set(times).size).toBe(times.length)
    const paged: AuditEntry[] = []
    let before = ''
    for (;;) {
      const page = await auditLog(server, admin.token, `?limit=4${before ? `&before=${encodeURIComponent(before)}` : ''}`)
      if (page.length === 0) break
      expect(page.length).toBeLessThanOrEqual(4)
      paged.push(...page)
      before = page.at(-1)!.at
    }
    expect(paged).toEqual(all)
    const byRina = await auditLog(server, admin.token, `?actor=${people.rina.user.username}&limit=1000`)
    expect(byRina.length).toBeGreaterThan(3)
    expect(byRina.every((e) => e.actor === people.rina.user.username)).toBe(true)
    const window = await auditLog(server, admin.token, `?from=${encodeURIComponent(all[5]!.at)}&to=${encodeURIComponent(all[2]!.at)}&limit=1000`)
    expect(window).toEqual(all.slice(3, 6))
    expect((await api(server, 'GET', '/api/audit?limit=0', { token: admin.token })).status).toBe(400)
    expect((await api(server, 'GET', '/api/audit?action=hapus.semua', { token: admin.token })).status).toBe(400)
    expect((await api(server, 'GET', '/api/audit?before=kemarin', { token: admin.token })).status).toBe(400)
  })

  it('exports the filtered log as CSV with a byte order mark and quoted fields', async () => {
    const response = await fetch(`${server.url}/api/audit.csv?action=account.changed`, { headers: { authorization: `Bearer ${admin.token}` } })
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="log-aktivitas-\d{4}-\d{2}-\d{2}\.csv"$/)
    const bytes = new Uint8Array(await response.arrayBuffer())
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const lines = new TextDecoder().decode(bytes).split('\r\n')
    expect(lines[0]).toBe('Waktu,Pengguna,ID akun,Tindakan,Kode tindakan,Sasaran,Rincian,Alamat')
    // Account ids are random base64url: one starting with "-" is defused like any formula-looking cell.
    const id = admin.user.id
    const idCell = id.startsWith('-') ? `'${id}` : id
    expect(lines[1]).toMatch(/^\d{4}-\d{2}-\d{2}T[\d:.]+Z,/)
    expect(lines[1]!.replace(/^[^,]+,/, '')).toBe(`admin,${idCell},Akun diubah,account.changed,dewi,peran: viewer → commenter,127.0.0.1`)
  })

  it('is for admins only: other roles get 403, no token 401', async () => {
    for (const who of [people.rina, people.commenter]) {
      expect((await api(server, 'GET', '/api/audit', { token: who.token })).status).toBe(403)
      expect((await api(server, 'GET', '/api/audit.csv', { token: who.token })).status).toBe(403)
    }
    expect((await api(server, 'GET', '/api/audit')).status).toBe(401)
  })

  it('is append-only: no route changes or deletes an entry (S17)', async () => {
    const before = await auditLog(server, admin.token, '?limit=1000')
    for (const method of ['PUT', 'PATCH', 'DELETE', 'POST']) {
      const response = await api(server, method, '/api/audit', { token: admin.token, body: [] })
      expect(response.status, method).toBe(405)
      expect(response.headers.get('allow')).toBe('GET')
      expect((await api(server, method, `/api/audit/${encodeURIComponent(before[0]!.at)}`, { token: admin.token })).status).toBe(404)
    }
    expect(await auditLog(server, admin.token, '?limit=1000')).toEqual(before)
  })
})

describe('audit log across crashes and time', () => {
  it('never has an account change without its entry after kill -9 in the middle of changes: both are written in one batch (S17)', async () => {
    const server = await startServer()
    let restarted: TestServer | null = null
    try {
      const { admin } = await meeting(server)
      const names = Array.from({ length: 12 }, (_, i) => `staf${i}`)
      for (const username of names) {
        const created = await api(server, 'POST', '/api/users', {
          token: admin.token,
          body: { username, name: `Staf ${username}`, bidang: 'Sekretariat', role: 'viewer', password: 'sandi-kantor-panjang' },
        })
        expect(created.status).toBe(201)
      }
      // Every change in flight at once; the process dies as soon as the first is answered.
      const changes = names.map((username) =>
        api(server, 'PATCH', `/api/users/${username}`, { token: admin.token, body: { role: 'commenter' } }).catch(() => null),
      )
      await Promise.race(changes)
      await server.kill()
      await Promise.all(changes)
      restarted = await server.restart()
      const token = await login(restarted, admin.user.username, restarted.admin.password)
      const users = (await api<User[]>(restarted, 'GET', '/api/users', { token })).body
      const changed = new Set(users.filter((u) => names.includes(u.username) && u.role === 'commenter').map((u) => u.username))
      const logged = new Set((await auditLog(restarted, token, '?action=account.changed&limit=100')).map((e) => e.target))
      console.log(`kill -9 during 12 role changes: ${changed.size} stored, ${logged.size} logged`)
      expect(changed.size).toBeGreaterThan(0)
      expect(logged).toEqual(changed)
    } finally {
      // The restarted process is another child of the same data directory: stop that one.
      await (restarted ?? server).dispose()
    }
  })

  it('prunes entries older than AUDIT_RETENTION_DAYS at start and keeps the recent ones', async () => {
    // Entries from 40 and 20 days ago, written through the storage the server then opens.
    const dataDir = await mkdtemp(join(tmpdir(), 'rancang-audit-'))
    const day = 24 * 60 * 60 * 1000
    let now = Date.now() - 40 * day
    const storage = await LevelStorage.open(join(dataDir, 'db'), { now: () => now })
    await storage.appendAudit({ actor: 'lama', action: 'login.succeeded', target: 'lama', address: '10.0.0.1' })
    now = Date.now() - 20 * day
    await storage.appendAudit({ actor: 'baru', action: 'login.succeeded', target: 'baru', address: '10.0.0.1' })
    await storage.close()
    const server = await startServer({ dataDir, env: { AUDIT_RETENTION_DAYS: '30' } })
    try {
      const token = await login(server, server.admin.username, server.admin.password)
      const actors = (await auditLog(server, token, '?limit=1000')).map((e) => e.actor)
      expect(actors).toEqual([server.admin.username, 'baru'])
    } finally {
      await server.dispose()
      await rm(dataDir, { recursive: true, force: true })
    }
  })
})
