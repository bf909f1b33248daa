import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CloseCode } from '../../shared/protocol/closeCodes.js'
import { MIN_CLIENT_VERSION, PROTOCOL_VERSION, VERSION_PARAM } from '../../shared/protocol/version.js'
import { messageSync } from '../../shared/protocol/messages.js'
import { startServer, type TestServer } from '../harness/server.js'
import { adminToken, closeCodes, connect, openRaw, waitFor } from '../harness/clients.js'

const DOC = 'rapergub-spbe'

/** The protocol version in the handshake (PROTOCOL.md "Protocol version"). */
describe('protocol version', () => {
  let server: TestServer
  let token: string

  beforeAll(async () => {
    server = await startServer()
    token = await adminToken(server)
  })
  afterAll(async () => {
    await server?.dispose()
  })

  const open = (version: string) => openRaw(server, DOC, token, { params: { [VERSION_PARAM]: version } })

  it('closes a Rancang client older than the minimum with clientOutdated before sending it anything', async () => {
    const raw = open(String(MIN_CLIENT_VERSION - 1))
    expect(await raw.outcome).toEqual({ kind: 'closed', code: CloseCode.clientOutdated, reason: 'client outdated: reload' })
    expect(raw.messages).toEqual([])
  })

  it('makes an outdated stock-provider client stop reconnecting instead of retrying forever', async () => {
    const client = connect(server, DOC, token, { params: { [VERSION_PARAM]: String(MIN_CLIENT_VERSION - 1) } })
    const codes = closeCodes(client)
    await waitFor(() => codes.length > 0, 'the outdated client to be closed')
    expect(codes).toEqual([CloseCode.clientOutdated])
    expect(client.provider.shouldConnect).toBe(false)
    client.destroy()
  })

  it('serves the current version, and a client that announces none (a stock y-websocket client)', async () => {
    const current = connect(server, DOC, token, { params: { [VERSION_PARAM]: String(PROTOCOL_VERSION) } })
    const stock = connect(server, DOC, token)
    await Promise.all([current.synced, stock.synced])
    current.destroy()
    stock.destroy()
  })

  it('refuses a version that is not a number with badRequest', async () => {
    const raw = open('satu')
    expect(await raw.outcome).toMatchObject({ kind: 'closed', code: CloseCode.badRequest })
    expect(raw.messages.filter((m) => m[0] === messageSync)).toEqual([])
  })
})
