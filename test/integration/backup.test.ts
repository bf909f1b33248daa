import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as decoding from 'lib0/decoding'
import { spawn } from 'node:child_process'
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { startServer, type TestServer } from '../harness/server.js'
import { adminPerson, api, connect, createAccount, roundTrip, waitFor, type TestClient } from '../harness/clients.js'
import { ayatText, pasal } from '../harness/document.js'
import { LevelStorage, createDatabase } from '../../server/storage/leveldb.js'
import { decodeBackup, encodeBackup } from '../../server/backup/format.js'
import { readBackupFile, saveBackup } from '../../server/backup/backup.js'
import { BACKUP_PROOF_HEADER, createBackupProof } from '../../server/backup/proof.js'
import { CURRENT_FORMAT_VERSION } from '../../server/storage/migrations.js'
import type { RawEntry } from '../../server/storage/types.js'
import type { Thread } from '../../shared/comments.js'
import type { User } from '../../shared/accounts.js'

const ROOT = resolve(import.meta.dirname, '../..')
const DOC = 'rapergub-spbe'

interface Run {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/** Runs a built entry point (what `npm run backup|restore` and `npm start` run) to its exit. */
function run(script: string, env: Record<string, string>, ...args: string[]): Promise<Run> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [join(ROOT, script), ...args], {
      cwd: ROOT,
      env: { ...process.env, LOG_LEVEL: 'info', ...env },
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

const serverEnv = (server: TestServer) => ({ DATA_DIR: server.dataDir, HOST: '127.0.0.1', PORT: String(server.port) })
const backup = (env: Record<string, string>, file: string) => run('dist/server/cli/backup.js', env, file)
const restore = (dataDir: string, file: string) => run('dist/server/cli/restore.js', { DATA_DIR: dataDir }, file)

const scratch: string[] = []
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'rancang-backup-'))
  scratch.push(dir)
  return dir
}
afterAll(async () => {
  for (const dir of scratch) await rm(dir, { recursive: true, force: true })
})

const keyOf = (entry: RawEntry) => Buffer.from(entry.key).toString('utf8')

/** Every record of the (stopped) database in `dataDir`, by key. */
async function readDatabase(dataDir: string): Promise<Map<string, Buffer>> {
  const storage = await LevelStorage.open(join(dataDir, 'db'))
  try {
    const records = new Map<string, Buffer>()
    for await (const entry of storage.entries()) records.set(keyOf(entry), Buffer.from(entry.value))
    return records
  } finally {
    await storage.close()
  }
}

/** Every record of a backup file, by key, and its header. */
async function readBackup(file: string) {
  const { header, secret, entries } = await decodeBackup(readBackupFile(file))
  const records = new Map<string, Buffer>()
  for await (const entry of entries) records.set(keyOf(entry), Buffer.from(entry.value))
  return { header, secret, records }
}

/** A directory's names, or null when it does not exist: what "changing nothing" compares. */
const listing = (dir: string) =>
  readdir(dir).then(
    (names) => names.sort(),
    () => null,
  )

const words = (text: string) => [...text.matchAll(/k(\d+) /g)].map((match) => Number(match[1]))
const commentNumbers = (threads: Thread[]) =>
  threads
    .flatMap((t) => t.messages.map((m) => /komentar (\d+)/.exec(m.text)?.[1]))
    .filter(Boolean)
    .map(Number)

/** 0, 1, …, n-1 in any order: a prefix of what was written in sequence. */
const isPrefix = (numbers: number[]) => [...numbers].sort((a, b) => a - b).every((n, i) => n === i)

