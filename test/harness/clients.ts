import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'
import WebSocket from 'ws'
import * as encoding from 'lib0/encoding'
import * as decoding from 'lib0/decoding'
import * as authProtocol from 'y-protocols/auth'
import { messageAuth, messageAwareness, messageStorageStatus, messageStored } from '../../shared/protocol/messages.js'
import type { Role, User } from '../../shared/accounts.js'
import { FRAGMENT } from '../../shared/model/ydoc.js'
import type { TestServer } from './server.js'

/** Polls `condition` until it holds (no fixed sleeps); fails with `what` after `timeoutMs`. */
export async function waitFor(condition: () => boolean | Promise<boolean>, what = 'condition', timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (await condition()) return
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

/**
 * Checks that `condition` keeps holding for `ms`: for asserting that something does NOT happen
 * (an edit is not relayed while storage fails). Fails at once when it stops holding.
 */
export async function holdsFor(condition: () => boolean, what: string, ms: number): Promise<void> {
  const until = Date.now() + ms
  while (Date.now() < until) {
    if (!condition()) throw new Error(`stopped holding: ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  if (!condition()) throw new Error(`stopped holding: ${what}`)
}

export interface ApiResponse<T = unknown> {
  readonly status: number
  readonly body: T
  readonly headers: Headers
}

/** Calls the JSON API; `body` may be a string to send it raw. */
export async function api<T = unknown>(
  server: Pick<TestServer, 'url'>,
  method: string,
  path: string,
  options: { token?: string; body?: unknown } = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = {}
  if (options.token) headers.authorization = `Bearer ${options.token}`
  if (options.body !== undefined) headers['content-type'] = 'application/json'
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body),
  })
  const text = await response.text()
  let body: unknown = text
  try {
    body = text ? JSON.parse(text) : null
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, body: body as T, headers: response.headers }
}

export async function login(server: Pick<TestServer, 'url'>, username: string, password: string): Promise<string> {
  const response = await api<{ token: string }>(server, 'POST', '/api/login', { body: { username, password } })
  if (response.status !== 200) throw new Error(`login ${username} failed: ${response.status} ${JSON.stringify(response.body)}`)
  return response.body.token
}

export const adminToken = (server: TestServer) => login(server, server.admin.username, server.admin.password)

let accountCounter = 0

/**
 * Creates an account through the admin API and returns its token and details. Pass an admin token
 * to skip signing in as admin (each sign-in costs a deliberately slow scrypt).
 */
export async function createAccount(
  server: TestServer,
  role: Role,
  bidang = 'Bidang Aplikasi Informatika',
  admin?: string,
): Promise<{ token: string; user: User; password: string }> {
  admin ??= await adminToken(server)
  const n = ++accountCounter
  const username = `${role}${n}`
  const password = `sandi-rahasia-${n}-xyz`
  const response = await api<User>(server, 'POST', '/api/users', {
    token: admin,
    body: { username, name: `Pengguna ${n}`, bidang, role, password },
  })
  if (response.status !== 201) throw new Error(`creating ${username} failed: ${response.status} ${JSON.stringify(response.body)}`)
  return { token: await login(server, username, password), user: response.body, password }
}

/** Someone signed in: their token and the account it belongs to. */
export interface Person {
  readonly token: string
  readonly user: User
}

/** The first admin (created on the server's first start) as a Person. */
export async function adminPerson(server: TestServer): Promise<Person> {
  const token = await adminToken(server)
  return { token, user: (await api<User>(server, 'GET', '/api/me', { token })).body }
}

/** The people of a rapat finalisasi, one per role: two editors of different bidang, the Biro Hukum commenting, a viewer. */
export async function meeting(server: TestServer): Promise<Record<'admin' | 'rina' | 'bayu' | 'commenter' | 'viewer', Person>> {
  const admin = await adminPerson(server)
  const [rina, bayu, commenter, viewer] = await Promise.all([
    createAccount(server, 'editor', 'Bidang Aplikasi Informatika', admin.token),
    createAccount(server, 'editor', 'Bidang Persandian', admin.token),
    createAccount(server, 'commenter', 'Biro Hukum', admin.token),
    createAccount(server, 'viewer', 'Inspektorat', admin.token),
  ])
  return { admin, rina: rina!, bayu: bayu!, commenter: commenter!, viewer: viewer! }
}

export interface TestClient {
  readonly doc: Y.Doc
  readonly provider: WebsocketProvider
  /** Resolves once the first sync with the server completed. */
  readonly synced: Promise<void>
  destroy(): void
}

/** How a test client's sockets connect: the loopback source address (to look like another machine), a CA for `wss:`. */
export interface SocketOptions {
  readonly localAddress?: string
  /** PEM certificate to trust, e.g. the throwaway one of the test's nginx. */
  readonly ca?: string
}

/** The `ws` class with `options` applied to every socket it opens (for y-websocket's `WebSocketPolyfill`). */
function webSocketWith(options: SocketOptions | undefined): typeof WebSocket {
  if (!options) return WebSocket
  const { localAddress, ca } = options
  return class extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { localAddress, ca })
    }
  } as typeof WebSocket
}

/**
 * A stock y-websocket client (the independent client CONTRACT.md promises), over real WebSockets.
 * BroadcastChannel is off so clients in one test process cannot bypass the server.
 */
export function connect(
  server: Pick<TestServer, 'wsUrl'>,
  docId: string,
  token: string,
  options: {
    doc?: Y.Doc
    connect?: boolean
    params?: Readonly<Record<string, string>>
    socket?: SocketOptions
    /** Shares awareness and updates with the other such providers of this process, as tabs of one browser do. */
    broadcastChannel?: boolean
  } = {},
): TestClient {
  const doc = options.doc ?? new Y.Doc()
  const provider = new WebsocketProvider(server.wsUrl, docId, doc, {
    params: { token, ...options.params },
    WebSocketPolyfill: webSocketWith(options.socket) as unknown as typeof globalThis.WebSocket,
    disableBc: !options.broadcastChannel,
    connect: options.connect ?? true,
    maxBackoffTime: 200,
  })
  const synced = new Promise<void>((resolve) => {
    if (provider.synced) resolve()
    else provider.once('sync', () => resolve())
  })
  return {
    doc,
    provider,
    synced,
    destroy() {
      provider.destroy()
      doc.destroy()
    },
  }
}

/**
 * Records the reasons of every y-protocols "permission denied" message (type 2) the client receives.
 * Install right after `connect`, before the socket opens.
 */
export function permissionDenials(client: TestClient): string[] {
  const reasons: string[] = []
  client.provider.messageHandlers[messageAuth] = (_encoder, decoder) => {
    authProtocol.readAuthMessage(decoder, client.doc, (_doc, reason) => reasons.push(reason))
  }
  return reasons
}

/** Records the close code of every connection of this client that ended (server or local close). */
export function closeCodes(client: TestClient): number[] {
  const codes: number[] = []
  client.provider.on('connection-close', (event) => codes.push(event?.code ?? 0))
  return codes
}

/**
 * Records every Rancang storage status (message 101: 1 = storing, 0 = failing) the client receives.
 * Install right after `connect`. The server sends it only once the client used an extension
 * (e.g. `roundTrip`).
 */
export function storageStatuses(client: TestClient): number[] {
  const statuses: number[] = []
  client.provider.messageHandlers[messageStorageStatus] = (_encoder, decoder) => {
    statuses.push(decoding.readVarUint(decoder))
  }
  return statuses
}

/**
 * Counts the awareness messages (type 1) the client receives, which it still applies as the stock
 * provider does. Install right after `connect`; reset `count` to start over.
 */
export function awarenessMessages(client: TestClient): { count: number } {
  const counter = { count: 0 }
  const apply = client.provider.messageHandlers[messageAwareness]!
  client.provider.messageHandlers[messageAwareness] = (...args: Parameters<typeof apply>) => {
    counter.count++
    apply(...args)
  }
  return counter
}

/**
 * A cursor as y-prosemirror publishes it (`Y.RelativePosition`s as JSON): a caret before item
 * `n:0` of the document's fragment. Presence accepts only this shape (shared/presence.ts).
 */
export function caretCursor(n: number) {
  const position = { type: null, tname: FRAGMENT, item: { client: n, clock: 0 }, assoc: 0 }
  return { anchor: position, head: position }
}

/** An awareness message (type 1) built by hand, so it can claim any client id, clock and state. */
export function awarenessMessage(entries: ReadonlyArray<{ clientId: number; clock: number; state: unknown }>): Uint8Array {
  const update = encoding.createEncoder()
  encoding.writeVarUint(update, entries.length)
  for (const entry of entries) {
    encoding.writeVarUint(update, entry.clientId)
    encoding.writeVarUint(update, entry.clock)
    encoding.writeVarString(update, JSON.stringify(entry.state))
  }
  const message = encoding.createEncoder()
  encoding.writeVarUint(message, messageAwareness)
  encoding.writeVarUint8Array(message, encoding.toUint8Array(update))
  return encoding.toUint8Array(message)
}

const roundTrips = new WeakMap<TestClient, { next: number; answered: Set<number> }>()

/**
 * Resolves once the server has processed (and, for a write, stored) everything this client sent
 * before the call: a barrier through the Rancang `stored` extension (message 100), which the server
 * answers in order on the same connection. Lets a test assert that something did NOT happen
 * without sleeping.
 */
export async function roundTrip(client: TestClient, timeoutMs = 10_000): Promise<void> {
  let state = roundTrips.get(client)
  if (!state) {
    const created = { next: 1, answered: new Set<number>() }
    client.provider.messageHandlers[messageStored] = (_encoder, decoder) => {
      created.answered.add(decoding.readVarUint(decoder))
    }
    roundTrips.set(client, created)
    state = created
  }
  await waitFor(() => client.provider.wsconnected && client.provider.synced, 'the client to be connected and synced', timeoutMs)
  const request = state.next++
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, messageStored)
  encoding.writeVarUint(encoder, request)
  client.provider.ws!.send(encoding.toUint8Array(encoder))
  const answered = state.answered
  await waitFor(() => answered.has(request), `the server to answer round trip ${request}`, timeoutMs)
}

/** How a raw WebSocket ended: a close frame, or an HTTP answer instead of the upgrade. */
export type RawOutcome =
  { readonly kind: 'closed'; readonly code: number; readonly reason: string } | { readonly kind: 'http'; readonly status: number }

export interface RawSocket {
  readonly ws: WebSocket
  /** Every binary message received, in order. */
  readonly messages: Uint8Array[]
  /** Resolves when the socket is open (never, if the upgrade was refused). */
  readonly opened: Promise<void>
  /** Resolves once the socket closed or the upgrade was refused. */
  readonly outcome: Promise<RawOutcome>
  send(bytes: Uint8Array): void
}

/**
 * A bare `ws` client on `/collab/<path>` (no y-websocket logic), to see exactly which bytes the
 * server sends and to send crafted messages. `token: null` sends none; `localAddress` picks the
 * loopback source address (e.g. 127.0.0.2), to look like another machine; `params` adds query
 * parameters (e.g. the protocol version); `headers` adds request headers (e.g. a forged
 * X-Forwarded-For).
 */
export function openRaw(
  server: Pick<TestServer, 'wsUrl'>,
  path: string,
  token: string | null,
  options: SocketOptions & { readonly params?: Readonly<Record<string, string>>; readonly headers?: Readonly<Record<string, string>> } = {},
): RawSocket {
  const query = new URLSearchParams(options.params)
  if (token !== null) query.set('token', token)
  const url = `${server.wsUrl}/${path}${query.size > 0 ? `?${query}` : ''}`
  const ws = new WebSocket(url, { localAddress: options.localAddress, ca: options.ca, headers: options.headers })
  const messages: Uint8Array[] = []
  ws.binaryType = 'nodebuffer'
  ws.on('message', (data: Buffer) => messages.push(new Uint8Array(data)))
  const opened = new Promise<void>((resolve) => ws.once('open', () => resolve()))
  const outcome = new Promise<RawOutcome>((resolve) => {
    ws.once('close', (code, reason) => resolve({ kind: 'closed', code, reason: reason.toString() }))
    ws.once('unexpected-response', (_request, response) => {
      resolve({ kind: 'http', status: response.statusCode ?? 0 })
      response.resume()
      ws.terminate()
    })
  })
  ws.on('error', () => {
    // reported through `outcome`
  })
  return { ws, messages, opened, outcome, send: (bytes) => ws.send(bytes) }
}
