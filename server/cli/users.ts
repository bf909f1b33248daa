import { parseArgs } from 'node:util'
import { ROLES, ROLE_LABELS, isRole } from '../../shared/accounts.js'
import { readConfig } from '../config.js'
import { openStorage } from '../storage/open.js'
import type { RawStorage, Storage } from '../storage/types.js'
import { Accounts } from '../auth/accounts.js'
import { CLI_ORIGIN } from '../../shared/audit.js'
import { Refusal } from '../refusal.js'
import { randomPassword } from '../auth/passwords.js'

/**
 * `npm run users -- <command>`: account management on DATA_DIR while the server is stopped.
 * Exit 0 on success, 1 when the change is refused, 2 for wrong usage or an unusable DATA_DIR.
 */

const USAGE = `Penggunaan: npm run users -- <perintah>

  add <username> --name "<nama>" --bidang "<bidang>" --role <${ROLES.join('|')}> [--password <sandi>]
      Membuat akun. Tanpa --password, sandi acak dibuat dan ditampilkan sekali.
  list
      Menampilkan semua akun.
  passwd <username> [--password <sandi>]
      Mengganti kata sandi (semua sesi lama akun itu berakhir).
  set <username> [--name "<nama>"] [--bidang "<bidang>"] [--role <peran>]
      Mengubah nama, bidang atau peran.
  remove <username>
      Menghapus akun.

Bekerja pada DATA_DIR (bawaan ./data) saat server tidak berjalan.`

class UsageError extends Error {}

const OPTIONS = {
  name: { type: 'string' },
  bidang: { type: 'string' },
  role: { type: 'string' },
  password: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const

async function run(argv: string[]): Promise<number> {
  let parsed
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true })
  } catch (error) {
    throw new UsageError((error as Error).message)
  }
  const { values, positionals } = parsed
  const [command, username, ...extra] = positionals
  if (values.help || !command) {
    process.stdout.write(`${USAGE}\n`)
    return command || values.help ? 0 : 2
  }
  if (extra.length > 0) throw new UsageError(`Argumen berlebih: ${extra.join(' ')}`)
  const needUser = () => {
    if (!username) throw new UsageError(`Perintah "${command}" memerlukan <username>.`)
    return username
  }
  if (values.role !== undefined && !isRole(values.role)) {
    throw new Refusal('invalid', `Peran tidak dikenal: ${values.role}. Pilih salah satu: ${ROLES.join(', ')}.`)
  }

  const storage = await openAccountStorage()
  try {
    const accounts = new Accounts(storage)
    switch (command) {
      case 'add': {
        const name = needUser()
        if (!values.name || !values.bidang || !values.role) throw new UsageError('Perintah "add" memerlukan --name, --bidang dan --role.')
        const password = values.password ?? randomPassword()
        const user = await accounts.add(
          {
            username: name,
            name: values.name,
            bidang: values.bidang,
            role: values.role as (typeof ROLES)[number],
            password,
          },
          CLI_ORIGIN,
        )
        process.stdout.write(`Akun "${user.username}" dibuat: ${user.name}, ${user.bidang}, peran ${user.role}.\n`)
        if (values.password === undefined) process.stdout.write(`Kata sandi: ${password}  (hanya ditampilkan sekali)\n`)
        return 0
      }
      case 'list': {
        const users = await accounts.list()
        if (users.length === 0) {
          process.stdout.write('Belum ada akun.\n')
          return 0
        }
        const rows = [
          ['USERNAME', 'NAMA', 'BIDANG', 'PERAN'],
          ...users.map((u) => [u.username, u.name, u.bidang, `${u.role} (${ROLE_LABELS[u.role]})`]),
        ]
        const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)))
        for (const row of rows)
          process.stdout.write(
            `${row
              .map((cell, i) => cell.padEnd(widths[i]!))
              .join('  ')
              .trimEnd()}\n`,
          )
        return 0
      }
      case 'passwd': {
        const name = needUser()
        const password = values.password ?? randomPassword()
        await accounts.update(name, { password }, CLI_ORIGIN)
        process.stdout.write(`Kata sandi "${name}" diganti.\n`)
        if (values.password === undefined) process.stdout.write(`Kata sandi baru: ${password}  (hanya ditampilkan sekali)\n`)
        return 0
      }
      case 'set': {
        const name = needUser()
        if (values.name === undefined && values.bidang === undefined && values.role === undefined) {
          throw new UsageError('Perintah "set" memerlukan sedikitnya satu dari --name, --bidang, --role.')
        }
        const user = await accounts.update(
          name,
          {
            name: values.name,
            bidang: values.bidang,
            role: values.role as (typeof ROLES)[number] | undefined,
          },
          CLI_ORIGIN,
        )
        process.stdout.write(`Akun "${user.username}" diperbarui: ${user.name}, ${user.bidang}, peran ${user.role}.\n`)
        return 0
      }
      case 'remove': {
        const name = needUser()
        await accounts.remove(name, CLI_ORIGIN)
        process.stdout.write(`Akun "${name}" dihapus.\n`)
        return 0
      }
      default:
        throw new UsageError(`Perintah tidak dikenal: ${command}`)
    }
  } finally {
    await storage.close()
  }
}

/** The server's storage: PostgreSQL with DATABASE_URL (usable while servers run), else DATA_DIR's LevelDB (only while stopped). */
async function openAccountStorage(): Promise<Storage & RawStorage> {
  const config = readConfig()
  const { dataDir } = config
  try {
    return await openStorage(config)
  } catch (error) {
    if ((error as { cause?: { code?: string } }).cause?.code === 'LEVEL_LOCKED') {
      throw new UsageError(`DATA_DIR ${dataDir} sedang dipakai server yang berjalan. Hentikan server dulu, lalu ulangi perintah ini.`)
    }
    throw error
  }
}

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof Refusal) {
      process.stderr.write(`Gagal: ${error.message}\n`)
      process.exit(1)
    }
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n\n${USAGE}\n`)
      process.exit(2)
    }
    process.stderr.write(`Gagal: ${(error as Error)?.message ?? String(error)}\n`)
    process.exit(2)
  },
)
