import { fileArgument, runCommand } from './command.js'
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

async function run(argv: string[]): Promise<number> {
  const file = fileArgument(argv, USAGE, 'Sebutkan tepat satu berkas cadangan.')
  if (file === null) return 0
  const { dataDir } = readConfig()
  const { header, records } = await restoreBackup(file, dataDir)
  process.stdout.write(
    `Dipulihkan ke ${dataDir}: ${records} catatan dan kunci rahasia dari cadangan per ${header.createdAt} ` +
      `(format penyimpanan ${header.storageFormat}). Jalankan server dengan DATA_DIR ini.\n`,
  )
  return 0
}

runCommand(run(process.argv.slice(2)), USAGE, (error) => {
  const message =
    error instanceof BackupFormatError
      ? `berkas cadangan rusak atau tidak lengkap: ${error.message}. Tidak ada yang diubah.`
      : ((error as Error)?.message ?? String(error))
  return `Gagal memulihkan: ${message}`
})
