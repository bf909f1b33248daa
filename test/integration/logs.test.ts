import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer, type TestServer } from '../harness/server.js'
import { api, closeCodes, connect, createAccount, openRaw, waitFor } from '../harness/clients.js'

/**
 * Issue 16, logs: with LOG_FORMAT=json the server writes one JSON object per line, every request
 * and connection line carries its id, and no token or password reaches stderr whatever the
 * client sends. THREAT_MODEL.md P25.
 */

interface Line {
  readonly time: string
  readonly level: string
  readonly msg: string
  readonly [field: string]: unknown
}

describe('logs (LOG_FORMAT=json)', () => {
  let server: TestServer
  const lines = () =>
    server
      .stderr()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Line)

  beforeAll(async () => {
    server = await startServer({ env: { LOG_FORMAT: 'json', LOG_LEVEL: 'debug' } })
  })
  afterAll(() => server?.dispose())

  it('writes one JSON object per line, with request and connection ids, and never a token or password (P25)', async () => {
    const { token, password, user } = await createAccount(server, 'editor')
    const wrongPassword = 'sandi-keliru-rahasia-987'
    const forgedBearer = 'rahasia-bearer-palsu-654'
    expect((await api(server, 'POST', '/api/login', { body: { username: user.username, password: wrongPassword } })).status).toBe(401)
    expect((await api(server, 'GET', '/api/me', { token: forgedBearer })).status).toBe(401)
    const missing = await api(server, 'GET', '/api/docs/tidak-ada', { token })
    expect(missing.status).toBe(404)

    const client = connect(server, 'rapergub-spbe', token)
    await client.synced
    const refused = openRaw(server, 'rapergub-spbe', `${token}x`)
    expect(await refused.outcome).toMatchObject({ kind: 'closed' })
    const codes = closeCodes(client)
    client.destroy()
    await waitFor(() => codes.length > 0, 'the client to close')
    await waitFor(() => lines().filter((line) => line.msg === 'websocket closed').length === 2, 'both sockets logged as closed')

    const all = lines()
    for (const line of all) {
      expect(line.time).toMatch(/^\d{4}-\d\d-\d\dT/)
      expect(['error', 'warn', 'info', 'debug']).toContain(line.level)
      expect(typeof line.msg).toBe('string')
    }
    const requests = all.filter((line) => line.msg === 'http request')
    expect(requests.map((line) => `${line.method} ${line.path} ${line.status}`)).toEqual(
      expect.arrayContaining(['POST /api/login 401', 'GET /api/me 401', 'GET /api/docs/tidak-ada 404', 'POST /api/login 200']),
    )
    for (const line of requests) expect(line.reqId).toMatch(/^[\w-]{8}$/)
    expect(requests.map((line) => line.reqId)).toContain(missing.headers.get('x-request-id'))
    expect(new Set(requests.map((line) => line.reqId)).size, 'ids are unique').toBe(requests.length)

    const joined = all.find((line) => line.msg === 'joined')
    expect(joined).toMatchObject({ connId: expect.stringMatching(/^[\w-]{8}$/), user: user.username, doc: 'rapergub-spbe' })
    const closed = all.filter((line) => line.msg === 'websocket closed')
    expect(closed.map((line) => line.connId)).toContain(joined!.connId)
    expect(closed.map((line) => line.code)).toContain(4401)

    const stderr = server.stderr()
    for (const secret of [token, token.split('.')[2]!, `${token}x`, password, wrongPassword, forgedBearer, server.admin.password])
      expect(stderr, 'a secret in the log').not.toContain(secret)
  })
})
