import { canEdit } from '../../shared/accounts.js'
import { CloseCode } from '../../shared/protocol/closeCodes.js'
import { VERSION_PARAM, checkClientVersion } from '../../shared/protocol/version.js'
import type { Accounts } from '../auth/accounts.js'
import type { Session, Sessions } from '../auth/sessions.js'
import { isDocumentId } from '../storage/keys.js'
import { OwnedElsewhereError, UnknownDocumentError } from '../storage/types.js'
import { Connection } from './connection.js'
import type { Rooms } from './rooms.js'
import { ConnectionRejection, type SocketLike, type SocketSession } from './socket.js'
import { log } from '../log.js'

export const COLLAB_PATH = '/collab/'

/** What the gateway knows of an upgraded socket (see transport/ws.ts `ConnectionRequest`). */
export interface GatewayRequest {
  readonly url: URL
  readonly address: string
  readonly connId: string
  /** Forwarded by another server: served here or refused, never forwarded again. */
  readonly relayed: boolean
}

/** Several servers: passes an authenticated connection on to the document's owner at `ownerUrl`. */
export type Forward = (socket: SocketLike, request: GatewayRequest, ownerUrl: string) => Promise<SocketSession>

/**
 * The door into the rooms: admits a WebSocket to `/collab/<docId>?token=…[&v=…]` (a protocol
 * version the server still serves, authenticated, known document) and keeps open connections in
 * step with their accounts: a removed account, or a session ended by logout (one sign-in, or all of
 * an account's), is disconnected at once; a changed account reconnects with its new rights; an
 * expired token is closed so the client reconnects with a fresh one.
 */
export class Gateway {
  readonly #sessions: Sessions
  readonly #rooms: Rooms
  readonly #forward: Forward | null
  /** Open connections by account id. */
  readonly #byAccount = new Map<string, Set<Connection>>()

  /** Open connections, for /healthz. */
  get connectionCount(): number {
    let count = 0
    for (const set of this.#byAccount.values()) count += set.size
    return count
  }

  constructor(sessions: Sessions, rooms: Rooms, accounts: Accounts, forward: Forward | null = null) {
    this.#sessions = sessions
    this.#rooms = rooms
    this.#forward = forward
    sessions.onLogout(({ accountId, sessionId }) => {
      const connections = accountId === undefined ? [...this.#byAccount.values()].flatMap((set) => [...set]) : (this.#byAccount.get(accountId) ?? [])
      for (const connection of connections) {
        if (sessionId === undefined || connection.sessionId === sessionId) connection.close(CloseCode.unauthorized, 'signed out')
      }
    })
    accounts.onChange((accountId, user) => {
      for (const connection of this.#byAccount.get(accountId) ?? []) {
        if (user) {
          connection.user = user
          connection.canWrite = canEdit(user.role)
          connection.close(CloseCode.accountChanged, 'account changed')
        } else {
          connection.canWrite = false
          connection.close(CloseCode.unauthorized, 'account removed')
        }
      }
    })
  }

  readonly open = async (socket: SocketLike, request: GatewayRequest): Promise<SocketSession> => {
    // First: an outdated client should reload whatever else is wrong, as the reload fixes that too.
    const version = checkClientVersion(request.url.searchParams.get(VERSION_PARAM))
    if (version === 'outdated') throw new ConnectionRejection(CloseCode.clientOutdated, 'client outdated: reload')
    if (version === 'malformed') throw new ConnectionRejection(CloseCode.badRequest, 'malformed protocol version')
    const session = await this.#authenticate(request.url.searchParams.get('token'))
    const docId = request.url.pathname.slice(COLLAB_PATH.length)
    if (!isDocumentId(docId)) throw new ConnectionRejection(CloseCode.unknownDocument, 'unknown document')
    let room
    try {
      room = await this.#rooms.acquire(docId)
    } catch (error) {
      if (error instanceof UnknownDocumentError) throw new ConnectionRejection(CloseCode.unknownDocument, 'unknown document')
      if (!(error instanceof OwnedElsewhereError)) throw error
      // Authenticated here already; the owner checks the token again (the secret is shared).
      if (this.#forward && !request.relayed && error.ownerUrl !== '') {
        log.info('forwarding to the owner of the document', { connId: request.connId, doc: docId, owner: error.ownerUrl })
        return this.#forward(socket, request, error.ownerUrl)
      }
      throw new ConnectionRejection(CloseCode.ownerMoved, 'document is served by another server')
    }
    const { user } = session
    const connection = new Connection(socket, user, canEdit(user.role), session.claims.sessionId, request.connId)
    this.#track(connection)
    const expiry = setTimeout(
      () => connection.close(CloseCode.tokenExpired, 'token expired'),
      Math.max(0, session.claims.expiresAt * 1000 - Date.now()),
    )
    room.join(connection)
    log.info('joined', { connId: request.connId, doc: docId, user: user.username, role: user.role })
    return {
      message: (bytes) => room.receive(connection, bytes),
      closed: () => {
        clearTimeout(expiry)
        connection.closed = true
        this.#untrack(connection)
        room.leave(connection)
        this.#rooms.release(room)
      },
    }
  }

  async #authenticate(token: string | null): Promise<Session> {
    try {
      return await this.#sessions.authenticate(token)
    } catch {
      throw new ConnectionRejection(CloseCode.unauthorized, 'invalid or expired token')
    }
  }

  #track(connection: Connection) {
    const set = this.#byAccount.get(connection.user.id) ?? new Set()
    set.add(connection)
    this.#byAccount.set(connection.user.id, set)
  }

  #untrack(connection: Connection) {
    const set = this.#byAccount.get(connection.user.id)
    set?.delete(connection)
    if (set?.size === 0) this.#byAccount.delete(connection.user.id)
  }
}
