import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawn } from 'node:child_process'
import { join, resolve } from 'node:path'
import { startServer, type TestServer } from '../harness/server.js'
import { api } from '../harness/clients.js'

const ROOT = resolve(import.meta.dirname, '../..')
/** What `npm run users` runs once the build is fresh. */
const CLI = join(ROOT, 'dist/server/cli/users.js')

interface Run {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

function users(dataDir: string, ...args: string[]): Promise<Run> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('error', reject)
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }))
  })
}

/** Usernames in the output of `list` (first column, header skipped). */
const listed = (run: Run) =>
  run.stdout
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split(/\s+/)[0])

describe('npm run users (account CLI on a stopped server)', () => {
  let server: TestServer
  let generatedPassword = ''

  beforeAll(async () => {
    server = await startServer()
    expect(await server.stop()).toBe(0)
  })
  afterAll(() => server?.dispose())

  it('adds, lists, changes the password of, updates and removes accounts, exiting 0', async () => {
    const added = await users(
      server.dataDir,
      'add',
      'siti',
      '--name',
      'Siti Rahmawati',
      '--bidang',
      'Bidang Aplikasi Informatika',
      '--role',
      'editor',
      '--password',
      'kata-sandi-rahasia-9',
    )
    expect(added).toMatchObject({ code: 0, stderr: '' })
    expect(added.stdout).toContain('siti')

    const generated = await users(server.dataDir, 'add', 'budi', '--name', 'Budi Santoso', '--bidang', 'Bidang Statistik', '--role', 'commenter')
    expect(generated.code).toBe(0)
    generatedPassword = /Kata sandi: (\S+)/.exec(generated.stdout)?.[1] ?? ''
    expect(generatedPassword.length).toBeGreaterThanOrEqual(10)

    expect(
      (
        await users(
          server.dataDir,
          'add',
          'tamu',
          '--name',
          'Tamu',
          '--bidang',
          'Sekretariat',
          '--role',
          'viewer',
          '--password',
          'sandi-kunjungan-2026',
        )
      ).code,
    ).toBe(0)

    const list = await users(server.dataDir, 'list')
    expect(list.code).toBe(0)
    expect(listed(list).sort()).toEqual(['admin', 'budi', 'siti', 'tamu'])
    expect(list.stdout).toMatch(/siti\s+Siti Rahmawati\s+Bidang Aplikasi Informatika\s+editor/)
    expect(list.stdout).not.toMatch(/scrypt|kata-sandi-rahasia-9/)

    expect((await users(server.dataDir, 'passwd', 'siti', '--password', 'sandi-baru-rahasia-77')).code).toBe(0)
    expect((await users(server.dataDir, 'set', 'siti', '--role', 'viewer', '--bidang', 'Bidang Persandian')).code).toBe(0)
    expect((await users(server.dataDir, 'remove', 'tamu')).code).toBe(0)

    const after = await users(server.dataDir, 'list')
    expect(listed(after).sort()).toEqual(['admin', 'budi', 'siti'])
    expect(after.stdout).toMatch(/siti\s+Siti Rahmawati\s+Bidang Persandian\s+viewer/)
  })

  const refusals: Array<[string, string[], RegExp]> = [
    [
      'a duplicate username',
      ['add', 'siti', '--name', 'Siti Lain', '--bidang', 'X', '--role', 'editor', '--password', 'sandi-orang-lain-1'],
      /sudah dipakai/,
    ],
    [
      'an unknown role',
      ['add', 'raja', '--name', 'Raja', '--bidang', 'X', '--role', 'raja', '--password', 'sandi-kerajaan-12345'],
      /Peran tidak dikenal/,
    ],
    ['a short password', ['add', 'lemah', '--name', 'Lemah', '--bidang', 'X', '--role', 'viewer', '--password', 'abc'], /Kata sandi minimal/],
    [
      'a password of too few distinct characters',
      ['add', 'lemah', '--name', 'Lemah', '--bidang', 'X', '--role', 'viewer', '--password', 'aaaaaaaaaaaa'],
      /terlalu mudah/,
    ],
    ['a weak new password', ['passwd', 'siti', '--password', 'pendek'], /Kata sandi minimal/],
    ['passwd for an unknown user', ['passwd', 'hantu', '--password', 'sandi-tak-dikenal-123'], /tidak ditemukan/],
    ['set for an unknown user', ['set', 'hantu', '--role', 'viewer'], /tidak ditemukan/],
    ['remove for an unknown user', ['remove', 'hantu'], /tidak ditemukan/],
    ['removing the last admin', ['remove', 'admin'], /admin/],
  ]
  for (const [what, args, message] of refusals) {
    it(`refuses ${what} with exit 1 and a clear message on stderr`, async () => {
      const run = await users(server.dataDir, ...args)
      expect(run.code).toBe(1)
      expect(run.stderr).toMatch(message)
      expect(run.stderr).not.toMatch(/\n\s+at /) // a message, not a stack trace
    })
  }

  it('changed nothing while refusing', async () => {
    const list = await users(server.dataDir, 'list')
    expect(listed(list).sort()).toEqual(['admin', 'budi', 'siti'])
    expect(list.stdout).toMatch(/siti\s+Siti Rahmawati\s+Bidang Persandian\s+viewer/)
  })

  const usage: Array<[string, string[]]> = [
    ['no command', []],
    ['add without a username', ['add']],
    ['add without --name, --bidang and --role', ['add', 'dewi']],
    ['passwd without a username', ['passwd']],
    ['remove without a username', ['remove']],
    ['set without any change', ['set', 'siti']],
    ['an unknown command', ['hapus-semua']],
    ['an unknown option', ['list', '--paksa']],
    ['extra arguments', ['remove', 'siti', 'budi']],
  ]
  for (const [what, args] of usage) {
    it(`exits 2 with the usage for ${what}`, async () => {
      const run = await users(server.dataDir, ...args)
      expect(run.code).toBe(2)
      expect(run.stdout + run.stderr).toMatch(/Penggunaan/)
    })
  }

  it('refuses to run while the server is running (the database is locked) with a clear message, and the server keeps serving', async () => {
    server = await server.restart()
    const run = await users(server.dataDir, 'list')
    expect(run.code).not.toBe(0)
    expect(run.code).not.toBeNull()
    expect(run.stderr).toMatch(/sedang dipakai server/)
    expect(run.stderr).toContain(server.dataDir)
    expect((await api(server, 'GET', '/healthz')).status).toBe(200)
    const add = await users(
      server.dataDir,
      'add',
      'rina',
      '--name',
      'Rina',
      '--bidang',
      'X',
      '--role',
      'editor',
      '--password',
      'sandi-penyusun-12345',
    )
    expect(add.code).not.toBe(0)
    expect((await api(server, 'POST', '/api/login', { body: { username: 'rina', password: 'sandi-penyusun-12345' } })).status).toBe(401)
  })

  it('lets accounts made with the CLI sign in once the server runs, with the name, bidang, role and password the CLI set', async () => {
    const siti = await api<{ user: unknown }>(server, 'POST', '/api/login', { body: { username: 'siti', password: 'sandi-baru-rahasia-77' } })
    expect(siti.status).toBe(200)
    expect(siti.body.user).toEqual({ id: expect.any(String), username: 'siti', name: 'Siti Rahmawati', bidang: 'Bidang Persandian', role: 'viewer' })
    expect((await api(server, 'POST', '/api/login', { body: { username: 'siti', password: 'kata-sandi-rahasia-9' } })).status).toBe(401)

    const budi = await api<{ user: unknown }>(server, 'POST', '/api/login', { body: { username: 'budi', password: generatedPassword } })
    expect(budi.status).toBe(200)
    expect(budi.body.user).toEqual({ id: expect.any(String), username: 'budi', name: 'Budi Santoso', bidang: 'Bidang Statistik', role: 'commenter' })

    expect((await api(server, 'POST', '/api/login', { body: { username: 'tamu', password: 'sandi-kunjungan-2026' } })).status).toBe(401)
  })
})
