import { afterEach, describe, expect, it } from 'vitest'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import * as Y from 'yjs'
import type { Thread } from '../../shared/comments.js'
import type { SnapshotMeta } from '../../shared/versions.js'
import type { StatusRecord } from '../../shared/agreement.js'
import { startServer, type TestServer } from '../harness/server.js'
import { mountSmallDisk, type SmallDisk } from '../harness/disk.js'
import { adminToken, api, createAccount, login, connect, roundTrip, storageStatuses, waitFor, type TestClient } from '../harness/clients.js'
import { ayatText, contentOf, pasal } from '../harness/document.js'

/**
 * Issue 11: storage faults on a real filesystem. DATA_DIR lives on a small tmpfs that the tests
 * fill until LevelDB's writes fail with ENOSPC (leaving torn records in its write-ahead log), then
 * free. Whatever was acknowledged, relayed or reported as saved must survive a restart.
 * THREAT_MODEL.md P2–P4; SPEC.md S2, S3. Runs as root (it mounts).
 */

const DOC = 'rapergub-spbe'
/** Large enough for LevelDB's log, its tables and a reopen; small enough to fill at once. */
const DISK_MIB = 16
/** An edit far larger than a page of the filesystem, so writing it to a full disk fails part-way. */
const FILLER = ' isi'.repeat(16_384)

const textOf = (doc: Y.Doc, number: number) => ayatText(pasal(doc, number)).toString()
const pasalIdOf = (doc: Y.Doc, number: number) => pasal(doc, number).getAttribute('id') as string

/** LevelDB's own log of what it dropped when it recovered (current and previous open). */
async function levelDbLog(dataDir: string): Promise<string> {
  const read = (name: string) => readFile(join(dataDir, 'db', name), 'utf8').catch(() => '')
  return (await read('LOG.old')) + (await read('LOG'))
}

