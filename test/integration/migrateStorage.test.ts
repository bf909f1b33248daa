import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { join } from 'node:path'
import { runCli } from '../harness/cli.js'
import { startServer, type TestServer } from '../harness/server.js'
import { adminToken, api, connect, createAccount, login, waitFor } from '../harness/clients.js'
import { ayatText, contentOf, pasal } from '../harness/document.js'
import { startPostgres, type TestPostgres } from '../harness/postgres.js'

const DOC = 'rapergub-spbe'
const migrate = (env: Record<string, string>, ...args: string[]) => runCli('migrateStorage', env, ...args)

describe('npm run migrate-storage -- --to postgres', () => {
  let postgres: TestPostgres
  let server: TestServer

  beforeAll(async () => {
    postgres = await startPostgres()
    server = await startServer()
  })
  afterAll(async () => {
    await server?.dispose()
    await postgres?.dispose()
  })

  it('copies a LevelDB DATA_DIR into PostgreSQL, verifies counts and digests per kind, and the server then serves everything from PostgreSQL (S26)', async () => {
    // Content of every kind on LevelDB: edits (compacted into the state on shutdown), a comment, a
    // version, an account, sign-ins (audit).
    let token = await adminToken(server)
    const editor = await createAccount(server, 'editor', 'Biro Hukum', token)
    const writer = connect(server, DOC, editor.token)
    await writer.synced
    ayatText(pasal(writer.doc, 4)).insert(0, 'DIPINDAHKAN ')
    const anchor = { pasalId: pasal(writer.doc, 4).getAttribute('id') as string }
    expect((await api(server, 'POST', `/api/docs/${DOC}/threads`, { token, body: { anchor, text: 'Ikut pindah.' } })).status).toBe(201)
    expect((await api(server, 'POST', `/api/docs/${DOC}/snapshots`, { token, body: { name: 'Versi LevelDB' } })).status).toBe(201)
    const reader = connect(server, DOC, token)
    await reader.synced
    await waitFor(() => ayatText(pasal(reader.doc, 4)).toString().startsWith('DIPINDAHKAN '), 'the edit to be stored and relayed')
    const expected = contentOf(reader.doc)
    writer.destroy()
    reader.destroy()
    expect(await server.stop()).toBe(0)

    const url = await postgres.createDatabase('migrated')
    const env = { DATA_DIR: server.dataDir, DATABASE_URL: url }
    const copied = await migrate(env, '--to', 'postgres')
    expect(copied.code, copied.stderr).toBe(0)
    for (const kind of ['audit', 'author', 'format', 'meta', 'setting', 'snapdata', 'snapmeta', 'state', 'thread', 'user']) {
      expect(copied.stdout, `the summary names ${kind}`).toMatch(new RegExp(`^  ${kind} +\\d+  sha256 [0-9a-f]{16}`, 'm'))
    }
    console.log(copied.stdout)

    // A second copy into the now non-empty database is refused and changes nothing.
    const name = new URL(url).pathname.slice(1)
    const before = await postgres.psql(name, 'SELECT count(*) FROM audit')
    const again = await migrate(env, '--to', 'postgres')
    expect(again.code).toBe(1)
    expect(again.stderr).toMatch(/sudah berisi data Rancang/)
    expect(await postgres.psql(name, 'SELECT count(*) FROM audit')).toBe(before)

    server = await startServer({ dataDir: server.dataDir, admin: server.admin, env: { DATABASE_URL: url } })
    token = await adminToken(server)
    expect(await login(server, editor.user.username, editor.password)).toEqual(expect.any(String))
    const fresh = connect(server, DOC, token)
    await fresh.synced
    expect(contentOf(fresh.doc)).toEqual(expected)
    fresh.destroy()
    const threads = await api<Array<{ messages: Array<{ text: string }> }>>(server, 'GET', `/api/docs/${DOC}/threads`, { token })
    expect(threads.body.flatMap((t) => t.messages.map((m) => m.text))).toContain('Ikut pindah.')
    const versions = await api<Array<{ name: string }>>(server, 'GET', `/api/docs/${DOC}/snapshots`, { token })
    expect(versions.body.map((v) => v.name)).toContain('Versi LevelDB')

    // The key of DATA_DIR/secret.key was copied in: a server with a DATA_DIR of its own accepts a sign-in made before the move.
    const second = await startServer({ admin: server.admin, env: { DATABASE_URL: url } })
    try {
      expect((await api(second, 'GET', '/api/me', { token: editor.token })).status).toBe(200)
    } finally {
      await second.dispose()
    }
  })

  it('refuses without DATABASE_URL, without --to postgres, without a LevelDB database, or while PostgreSQL cannot be reached', async () => {
    const dataDir = server.dataDir
    expect(await migrate({ DATA_DIR: dataDir, DATABASE_URL: '' }, '--to', 'postgres')).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/DATABASE_URL belum diisi/),
    })
    expect((await migrate({ DATA_DIR: dataDir, DATABASE_URL: postgres.url('postgres') }, '--to', 'mysql')).code).toBe(2)
    const empty = await migrate({ DATA_DIR: join(dataDir, 'kosong'), DATABASE_URL: postgres.url('postgres') }, '--to', 'postgres')
    expect(empty).toMatchObject({ code: 1, stderr: expect.stringMatching(/Tidak ada basis data Rancang/) })
    const unreachable = await migrate({ DATA_DIR: dataDir, DATABASE_URL: 'postgres://postgres@127.0.0.1:1/rancang' }, '--to', 'postgres')
    expect(unreachable).toMatchObject({ code: 1, stderr: expect.stringMatching(/tidak dapat dihubungi/) })
  })
})