describe('backup and restore (S16)', () => {
  it('backs up a running server while clients type and comment, as one moment that restores whole: every record, the text, comments, accounts and old tokens (S16)', async () => {
    // Compaction every 20 updates, so folding the log into the state happens during the backup too.
    const server = await startServer({ env: { COMPACT_AFTER_UPDATES: '20' } })
    const admin = await adminPerson(server)
    const editor = await createAccount(server, 'editor', 'Bidang Aplikasi Informatika', admin.token)
    const writer = connect(server, DOC, editor.token)
    const reader: TestClient = connect(server, DOC, admin.token)
    await Promise.all([writer.synced, reader.synced])
    const pasalId = pasal(writer.doc, 1).getAttribute('id') as string

    let typing = true
    let typed = 0
    let commented = 0
    const typist = (async () => {
      while (typing) {
        ayatText(pasal(writer.doc, 1)).insert(0, `k${typed++} `)
        if (typed % 10 === 0) await roundTrip(writer)
        else await new Promise((r) => setTimeout(r, 2))
      }
      await roundTrip(writer)
    })()
    const commenter = (async () => {
      while (typing) {
        const response = await api(server, 'POST', `/api/docs/${DOC}/threads`, {
          token: editor.token,
          body: { anchor: { pasalId }, text: `komentar ${commented}` },
        })
        expect(response.status).toBe(201)
        commented++
      }
    })()

    await waitFor(() => typed >= 60 && commented >= 5, 'typing and comments under way', 30_000)
    // Everything sent before this round trip is stored before the backup starts.
    const typedBefore = typed
    const commentedBefore = commented
    await roundTrip(writer)
    const file = join(await tempDir(), 'kantor.backup')
    const made = await backup(serverEnv(server), file)
    expect(made.code, made.stderr).toBe(0)
    expect(made.stdout).toMatch(/diambil dari server yang berjalan/)
    const typedAfterBackup = typed
    await waitFor(() => typed >= typedAfterBackup + 20, 'typing to go on after the backup')
    const late = await createAccount(server, 'viewer', 'Inspektorat', admin.token)
    typing = false
    await Promise.all([typist, commenter])
    writer.destroy()
    reader.destroy()
    expect(await server.stop()).toBe(0)
    console.log(`backup while typing: ${typedBefore} words and ${commentedBefore} comments before it, ${typed} and ${commented} at the end`)

    // The file: private, and what it holds is what a restore writes, record by record.
    expect((await stat(file)).mode & 0o777).toBe(0o600)
    const saved = await readBackup(file)
    expect(saved.header.storageFormat).toBe(CURRENT_FORMAT_VERSION)
    const restoredDir = join(await tempDir(), 'data')
    const restored = await restore(restoredDir, file)
    expect(restored.code, restored.stderr).toBe(0)
    expect(restored.stdout).toContain(`${saved.records.size} catatan`)
    const restoredRecords = await readDatabase(restoredDir)
    expect([...restoredRecords.keys()]).toEqual([...saved.records.keys()])
    for (const [key, value] of saved.records) expect(restoredRecords.get(key)?.equals(value), key).toBe(true)
    expect(await readFile(join(restoredDir, 'secret.key'), 'utf8')).toBe(await readFile(join(server.dataDir, 'secret.key'), 'utf8'))

    // One moment of the source: what differs from the source's end state was written after it.
    const source = await readDatabase(server.dataDir)
    const stateClock = (records: Map<string, Buffer>) => decoding.readVarUint(decoding.createDecoder(records.get(`v1/state/${DOC}`)!))
    const logClocks = [...restoredRecords.keys()].filter((k) => k.startsWith(`v1/log/${DOC}/`)).map((k) => Number.parseInt(k.slice(-13), 16))
    const restoredStateClock = stateClock(restoredRecords)
    // A compaction writes its state in one batch and deletes the folded entries after it (S3): the backup may
    // hold some of those (loading skips them), never a gap after the state.
    const unfolded = logClocks.filter((clock) => clock > restoredStateClock)
    expect(unfolded).toEqual(unfolded.map((_, i) => restoredStateClock + 1 + i))
    expect(restoredStateClock).toBeLessThanOrEqual(stateClock(source))
    // The last change is rewritten with every stored batch, as the state is: the backup's is as old or older.
    const lastChangeAt = (records: Map<string, Buffer>) => (JSON.parse(records.get(`v1/modified/${DOC}`)!.toString('utf8')) as { at: string }).at
    expect(lastChangeAt(restoredRecords) <= lastChangeAt(source)).toBe(true)
    for (const [key, value] of restoredRecords) {
      if (key === `v1/state/${DOC}` || key === `v1/modified/${DOC}`) continue
      if (key.startsWith(`v1/log/${DOC}/`) && !source.has(key)) {
        expect(Number.parseInt(key.slice(-13), 16), `${key} was compacted away later`).toBeLessThanOrEqual(stateClock(source))
        continue
      }
      expect(source.get(key)?.equals(value), `${key} as in the source`).toBe(true)
    }

    // The restored server: the text up to the backup, the comments, the accounts, the old tokens.
    const back = await startServer({ dataDir: restoredDir, admin: server.admin })
    try {
      expect((await api<User>(back, 'GET', '/api/me', { token: editor.token })).body).toEqual(editor.user)
      const client = connect(back, DOC, admin.token)
      await client.synced
      const text = ayatText(pasal(client.doc, 1)).toString()
      client.destroy()
      const restoredWords = words(text)
      expect(isPrefix(restoredWords), 'the words are those typed up to one moment').toBe(true)
      expect(restoredWords.length).toBeGreaterThanOrEqual(typedBefore)
      expect(restoredWords.length).toBeLessThan(typed)
      const threads = (await api<Thread[]>(back, 'GET', `/api/docs/${DOC}/threads`, { token: admin.token })).body
      const restoredComments = commentNumbers(threads)
      expect(isPrefix(restoredComments)).toBe(true)
      expect(restoredComments.length).toBeGreaterThanOrEqual(commentedBefore)
      const users = (await api<User[]>(back, 'GET', '/api/users', { token: admin.token })).body.map((u) => u.username)
      expect(users).toContain(editor.user.username)
      expect(users).not.toContain(late.user.username)
    } finally {
      await back.dispose()
      await server.dispose()
    }
  }, 120_000)

  it('backs up a stopped server by opening its database, record for record (S16)', async () => {
    const server = await startServer()
    const admin = await adminPerson(server)
    await createAccount(server, 'commenter', 'Biro Hukum', admin.token)
    expect(await server.stop()).toBe(0)
    const file = join(await tempDir(), 'malam.backup')
    const made = await backup({ DATA_DIR: server.dataDir }, file)
    expect(made.code, made.stderr).toBe(0)
    expect(made.stdout).toMatch(/server tidak berjalan/)
    const target = join(await tempDir(), 'empty')
    await mkdir(target)
    expect((await restore(target, file)).code).toBe(0)
    expect(await readDatabase(target)).toEqual(await readDatabase(server.dataDir))
    expect(await readFile(join(target, 'secret.key'))).toEqual(await readFile(join(server.dataDir, 'secret.key')))
    await server.dispose()
  })

  it('leaves no file behind when a backup fails, and the backup route refuses anyone without the DATA_DIR proof (S16)', async () => {
    const server = await startServer()
    const dir = await tempDir()
    const failed = await backup({ ...serverEnv(server), PORT: '1' }, join(dir, 'gagal.backup'))
    expect(failed.code).toBe(1)
    expect(failed.stderr).toMatch(/tidak menjawab/)
    expect(await listing(dir)).toEqual([])

    const wrongSecret = new Uint8Array(32).fill(1)
    for (const headers of [{}, { [BACKUP_PROOF_HEADER]: createBackupProof(wrongSecret) }] as Array<Record<string, string>>) {
      const response = await fetch(`${server.url}/api/backup`, { headers })
      expect(response.status).toBe(403)
      expect(await response.text()).not.toMatch(/RANCANG-BACKUP/)
    }
    await server.dispose()
  })

  describe('a restore refuses, with a message and exit 1, changing nothing (S16)', () => {
    let server: TestServer
    let dir = ''
    let good = ''
    let bytes = Buffer.alloc(0)
    beforeAll(async () => {
      server = await startServer()
      expect(await server.stop()).toBe(0)
      dir = await tempDir()
      good = join(dir, 'good.backup')
      expect((await backup({ DATA_DIR: server.dataDir }, good)).code).toBe(0)
      bytes = await readFile(good)
    })
    afterAll(() => server?.dispose())

    it('a DATA_DIR that is not empty', async () => {
      const target = join(dir, 'occupied')
      await mkdir(target)
      await writeFile(join(target, 'catatan.txt'), 'jangan dihapus')
      const refused = await restore(target, good)
      expect(refused.code).toBe(1)
      expect(refused.stderr).toMatch(/tidak kosong \(berisi catatan\.txt\)/)
      expect(await listing(target)).toEqual(['catatan.txt'])
      expect(await readFile(join(target, 'catatan.txt'), 'utf8')).toBe('jangan dihapus')
    })

    const damaged: Array<[string, () => Buffer, RegExp]> = [
      ['a truncated file', () => bytes.subarray(0, Math.floor(bytes.length / 2)), /terpotong/],
      ['a file missing its last bytes', () => bytes.subarray(0, bytes.length - 5), /terpotong/],
      [
        'a flipped byte',
        () => {
          const copy = Buffer.from(bytes)
          copy[Math.floor(copy.length / 2)]! ^= 0x40
          return copy
        },
        /rusak/,
      ],
      ['a wrong magic', () => Buffer.concat([Buffer.from('RANCANG-BACKUQ'), bytes.subarray(14)]), /bukan berkas cadangan Rancang/],
    ]
    for (const [what, make, message] of damaged) {
      it(what, async () => {
        const file = join(dir, `${what.replaceAll(' ', '-')}.backup`)
        await writeFile(file, make())
        const missing = join(dir, `missing-${what.replaceAll(' ', '-')}`)
        const empty = join(dir, `empty-${what.replaceAll(' ', '-')}`)
        await mkdir(empty)
        for (const target of [missing, empty]) {
          const refused = await restore(target, file)
          expect(refused.code).toBe(1)
          expect(refused.stderr).toMatch(/^Gagal memulihkan: berkas cadangan rusak atau tidak lengkap: .*Tidak ada yang diubah\.\n$/)
          expect(refused.stderr).toMatch(message)
        }
        expect(await listing(missing)).toBeNull()
        expect(await listing(empty)).toEqual([])
      })
    }

    it('a backup of a storage format newer than this server knows', async () => {
      const newer = join(dir, 'newer.backup')
      const { secret, entries } = await decodeBackup(readBackupFile(good))
      await saveBackup(
        newer,
        encodeBackup({ header: { createdAt: new Date().toISOString(), storageFormat: CURRENT_FORMAT_VERSION + 1 }, secret, entries }),
      )
      const target = join(dir, 'for-newer')
      const refused = await restore(target, newer)
      expect(refused.code).toBe(1)
      expect(refused.stderr).toMatch(/lebih baru/)
      expect(await listing(target)).toBeNull()
    })
  })
})

