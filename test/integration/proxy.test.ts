import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { startServer, type TestServer } from '../harness/server.js'
import { caretCursor, connect, openRaw, waitFor, type RawSocket, type SocketOptions, type TestClient } from '../harness/clients.js'
import { startNginx, type TestNginx } from '../harness/nginx.js'
import { ayatText, pasal } from '../harness/document.js'

/**
 * Issue 16: Rancang behind Debian's nginx with the shipped site (deploy/nginx), over TLS with a
 * throwaway certificate, the server started as the systemd unit starts it (TRUST_PROXY=127.0.0.1).
 * Clients bind to different loopback addresses (127.0.0.2, 127.0.0.3, ...) so nginx sees different
 * machines. THREAT_MODEL.md P24 and P25.
 */

const DOC = 'rapergub-spbe'
const LIMITS = { MAX_CONNECTIONS_PER_ADDRESS: '2', LOGIN_FAILURES_PER_ADDRESS: '3', LOGIN_FAILURES_PER_USERNAME: '100' }

interface Answer {
  readonly status: number
  readonly headers: IncomingHttpHeaders
  readonly text: string
}

/** One HTTP(S) request from a chosen loopback address, with any headers (node:http, not fetch, for `localAddress`). */
function call(
  base: string,
  method: string,
  path: string,
  options: SocketOptions & { body?: string | Buffer; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const url = new URL(path, base)
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest
  return new Promise((resolve, reject) => {
    const req = send(
      url,
      {
        method,
        localAddress: options.localAddress,
        ca: options.ca,
        headers: { ...options.headers, ...(options.body === undefined ? {} : { 'content-length': Buffer.byteLength(options.body) }) },
      },
      (response) => {
        const chunks: Buffer[] = []
        response.on('data', (chunk: Buffer) => chunks.push(chunk))
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, text: Buffer.concat(chunks).toString() }))
      },
    )
    req.on('error', reject)
    req.end(options.body)
  })
}

const JSON_TYPE = { 'content-type': 'application/json' }

function signIn(base: string, socket: SocketOptions, username: string, password: string, headers: Record<string, string> = {}) {
  return call(base, 'POST', '/api/login', { ...socket, headers: { ...JSON_TYPE, ...headers }, body: JSON.stringify({ username, password }) })
}

async function tokenFor(base: string, socket: SocketOptions, username: string, password: string): Promise<string> {
  const answer = await signIn(base, socket, username, password)
  expect(answer.status, answer.text).toBe(200)
  return (JSON.parse(answer.text) as { token: string }).token
}

/** Resolves 'open' or the HTTP status that refused the upgrade. */
async function upgrade(raw: RawSocket): Promise<'open' | number> {
  return Promise.race([raw.opened.then(() => 'open' as const), raw.outcome.then((o) => (o.kind === 'http' ? o.status : -o.code))])
}