describe('a full disk beneath DATA_DIR (real tmpfs)', () => {
  let disk: SmallDisk | undefined
  let server: TestServer | undefined
  const open: TestClient[] = []
  const client = (token: string) => {
    const c = connect(server!, DOC, token)
    open.push(c)
    return c
  }

  afterEach(async () => {
    for (const c of open.splice(0)) c.destroy()
    await server?.dispose()
    server = undefined
    await disk?.unmount()
    disk = undefined
  })

  /** Starts a server whose DATA_DIR is on a fresh small tmpfs. */
  async function startOnSmallDisk(env: Record<string, string> = {}): Promise<TestServer> {
    disk = await mountSmallDisk(DISK_MIB)
    server = await startServer({ dataDir: join(disk.path, 'data'), env })
    return server
  }

  /**
   * Fills the disk, then types one edit too large for what is left of the last page of LevelDB's
   * log, so its write fails part-way (a torn record), and waits for "not saved" (101 = 0).
   */
  async function typeIntoFullDisk(writer: TestClient, statuses: number[], number: number) {
    disk!.fill()
    const text = ayatText(pasal(writer.doc, number))
    text.insert(text.length, ` penuh${FILLER}`)
    await waitFor(() => statuses.includes(0), 'the write to fail on the full disk (101 = 0)', 20_000)
  }

  for (const ending of ['SIGTERM', 'kill -9'] as const) {
    it(`keeps every edit, comment, status, named version, account removal and logout acknowledged after the disk filled and was freed, through ${ending} and a restart; LevelDB drops nothing (P2, P3, S2)`, async () => {
      const running = await startOnSmallDisk()
      const admin = await adminToken(running)
      const doomed = await createAccount(running, 'editor', 'Bidang Persandian', admin)
      const loggedOut = await login(running, running.admin.username, running.admin.password)
      const writer = client(admin)
      const reader = client(admin)
      const statuses = storageStatuses(writer)
      await Promise.all([writer.synced, reader.synced])
      await roundTrip(writer)

      await typeIntoFullDisk(writer, statuses, 2)
      // Reads while the disk is full answer (possibly "unavailable"), never take the server down.
      const during = await api(running, 'GET', `/api/docs/${DOC}/threads`, { token: admin })
      expect([200, 503]).toContain(during.status)
      await disk!.free()
      await waitFor(() => statuses.at(-1) === 1, 'the writer to be told that storage recovered (101 = 1)', 20_000)
      await roundTrip(writer, 20_000)

      // After the disk was freed: everything below is acknowledged to the person who did it.
      for (let i = 0; i < 50; i++) ayatText(pasal(writer.doc, 3)).insert(0, `sesudah-${i}; `)
      await roundTrip(writer)
      const anchor = { pasalId: pasalIdOf(writer.doc, 4) }
      const comment = await api<Thread>(running, 'POST', `/api/docs/${DOC}/threads`, {
        token: admin,
        body: { anchor, text: 'Dicatat sesudah disk penuh.' },
      })
      expect(comment.status).toBe(201)
      expect((await api(running, 'DELETE', `/api/users/${doomed.user.username}`, { token: admin })).status).toBe(204)
      expect((await api(running, 'GET', '/api/me', { token: doomed.token })).status).toBe(401)
      const status = await api<StatusRecord>(running, 'PUT', `/api/docs/${DOC}/statuses/${pasalIdOf(writer.doc, 6)}`, {
        token: admin,
        body: { status: 'disepakati' },
      })
      expect(status.status).toBe(200)
      const version = await api<SnapshotMeta>(running, 'POST', `/api/docs/${DOC}/snapshots`, { token: admin, body: { name: 'Sesudah disk penuh' } })
      expect(version.status).toBe(201)
      expect((await api(running, 'POST', '/api/logout', { token: loggedOut })).status).toBe(204)
      await waitFor(() => JSON.stringify(contentOf(reader.doc)) === JSON.stringify(contentOf(writer.doc)), 'the reader to receive every edit')
      const expected = contentOf(reader.doc)
      for (const c of open.splice(0)) c.destroy()

      if (ending === 'SIGTERM') expect(await running.stop()).toBe(0)
      else await running.kill()
      server = await running.restart()
      const fresh = client(admin)
      await fresh.synced
      expect(contentOf(fresh.doc), 'the document as acknowledged').toEqual(expected)
      expect(textOf(fresh.doc, 2)).toContain(' penuh isi')
      expect(textOf(fresh.doc, 3)).toContain('sesudah-49; ')
      const threads = await api<Thread[]>(server, 'GET', `/api/docs/${DOC}/threads`, { token: admin })
      expect(threads.body.map((t) => t.id)).toContain(comment.body.id)
      expect((await api(server, 'GET', '/api/me', { token: doomed.token })).status, 'the removed account stays removed').toBe(401)
      expect((await api(server, 'GET', '/api/me', { token: loggedOut })).status, 'the logged-out token stays revoked').toBe(401)
      const statusesNow = await api<StatusRecord[]>(server, 'GET', `/api/docs/${DOC}/statuses`, { token: admin })
      expect(statusesNow.body.find((s) => s.pasalId === status.body.pasalId)?.status).toBe('disepakati')
      const versions = await api<SnapshotMeta[]>(server, 'GET', `/api/docs/${DOC}/snapshots`, { token: admin })
      expect(versions.body.map((v) => v.id)).toContain(version.body.id)
      expect(await levelDbLog(server.dataDir)).not.toMatch(/checksum mismatch|dropping/)
    })
  }

  it('loses nothing acknowledged when the disk fills during compaction (COMPACT_AFTER_UPDATES=10): edits wait as "not saved", compaction resumes once freed, and the restart has all of it (P3, S3)', async () => {
    // No automatic versions: the failing write is the compaction's (state, ~50 KB, with its deletes).
    const running = await startOnSmallDisk({ COMPACT_AFTER_UPDATES: '10', SNAPSHOT_INTERVAL_MINUTES: '0' })
    const admin = await adminToken(running)
    const writer = client(admin)
    const reader = client(admin)
    const statuses = storageStatuses(writer)
    await Promise.all([writer.synced, reader.synced])
    await roundTrip(writer)

    // Room for small edits, not for the compacted state.
    disk!.fill({ leaveBytes: 16 * 1024 })
    let typed = 0
    await waitFor(
      () => {
        ayatText(pasal(writer.doc, 2)).insert(0, `padat-${typed++}; `)
        return statuses.includes(0)
      },
      'a write to fail on the nearly full disk',
      20_000,
    )
    expect(running.stderr(), 'the write that failed was a compaction').toContain('compaction failed')
    await disk!.free()
    await waitFor(() => statuses.at(-1) === 1, 'storage to recover (101 = 1)', 20_000)
    for (let i = 0; i < 30; i++) {
      ayatText(pasal(writer.doc, 3)).insert(0, `sesudah-${i}; `)
      await roundTrip(writer)
    }
    await waitFor(() => JSON.stringify(contentOf(reader.doc)) === JSON.stringify(contentOf(writer.doc)), 'the reader to receive every edit')
    const expected = contentOf(reader.doc)
    for (const c of open.splice(0)) c.destroy()

    expect(await running.stop()).toBe(0)
    server = await running.restart()
    const fresh = client(admin)
    await fresh.synced
    expect(contentOf(fresh.doc), `the document as acknowledged (${typed} edits typed into the nearly full disk)`).toEqual(expected)
    expect(textOf(fresh.doc, 2)).toContain(`padat-${typed - 1}; `)
    expect(await levelDbLog(server.dataDir)).not.toMatch(/checksum mismatch|dropping/)
  })

  it('stores on SIGTERM what a full disk held back once space is freed during the shutdown, and exits 0 only then (P4)', async () => {
    const running = await startOnSmallDisk({ SHUTDOWN_TIMEOUT_MS: '30000' })
    const admin = await adminToken(running)
    const writer = client(admin)
    const reader = client(admin)
    const statuses = storageStatuses(writer)
    await Promise.all([writer.synced, reader.synced])
    await roundTrip(writer)
    await typeIntoFullDisk(writer, statuses, 2)
    const written = contentOf(writer.doc)

    const exit = running.stop()
    await waitFor(() => !writer.provider.wsconnected && !reader.provider.wsconnected, 'the clients to see the shutdown')
    // Gone, so the restarted server can only have the edit from its own disk.
    for (const c of open.splice(0)) c.destroy()
    await disk!.free()
    expect(await exit, 'everything was stored once space was freed').toBe(0)

    server = await running.restart()
    const fresh = client(admin)
    await fresh.synced
    expect(contentOf(fresh.doc), 'the edit held back by the full disk').toEqual(written)
    expect(await levelDbLog(server.dataDir)).not.toMatch(/checksum mismatch|dropping/)
  })

  it('exits non-zero within SHUTDOWN_TIMEOUT_MS on SIGTERM while the disk stays full; after freeing it the restart has everything acknowledged and the held edit comes back from its client (P4)', async () => {
    const running = await startOnSmallDisk({ SHUTDOWN_TIMEOUT_MS: '1500' })
    const admin = await adminToken(running)
    const writer = client(admin)
    const reader = client(admin)
    const statuses = storageStatuses(writer)
    await Promise.all([writer.synced, reader.synced])
    ayatText(pasal(writer.doc, 3)).insert(0, 'DIAKUI ')
    await roundTrip(writer)
    await typeIntoFullDisk(writer, statuses, 2)

    const exit = await running.stop()
    expect(exit, 'a shutdown that could not store everything').not.toBe(0)
    expect(exit).not.toBeNull()
    // Keep the writer's document (with its unsaved edit) but stop it reconnecting by itself.
    writer.provider.disconnect()
    const acknowledged = contentOf(reader.doc)
    reader.destroy()
    await disk!.free()

    server = await running.restart()
    const fresh = client(admin)
    await fresh.synced
    expect(contentOf(fresh.doc), 'everything acknowledged and relayed').toEqual(acknowledged)
    expect(textOf(fresh.doc, 3).startsWith('DIAKUI ')).toBe(true)
    writer.provider.connect()
    await waitFor(() => textOf(fresh.doc, 2).includes(' penuh isi'), 'the held edit to arrive when its client reconnects')
    await roundTrip(writer)
  })
})
