import type { RawStorage } from '../../storage/types.js'
import { encodeBackup } from '../../backup/format.js'
import { snapshotBackup } from '../../backup/backup.js'
import { BACKUP_PROOF_HEADER, verifyBackupProof } from '../../backup/proof.js'
import type { Router } from '../router.js'
import { Refusal } from '../../refusal.js'
import { log } from '../../log.js'

export const BACKUP_PATH = '/api/backup'

/**
 * GET /api/backup: the whole database and the secret as one backup file, streamed from one
 * snapshot while the server keeps serving. For `npm run backup` on the server machine only: the
 * peer must be this machine AND prove it can read DATA_DIR (backup/proof.ts); anyone else, a
 * browser behind the reverse proxy included, gets 403 and nothing else.
 */
export function backupRoutes(router: Router, options: { readonly storage: RawStorage; readonly secret: Uint8Array }) {
  router.add('GET', BACKUP_PATH, async (request) => {
    const proof = request.headers[BACKUP_PROOF_HEADER]
    if (!request.fromThisMachine || !verifyBackupProof(options.secret, typeof proof === 'string' ? proof : undefined)) {
      log.warn('backup refused', { address: request.address, fromThisMachine: request.fromThisMachine })
      throw new Refusal('forbidden', 'Cadangan hanya dapat dibuat dengan "npm run backup" di mesin server.')
    }
    const contents = await snapshotBackup(options.storage, options.secret)
    log.info('backup started', { createdAt: contents.header.createdAt })
    return { status: 200, stream: { chunks: encodeBackup(contents), contentType: 'application/octet-stream' } }
  })
}
