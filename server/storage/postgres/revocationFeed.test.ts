import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startPostgres, type TestPostgres } from '../../../test/harness/postgres.js'
import { waitFor } from '../../../test/harness/clients.js'
import { PostgresStorage } from './postgresStorage.js'
import { decodeRevocation, encodeRevocation } from './revocationFeed.js'

describe('revocation notifications', () => {
  it('a revocation survives encoding into a NOTIFY payload and decoding', () => {
    const revocation = { tokenId: 'Zm9vYmFyYmF6cXV4', expiresAt: 1_800_000_000 }
    expect(decodeRevocation(encodeRevocation(revocation))).toEqual(revocation)
  })

  it('a malformed payload decodes to nothing rather than a revocation of something else', () => {
    for (const payload of [undefined, '', 'not json', 'null', '"x"', '{"tokenId":1,"expiresAt":2}', '{"tokenId":"a"}', '[]']) {
      expect(decodeRevocation(payload), String(payload)).toBeNull()
    }
  })
})

describe('revocations heard from other servers (P38)', () => {
  let postgres: TestPostgres
  let database: string
  let listening: PostgresStorage
  let revoking: PostgresStorage

  beforeAll(async () => {
    postgres = await startPostgres()
    const url = await postgres.createDatabase('revocations')
    database = new URL(url).pathname.slice(1)
    listening = await PostgresStorage.open(url)
    revoking = await PostgresStorage.open(url)
  })
  afterAll(async () => {
    await listening?.close()
    await revoking?.close()
    await postgres?.dispose()
  })

  it('hears a revocation as it commits, and one committed while its connection was broken once it listens again', async () => {
    const heard: string[] = []
    const stop = await listening.watchRevocations(({ tokenId }) => heard.push(tokenId))
    try {
      await revoking.putRevocation('sesi-langsung', 1_900_000_000)
      await waitFor(() => heard.includes('sesi-langsung'), 'the notification')

      // The listening connection breaks (a database restart would do the same); the revocation's notification is lost.
      await postgres.psql(database, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'LISTEN%'`)
      await revoking.putRevocation('sesi-terlewat', 1_900_000_000)
      await waitFor(() => heard.includes('sesi-terlewat'), 'the revocation read again after listening again')
    } finally {
      stop()
    }
  })
})