describe('behind nginx (deploy/nginx/rancang.conf)', () => {
  let server: TestServer
  let nginx: TestNginx
  const clients: TestClient[] = []
  const raws: RawSocket[] = []
  const from = (localAddress: string): SocketOptions => ({ localAddress, ca: nginx.ca })

  beforeAll(async () => {
    server = await startServer({ env: { TRUST_PROXY: '127.0.0.1', ...LIMITS } })
    nginx = await startNginx(server.port)
  })
  afterEach(async () => {
    for (const client of clients.splice(0)) client.destroy()
    for (const raw of raws.splice(0)) raw.ws.terminate()
    // Closed sockets leave the per-address count once the server sees them close.
    await waitFor(
      async () => (JSON.parse((await call(server.url, 'GET', '/healthz')).text) as { connections: number }).connections === 0,
      'sockets closed',
    )
  })
  afterAll(async () => {
    await nginx?.stop()
    await server?.dispose()
  })

  it('signs in, edits and shows presence over HTTPS and WebSockets through nginx (P24)', async () => {
    const token = await tokenFor(nginx.url, from('127.0.0.2'), server.admin.username, server.admin.password)
    const [writer, reader] = [connect(nginx, DOC, token, { socket: from('127.0.0.2') }), connect(nginx, DOC, token, { socket: from('127.0.0.3') })]
    clients.push(writer, reader)
    await Promise.all([writer.synced, reader.synced])
    ayatText(pasal(writer.doc, 3)).insert(0, 'lewat-nginx ')
    await waitFor(() => ayatText(pasal(reader.doc, 3)).toString().startsWith('lewat-nginx '), 'the edit to reach the other client')

    writer.provider.awareness.setLocalStateField('cursor', caretCursor(3))
    const id = writer.doc.clientID
    await waitFor(() => reader.provider.awareness.getStates().get(id)?.cursor !== undefined, 'presence to reach the other client')
    expect(reader.provider.awareness.getStates().get(id)?.user).toMatchObject({ username: server.admin.username, role: 'admin' })

    // What nginx adds (HSTS) and what the server sends (CSP and the rest) arrive once each.
    const page = await call(nginx.url, 'GET', '/', from('127.0.0.2'))
    expect(page.status).toBe(200)
    expect(page.headers['strict-transport-security']).toBe('max-age=31536000')
    expect(page.headers['content-security-policy']).toMatch(/^default-src 'self'/)
    expect(page.headers['x-frame-options']).toBe('DENY')
    expect(page.headers['x-request-id']).toMatch(/^[\w-]{8}$/)
  })

  it('redirects plain HTTP to HTTPS', async () => {
    const answer = await call(nginx.httpUrl, 'GET', '/api/docs?x=1')
    expect(answer.status).toBe(301)
    expect(answer.headers.location).toBe(`https://127.0.0.1/api/docs?x=1`)
  })

  it('counts WebSockets per real client: a third from one machine is refused (429) while another machine connects (P24)', async () => {
    const token = await tokenFor(nginx.url, from('127.0.0.2'), server.admin.username, server.admin.password)
    const open = (address: string, headers?: Record<string, string>) => {
      const raw = openRaw(nginx, DOC, token, { ...from(address), headers })
      raws.push(raw)
      return upgrade(raw)
    }
    expect([await open('127.0.0.4'), await open('127.0.0.4')]).toEqual(['open', 'open'])
    expect(await open('127.0.0.4'), 'the third from one machine').toBe(429)
    expect(await open('127.0.0.4', { 'X-Forwarded-For': '198.51.100.7' }), 'a forged X-Forwarded-For does not make it another machine').toBe(429)
    expect(await open('127.0.0.5'), 'another machine behind the same nginx').toBe('open')
  })

  it('throttles sign-in per real client: failures from one machine lock out neither the office nor the one being impersonated (P24)', async () => {
    const wrong = (address: string, headers?: Record<string, string>) =>
      signIn(nginx.url, from(address), server.admin.username, 'salah-sandi-xyz', headers).then((a) => a.status)
    for (let i = 0; i < 3; i++) expect(await wrong('127.0.0.6', { 'X-Forwarded-For': '127.0.0.7' })).toBe(401)
    expect(await wrong('127.0.0.6'), 'the guessing machine is throttled').toBe(429)
    expect(await wrong('127.0.0.6', { 'X-Forwarded-For': '198.51.100.9' }), 'and cannot forge its way out').toBe(429)
    const right = await signIn(nginx.url, from('127.0.0.7'), server.admin.username, server.admin.password)
    expect(right.status, 'the machine it pretended to be signs in').toBe(200)
  })

  it('keeps the token out of the access log, and ties each line to the server log by request id (P25)', async () => {
    const earlier = (await nginx.accessLog()).length
    const logged = async () => (await nginx.accessLog()).slice(earlier)
    const token = await tokenFor(nginx.url, from('127.0.0.2'), server.admin.username, server.admin.password)
    const client = connect(nginx, DOC, token, { socket: from('127.0.0.2') })
    clients.push(client)
    await client.synced
    // Odd spellings a client could send: the token twice, or its name percent-encoded (the server decodes it).
    const second = await tokenFor(nginx.url, from('127.0.0.2'), server.admin.username, server.admin.password)
    for (const path of [`${DOC}?token=${second}&v=x?token=${token}`, `${DOC}?%74oken=${second}&b=1`]) {
      const odd = openRaw(nginx, path, null, from('127.0.0.2'))
      raws.push(odd)
      await upgrade(odd)
      odd.ws.close()
      await odd.outcome
    }
    // nginx logs a WebSocket when it ends.
    client.destroy()
    await waitFor(async () => (await logged()).split('\n').filter((line) => line.includes('/collab/')).length === 3, 'three WebSockets logged')
    const log = await logged()
    expect(await nginx.accessLog(), 'no test left a token in the log').not.toMatch(/token=(?!\[redacted\])/)
    for (const secret of [token, second, token.split('.')[2]!, second.split('.')[2]!]) expect(log).not.toContain(secret)
    expect(log).not.toMatch(/token=(?!\[redacted\])/)
    expect(log).toMatch(/^127\.0\.0\.2 .*"GET \/collab\/rapergub-spbe\?token=\[redacted\] HTTP\/1\.1" 101 .* req=[\w-]{8}$/m)
    expect(log).toMatch(/"POST \/api\/login HTTP\/1\.1" 200 .* req=[\w-]{8}$/m)
    expect(log).toContain('"GET /collab/rapergub-spbe?[redacted] HTTP/1.1"')
    expect(log).toContain('"GET /collab/rapergub-spbe?token=[redacted]&b=1 HTTP/1.1" 101 ')
    expect(log).not.toMatch(/%74oken/i)
  })

  it('passes a Word file as large as MAX_IMPORT_BYTES to the server, and refuses a larger one itself (413)', async () => {
    const token = await tokenFor(nginx.url, from('127.0.0.2'), server.admin.username, server.admin.password)
    const upload = (bytes: number) =>
      call(nginx.url, 'POST', '/api/docs/import', {
        ...from('127.0.0.2'),
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' },
        body: Buffer.alloc(bytes, 1),
      })
    const largest = await upload(10 * 1024 * 1024)
    expect(largest.headers['x-request-id'], 'answered by the server').toBeDefined()
    expect(largest.status, largest.text).toBe(422)
    const larger = await upload(10 * 1024 * 1024 + 1)
    expect(larger.status).toBe(413)
    expect(larger.headers['x-request-id'], 'refused by nginx before reaching the server').toBeUndefined()
  })
})

