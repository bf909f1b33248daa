import { join } from 'node:path'
import { LevelStorage } from './leveldb.js'
import type { RawStorage, Storage } from './types.js'
import { lazyModule } from '../lazyModule.js'

/** The PostgreSQL adapter and its driver, loaded only by a server given a `databaseUrl`. */
export const postgresAdapter = lazyModule('postgres', () => import('./postgres/postgresStorage.js'))

export interface StorageLocation {
  /** LevelDB lives in `<dataDir>/db` unless `databaseUrl` is set. */
  readonly dataDir: string
  /** `postgres://…`: PostgreSQL instead of LevelDB (SPEC S26). */
  readonly databaseUrl: string | null
  /** LevelDB only: fsync every batch (PostgreSQL commits durably by its own settings). */
  readonly syncWrites?: boolean
}

/** The storage the server and the CLIs use: PostgreSQL when `databaseUrl` is set, else the embedded LevelDB. */
export async function openStorage(location: StorageLocation): Promise<Storage & RawStorage> {
  if (location.databaseUrl) return (await postgresAdapter()).PostgresStorage.open(location.databaseUrl)
  return LevelStorage.open(join(location.dataDir, 'db'), { sync: location.syncWrites ?? true })
}
