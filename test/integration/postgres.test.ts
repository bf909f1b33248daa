import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { startServer, type TestServer } from '../harness/server.js'
import { adminToken, api, connect, createAccount, holdsFor, login, roundTrip, storageStatuses, waitFor, type TestClient } from '../harness/clients.js'
import { ayatText, contentOf, pasal } from '../harness/document.js'
import { POSTGRES_BIN, startPostgres, type TestPostgres } from '../harness/postgres.js'
import { runCli } from '../harness/cli.js'

const run = promisify(execFile)
const DOC = 'rapergub-spbe'
/** Any password: the test cluster trusts every local connection, so only the logs can reveal it. */
const PASSWORD = 'rahasia-DB-7f3k'
const textOf = (client: TestClient, number: number) => ayatText(pasal(client.doc, number)).toString()
const databaseName = (url: string) => new URL(url).pathname.slice(1)

describe('PostgreSQL storage: a server started with DATABASE_URL (S26)', () => {
  let postgres: TestPostgres
  let url: string
  let server: TestServer
  let token: string
  const open: TestClient[] = []
  const client = () => {
    const c = connect(server, DOC, token)
    open.push(c)
    return c
  }
  const closeAll = () => {
    for (const c of open.splice(0)) c.destroy()
  }
  const rows = (sql: string) => postgres.psql(databaseName(url), sql)

  beforeAll(async () => {
    postgres = await startPostgres()
    const plain = await postgres.createDatabase('server')
    url = plain.replace('postgres@', `postgres:${PASSWORD}@`)
    // Large, so the measurement below sees every stored update row before a compaction folds them.
    server = await startServer({ env: { DATABASE_URL: url, COMPACT_AFTER_UPDATES: '5000' } })
    token = await adminToken(server)
  })
  afterEach(closeAll)
  afterAll(async () => {
    await server?.dispose()
    await postgres?.dispose()
  })

  it('stores edits from stock clients in PostgreSQL, not in DATA_DIR, and serves them after SIGTERM and after kill -9 (S26)', async () => {
    expect(existsSync(join(server.dataDir, 'db')), 'no LevelDB database in DATA_DIR').toBe(false)
    for (const [round, crash] of [
      [1, false],
      [2, true],
      [3, true],
    ] as const) {
      const a = client()
      const b = client()
      await Promise.all([a.synced, b.synced])
      let n = 0
      const typing = setInterval(() => ayatText(pasal(a.doc, 3)).insert(0, `R${round}.${n++};`), 2)
      await waitFor(() => (textOf(b, 3).match(new RegExp(`R${round}\\.`, 'g')) ?? []).length >= 20, `round ${round}: edits relayed to B`)
      const stopped = crash ? server.kill() : server.stop()
      clearInterval(typing)
      await stopped
      const relayed = textOf(b, 3)
      closeAll()
      server = await server.restart()
      const fresh = client()
      await fresh.synced
      // A types at the front, so the stored text ends with everything B had received.
      expect(textOf(fresh, 3).endsWith(relayed), `round ${round}: what B had received is stored`).toBe(true)
      closeAll()
    }
    expect(Number(await rows('SELECT count(*) FROM documents'))).toBeGreaterThan(0)
    expect(
      Number(await rows('SELECT count(*) FROM updates')) + Number(await rows('SELECT count(*) FROM documents WHERE state_clock > 0')),
    ).toBeGreaterThan(0)
  })

  it('keeps accounts, sign-ins, comments, versions and the audit log in PostgreSQL across a restart', async () => {
    const viewer = client()
    await viewer.synced
    const anchor = { pasalId: pasal(viewer.doc, 3).getAttribute('id') as string }
    const thread = await api<{ id: string }>(server, 'POST', `/api/docs/${DOC}/threads`, {
      token,
      body: { anchor, text: 'Mohon dicek dasar hukumnya.' },
    })
    expect(thread.status).toBe(201)
    const version = await api<{ id: string }>(server, 'POST', `/api/docs/${DOC}/snapshots`, { token, body: { name: 'Sebelum rapat' } })
    expect(version.status).toBe(201)
    const editor = await createAccount(server, 'editor', 'Biro Hukum', token)
    closeAll()

    expect(await server.stop()).toBe(0)
    server = await server.restart()
    token = await adminToken(server)
    expect(await login(server, editor.user.username, editor.password)).toEqual(expect.any(String))
    const threads = await api<Array<{ id: string; messages: Array<{ text: string }> }>>(server, 'GET', `/api/docs/${DOC}/threads`, { token })
    expect(threads.body.find((t) => t.id === thread.body.id)?.messages[0]?.text).toBe('Mohon dicek dasar hukumnya.')
    const versions = await api<Array<{ id: string; name: string }>>(server, 'GET', `/api/docs/${DOC}/snapshots`, { token })
    expect(versions.body.map((v) => v.name)).toContain('Sebelum rapat')
    const content = await api<{ content: unknown }>(server, 'GET', `/api/docs/${DOC}/snapshots/${version.body.id}`, { token })
    expect(content.status).toBe(200)
    const audit = await api<Array<{ action: string; actor: string }>>(server, 'GET', '/api/audit?limit=50', { token })
    expect(audit.body.map((e) => e.action)).toEqual(expect.arrayContaining(['login.succeeded', 'account.created']))
    expect(await rows(`SELECT count(*) FROM users WHERE username = '${editor.user.username}'`)).toBe('1')
    expect(Number(await rows('SELECT count(*) FROM threads'))).toBeGreaterThan(0)
    expect(Number(await rows('SELECT count(*) FROM snapshots'))).toBeGreaterThan(0)
  })

  it('holds an edit while PostgreSQL is down: not relayed, not acknowledged, "not saved", a comment refused with 503; stores it once the database is back (S26, P2)', async () => {
    const writer = client()
    const reader = client()
    const writerStatus = storageStatuses(writer)
    await Promise.all([writer.synced, reader.synced])
    await roundTrip(writer)

    await postgres.stop()
    ayatText(pasal(writer.doc, 7)).insert(0, 'TERTAHAN-PG ')
    let acknowledged = false
    const ack = roundTrip(writer, 60_000).then(() => (acknowledged = true))
    await waitFor(() => writerStatus.includes(0), 'the writer to be told that storage fails (101 = 0)')
    const anchor = { pasalId: pasal(reader.doc, 3).getAttribute('id') as string }
    const refused = await api(server, 'POST', `/api/docs/${DOC}/threads`, { token, body: { anchor, text: 'Tidak boleh hilang diam-diam.' } })
    expect(refused.status).toBe(503)
    await holdsFor(() => !acknowledged && !textOf(reader, 7).startsWith('TERTAHAN-PG'), 'the unsaved edit stays unrelayed and unacknowledged', 1_500)

    await postgres.start()
    await ack
    await waitFor(() => textOf(reader, 7).startsWith('TERTAHAN-PG '), 'the retried write to be relayed')
    await waitFor(() => writerStatus.at(-1) === 1, 'the writer to be told that storage recovered (101 = 1)')
    const expected = contentOf(reader.doc)
    closeAll()
    server = await server.restart()
    const fresh = client()
    await fresh.synced
    expect(contentOf(fresh.doc)).toEqual(expected)
  })

  it('tells the writer "not saved" while PostgreSQL stalls (SIGSTOP), relays nothing meanwhile, and stores the edit once it continues (S26, P2)', async () => {
    const writer = client()
    const reader = client()
    const writerStatus = storageStatuses(writer)
    await Promise.all([writer.synced, reader.synced])
    await roundTrip(writer)

    await postgres.pause()
    try {
      ayatText(pasal(writer.doc, 8)).insert(0, 'MACET ')
      // The statement in flight times out (10 s) and counts as a failed write.
      await waitFor(() => writerStatus.includes(0), 'the writer to be told that storage fails (101 = 0)', 30_000)
      expect(textOf(reader, 8).startsWith('MACET')).toBe(false)
    } finally {
      await postgres.resume()
    }
    await roundTrip(writer, 30_000)
    await waitFor(() => textOf(reader, 8).startsWith('MACET '), 'the retried write to be relayed', 30_000)
    await waitFor(() => writerStatus.at(-1) === 1, 'the writer to be told that storage recovered (101 = 1)')
  })

  it('stores a burst of keystrokes in fewer transactions than keystrokes: one transaction per group-commit batch (S26)', async () => {
    const writer = client()
    const reader = client()
    await Promise.all([writer.synced, reader.synced])
    const before = Number(await rows(`SELECT coalesce(max(clock), 0) FROM updates WHERE doc_id = '${DOC}'`))
    const KEYSTROKES = 200
    for (let i = 0; i < KEYSTROKES; i++) ayatText(pasal(writer.doc, 6)).insert(0, 'k')
    await waitFor(() => textOf(reader, 6).startsWith('k'.repeat(KEYSTROKES)), 'the burst to be relayed')
    // Each row's xmin is the transaction that inserted it.
    const [updates, transactions] = (
      await rows(`SELECT count(*), count(DISTINCT xmin::text) FROM updates WHERE doc_id = '${DOC}' AND clock > ${before}`)
    )
      .split('|')
      .map(Number)
    console.log(`PostgreSQL: ${updates} stored updates in ${transactions} transactions (${(updates! / transactions!).toFixed(1)} per commit)`)
    expect(updates).toBe(KEYSTROKES)
    expect(transactions).toBeLessThan(updates!)
  })

  it('serves the same drafts, accounts and comments from a pg_dump taken while it runs, restored with pg_restore into a new database', async () => {
    const writer = client()
    await writer.synced
    ayatText(pasal(writer.doc, 2)).insert(0, 'SEBELUM-DUMP ')
    await roundTrip(writer)
    const expected = contentOf(writer.doc)
    const dump = join(server.dataDir, 'rancang.dump')
    await run(join(POSTGRES_BIN, 'pg_dump'), ['--format=custom', `--file=${dump}`, url])
    const restoredUrl = await postgres.createDatabase('restored')
    await run(join(POSTGRES_BIN, 'pg_restore'), ['--no-owner', `--dbname=${restoredUrl}`, dump])
    const restored = await startServer({ dataDir: server.dataDir, admin: server.admin, env: { DATABASE_URL: restoredUrl } })
    try {
      const restoredToken = await adminToken(restored)
      const fresh = connect(restored, DOC, restoredToken)
      await fresh.synced
      expect(contentOf(fresh.doc)).toEqual(expected)
      fresh.destroy()
      const threads = await api<Array<{ messages: Array<{ text: string }> }>>(restored, 'GET', `/api/docs/${DOC}/threads`, { token: restoredToken })
      expect(threads.body.flatMap((t) => t.messages.map((m) => m.text))).toContain('Mohon dicek dasar hukumnya.')
    } finally {
      await restored.dispose()
    }
  })

  it("lets npm run users add an account to the running server's database, and npm run backup read it from one snapshot into a file that restores into LevelDB", async () => {
    const env = { DATA_DIR: server.dataDir, DATABASE_URL: url }
    const added = await runCli(
      'users',
      env,
      'add',
      'dewi',
      '--name',
      'Dewi',
      '--bidang',
      'Biro Hukum',
      '--role',
      'editor',
      '--password',
      'kata-sandi-rahasia-7',
    )
    expect(added.code, added.stderr).toBe(0)
    expect(await login(server, 'dewi', 'kata-sandi-rahasia-7')).toEqual(expect.any(String))

    const writer = client()
    await writer.synced
    ayatText(pasal(writer.doc, 2)).insert(0, 'DICADANGKAN ')
    await roundTrip(writer)
    const expected = contentOf(writer.doc)
    const file = join(server.dataDir, 'rancang.backup')
    const backup = await runCli('backup', env, file)
    expect(backup.code, backup.stderr).toBe(0)
    const levelDir = join(server.dataDir, 'restored-leveldb')
    const restore = await runCli('restore', { DATA_DIR: levelDir, DATABASE_URL: '' }, file)
    expect(restore.code, restore.stderr).toBe(0)
    const onLevel = await startServer({ dataDir: levelDir, admin: server.admin })
    try {
      expect(await login(onLevel, 'dewi', 'kata-sandi-rahasia-7')).toEqual(expect.any(String))
      const fresh = connect(onLevel, DOC, await adminToken(onLevel))
      await fresh.synced
      expect(contentOf(fresh.doc)).toEqual(expected)
      fresh.destroy()
    } finally {
      await onLevel.dispose()
    }
  })

  it('never writes the password in DATABASE_URL to its logs, through a database outage too (P36)', async () => {
    expect(server.stderr()).not.toContain(PASSWORD)
  })

  it('refuses to start when PostgreSQL cannot be reached, saying so without the password (P36)', async () => {
    const unreachable = `postgres://postgres:${PASSWORD}@127.0.0.1:1/rancang`
    const failed = await startServer({ env: { DATABASE_URL: unreachable } }).then(
      (started) => started.dispose().then(() => ''),
      (error: Error) => error.message,
    )
    expect(failed).toMatch(/PostgreSQL cannot be reached/)
    expect(failed).not.toContain(PASSWORD)
  })
})