describe('a forged X-Forwarded-For sent straight to the server', () => {
  let server: TestServer
  const raws: RawSocket[] = []

  beforeAll(async () => {
    server = await startServer({ env: { TRUST_PROXY: '127.0.0.1', ...LIMITS } })
  })
  afterAll(async () => {
    for (const raw of raws) raw.ws.terminate()
    await server?.dispose()
  })

  it('changes nothing from a peer that is not a trusted proxy: throttling and connection counts stay with the peer (P24)', async () => {
    const forged = (n: number) => ({ 'X-Forwarded-For': `203.0.113.${n}` })
    for (let i = 0; i < 3; i++)
      expect((await signIn(server.url, { localAddress: '127.0.0.2' }, 'admin', 'salah-sandi-xyz', forged(i))).status).toBe(401)
    expect((await signIn(server.url, { localAddress: '127.0.0.2' }, server.admin.username, server.admin.password, forged(9))).status).toBe(429)

    const token = await tokenFor(server.url, { localAddress: '127.0.0.3' }, server.admin.username, server.admin.password)
    const open = (n: number) => {
      const raw = openRaw(server, DOC, token, { localAddress: '127.0.0.3', headers: forged(n) })
      raws.push(raw)
      return upgrade(raw)
    }
    expect([await open(1), await open(2), await open(3)]).toEqual(['open', 'open', 429])
  })
})