describe('storage format versions (S16)', () => {
  /** A DATA_DIR holding the records of `dataDir` except the format version: a database of today's format as it was before versions. */
  async function withoutFormatVersion(dataDir: string): Promise<string> {
    const target = await tempDir()
    const storage = await LevelStorage.open(join(dataDir, 'db'))
    const all: RawEntry[] = []
    for await (const entry of storage.entries()) if (keyOf(entry) !== 'format') all.push(entry)
    await storage.close()
    await createDatabase(
      join(target, 'db'),
      (async function* () {
        yield* all
      })(),
    )
    await writeFile(join(target, 'secret.key'), await readFile(join(dataDir, 'secret.key')))
    return target
  }

  it('migrates a database written before format versions at start, after writing a backup of it beside it (S16)', async () => {
    const server = await startServer()
    const admin = await adminPerson(server)
    const editor = await createAccount(server, 'editor', 'Bidang Statistik', admin.token)
    const writer = connect(server, DOC, editor.token)
    await writer.synced
    ayatText(pasal(writer.doc, 2)).insert(0, 'Sebelum pemutakhiran. ')
    await roundTrip(writer)
    const pasalId = pasal(writer.doc, 2).getAttribute('id')
    writer.destroy()
    expect(
      (await api(server, 'POST', `/api/docs/${DOC}/threads`, { token: editor.token, body: { anchor: { pasalId }, text: 'Catatan lama.' } })).status,
    ).toBe(201)
    expect(await server.stop()).toBe(0)
    const old = await withoutFormatVersion(server.dataDir)
    const before = await readDatabase(old)
    expect(before.has('format')).toBe(false)

    const upgraded = await startServer({ dataDir: old, admin: server.admin })
    try {
      expect(upgraded.stderr()).toBe('')
      expect((await api<User>(upgraded, 'GET', '/api/me', { token: editor.token })).body).toEqual(editor.user)
      const client = connect(upgraded, DOC, admin.token)
      await client.synced
      expect(ayatText(pasal(client.doc, 2)).toString()).toMatch(/^Sebelum pemutakhiran\. /)
      client.destroy()
      const threads = (await api<Thread[]>(upgraded, 'GET', `/api/docs/${DOC}/threads`, { token: admin.token })).body
      expect(threads.map((t) => t.messages[0]!.text)).toEqual(['Catatan lama.'])
    } finally {
      expect(await upgraded.stop()).toBe(0)
    }
    const backups = (await readdir(old)).filter((name) => name.startsWith('backup-before-'))
    expect(backups).toHaveLength(1)
    expect(backups[0]).toMatch(new RegExp(`^backup-before-v${CURRENT_FORMAT_VERSION}-\\d{4}-\\d\\d-\\d\\dT\\d\\d-\\d\\d-\\d\\dZ\\.backup$`))
    const written = await readBackup(join(old, backups[0]!))
    expect(written.header.storageFormat).toBe(1)
    expect(written.records).toEqual(before)
    expect((await readDatabase(old)).get('format')?.toString()).toBe(String(CURRENT_FORMAT_VERSION))
    await server.dispose()
  }, 60_000)

  it('refuses a database in a newer storage format with one line on stderr and a non-zero exit, changing nothing (S16)', async () => {
    const server = await startServer()
    expect(await server.stop()).toBe(0)
    const storage = await LevelStorage.open(join(server.dataDir, 'db'))
    await storage.putFormatVersion(CURRENT_FORMAT_VERSION + 1)
    await storage.close()
    const before = await readDatabase(server.dataDir)
    const names = await listing(server.dataDir)

    const started = await run('dist/server/main.js', { DATA_DIR: server.dataDir, HOST: '127.0.0.1', PORT: '0' })
    expect(started.code).not.toBe(0)
    expect(started.stdout).toBe('')
    const lines = started.stderr.trimEnd().split('\n')
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(
      new RegExp(`storage format ${CURRENT_FORMAT_VERSION + 1}, but this Rancang reads formats up to ${CURRENT_FORMAT_VERSION}`),
    )
    expect(await readDatabase(server.dataDir)).toEqual(before)
    expect(await listing(server.dataDir)).toEqual(names)
    await server.dispose()
  })
})
