import type { User } from '../../shared/accounts.js'
import type { SocketLike } from './socket.js'

/** One client's connection to one room. */
export class Connection {
  readonly socket: SocketLike
  /** The person behind the connection, from their token. */
  user: User
  /** Whether this connection may change the document (re-evaluated when the account changes). */
  canWrite: boolean
  /** Awareness client ids this connection has announced; removed when it leaves. */
  readonly awarenessIds = new Set<number>()
  /** Settles once every update this connection sent so far is stored and applied. */
  lastStored: Promise<void> = Promise.resolve()
  /** A Rancang client (it used a protocol extension), so it may receive extension messages. */
  usesExtensions = false
  /** It sent an awareness message (the stock provider's first one announces its own state). */
  spokeAwareness = false
  /** The read-only notice was sent (once per connection is enough). */
  toldReadOnly = false
  closed = false

  /** The sign-in whose token opened the connection (logging out of it closes the connection). */
  readonly sessionId: string

  /** The transport's id for the connection, carried by its log lines (`connId`). */
  readonly id: string

  constructor(socket: SocketLike, user: User, canWrite: boolean, sessionId = '', id = '') {
    this.socket = socket
    this.id = id
    this.user = user
    this.canWrite = canWrite
    this.sessionId = sessionId
  }

  close(code: number, reason: string) {
    if (this.closed) return
    this.closed = true
    this.socket.close(code, reason)
  }
}
