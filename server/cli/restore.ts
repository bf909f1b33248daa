import { parseArgs } from 'node:util'
import { resolve } from 'node:path'
import { readConfig } from '../config.js'
import { BackupFormatError } from '../backup/format.js'
import { restoreBackup } from '../backup/restore.js'

/**
 * `npm run restore -- <file>`: brings a backup made by `npm run backup` back into an empty
 * DATA_DIR, with the server stopped. The whole file is verified before anything is written; a
 * non-empty DATA_DIR or a damaged file is refused and nothing changes. Exit 0 on success, 1 when
 * refused or failed, 2 for wrong usage.
 */

const USAGE = `Penggunaan: npm run restore -- <berkas>

  Memulihkan cadangan dari npm run backup ke DATA_DIR yang kosong (atau belum ada),
  saat server tidak berjalan. Seluruh berkas diperiksa (checksum) sebelum apa pun ditulis.`

class UsageError extends Error {}

async function run(argv: string[]): Promise<number> {
  let parsed
  try {
    parsed = parseArgs({ args: argv, options: { help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true })
  } catch (error) {
    throw new UsageError((error as Error).message)
  }
  if (parsed.values.help) {
    process.stdout.write(`${USAGE}\n`)
    return 0
  }
  if (parsed.positionals.length !== 1) throw new UsageError('Sebutkan tepat satu berkas cadangan.')
  const file = resolve(parsed.positionals[0]!)
  const { dataDir } = readConfig()
  const { header, records } = await restoreBackup(file, dataDir)
  process.stdout.write(
    `Dipulihkan ke ${dataDir}: ${records} catatan dan kunci rahasia dari cadangan per ${header.createdAt} ` +
      `(format penyimpanan ${header.storageFormat}). Jalankan server dengan DATA_DIR ini.\n`,
  )
  return 0
}

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n\n${USAGE}\n`)
      process.exit(2)
    }
    const message =
      error instanceof BackupFormatError
        ? `berkas cadangan rusak atau tidak lengkap: ${error.message}. Tidak ada yang diubah.`
        : ((error as Error)?.message ?? String(error))
    process.stderr.write(`Gagal memulihkan: ${message}\n`)
    process.exit(1)
  },
)
