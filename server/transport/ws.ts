import type { Server as HttpServer, IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocket, WebSocketServer, type RawData } from 'ws'
import { CloseCode } from '../../shared/protocol/closeCodes.js'
import { byteLengthOf, ConnectionRejection, wholeMessage, type SocketLike, type SocketSession } from '../rooms/socket.js'
import { log, logId } from '../log.js'
import type { TrustedProxies } from '../clientAddress.js'
import { TokenBucket } from '../limits/tokenBucket.js'
import { binaryFrame, binaryFrameHeader } from './frame.js'
import { Heartbeat } from './heartbeat.js'

export interface TransportLimits {
  /** Messages one connection may send per second (sustained; twice that in a burst). */
  readonly messagesPerSecond: number
  /** Bytes one connection may send per second (sustained). */
  readonly bytesPerSecond: number
  /** Open sockets per client address; more are refused with HTTP 429. */
  readonly connectionsPerAddress: number
}

export interface WebSocketOptions {
  /** Path prefix served, e.g. "/collab/". Other upgrade requests get 404. */
  readonly path: string
  readonly maxMessageBytes: number
  readonly limits: TransportLimits
  /** Who may name the client in `X-Forwarded-For` (TRUST_PROXY): connections are counted per client address. */
  readonly trustedProxies: TrustedProxies
  /** Several servers: the address a forwarded upgrade vouches for (undefined: not forwarded; null: forged, answered 403). */
  readonly relayedAddress?: (request: IncomingMessage) => string | null | undefined
  /** Parses the request target; throws for a malformed one (answered with 400). */
  readonly parseUrl: (target: string | undefined) => URL
  /**
   * Admits an upgraded socket (authentication, document lookup, joining the room). Rejecting
   * with a `ConnectionRejection` closes it with that code before any document byte is sent.
   */
  readonly open: (socket: SocketLike, request: ConnectionRequest) => Promise<SocketSession>
}

/** An upgraded socket asking to be admitted. */
export interface ConnectionRequest {
  readonly url: URL
  /** The client address (see `TrustedProxies`). */
  readonly address: string
  /** The id every log line about this connection carries (`connId`). */
  readonly connId: string
  /** Forwarded by another server of the same database (never forwarded again). */
  readonly relayed: boolean
}

/** Ping interval; a socket that misses a pong by the next ping is dead and terminated. */
const HEARTBEAT_MS = 30_000
/** The heartbeat pings a thirtieth of the sockets each second (see Heartbeat). */
const HEARTBEAT_SLICES = 30
/**
 * Messages below this are copied into one frame (shared by every connection a relay reaches: one
 * plain write each); larger ones (a draft's state for a joiner) go out as header and payload.
 */
const COPY_FRAME_BELOW_BYTES = 64 * 1024
/** How long a shutdown waits for clients to acknowledge the close. */
const CLOSE_GRACE_MS = 2_000

/**
 * The WebSocket transport: the only module that imports `ws`. It adapts sockets to `SocketLike`,
 * buffers messages until a socket is admitted, refuses text and oversized frames, and keeps
 * dead connections from lingering.
 */
export function attachWebSockets(server: HttpServer, options: WebSocketOptions) {
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxMessageBytes, perMessageDeflate: false })
  const heartbeat = new Heartbeat<WebSocket>({
    intervalMs: HEARTBEAT_MS,
    slices: HEARTBEAT_SLICES,
    ping: (ws) => ws.ping(),
    terminate: (ws) => ws.terminate(),
  })
  const perAddress = new Map<string, number>()
  const connIds = new WeakMap<IncomingMessage, string>()
  // The 101 answer names the connection as HTTP answers name requests, so a proxy's access log
  // line leads to the server's log lines.
  wss.on('headers', (headers, request) => headers.push(`X-Request-Id: ${connIds.get(request)}`))
  // The last message framed: a relay sends one message to every connection of a draft in a row.
  let lastMessage: Uint8Array | null = null
  let lastFrame: Buffer = Buffer.alloc(0)
  const frameOf = (message: Uint8Array): Buffer => {
    if (message !== lastMessage) {
      lastFrame = binaryFrame(message)
      lastMessage = message
    }
    return lastFrame
  }

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    let url: URL
    try {
      url = options.parseUrl(request.url)
    } catch {
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n')
      return
    }
    if (!url.pathname.startsWith(options.path)) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n')
      return
    }
    const relayedAddress = options.relayedAddress?.(request)
    if (relayedAddress === null) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n')
      return
    }
    const address = relayedAddress ?? options.trustedProxies.clientAddress(request)
    const connId = logId()
    if ((perAddress.get(address) ?? 0) >= options.limits.connectionsPerAddress) {
      log.warn('refused a connection: too many from one address', { connId, address })
      socket.end(`HTTP/1.1 429 Too Many Requests\r\nConnection: close\r\nRetry-After: 10\r\nX-Request-Id: ${connId}\r\nContent-Length: 0\r\n\r\n`)
      return
    }
    connIds.set(request, connId)
    wss.handleUpgrade(request, socket, head, (ws) => accept(ws, socket, { url, address, connId, relayed: relayedAddress !== undefined }))
  })

  /** `raw` is the upgraded TCP socket `ws` reads and writes: data frames are written to it directly (see binaryFrame). */
  function accept(ws: WebSocket, raw: Duplex, request: ConnectionRequest) {
    const { address, connId } = request
    const opened = performance.now()
    // The path only: the query holds the token.
    log.debug('websocket opened', { connId, path: request.url.pathname, address })
    perAddress.set(address, (perAddress.get(address) ?? 0) + 1)
    const messages = new TokenBucket(options.limits.messagesPerSecond, options.limits.messagesPerSecond * 2)
    const bytes = new TokenBucket(options.limits.bytesPerSecond, Math.max(options.limits.bytesPerSecond * 2, options.maxMessageBytes))
    heartbeat.add(ws)
    ws.on('pong', () => heartbeat.answered(ws))
    const socket: SocketLike = {
      // ws writes its own frames (ping, close) to `raw` synchronously as well, so frames never
      // interleave; none may follow the closing frame.
      send: (message) => {
        if (ws.readyState !== WebSocket.OPEN) return
        const length = byteLengthOf(message)
        if (length < COPY_FRAME_BELOW_BYTES) raw.write(frameOf(wholeMessage(message)))
        else {
          // Header and payload in one writev: a draft's state is not copied into a frame of its own.
          raw.cork()
          raw.write(binaryFrameHeader(length))
          for (const part of message instanceof Uint8Array ? [message] : message) raw.write(part)
          raw.uncork()
        }
      },
      close: (code, reason) => ws.close(code, reason),
      get bufferedAmount() {
        return ws.bufferedAmount
      },
    }
    let session: SocketSession | null = null
    let pending: Uint8Array[] | null = []
    let gone = false

    let refused = false
    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (refused) return
      if (!isBinary) {
        refused = true
        ws.close(CloseCode.unsupportedData, 'binary messages only')
        return
      }
      const message = toBytes(data)
      if (!messages.take(1) || !bytes.take(message.byteLength)) {
        refused = true
        log.warn('closing connection over its rate limit', { connId, address })
        ws.close(CloseCode.tryAgainLater, 'rate limit')
        return
      }
      if (session) session.message(message)
      else pending?.push(message)
    })
    ws.on('error', (error) => log.debug('websocket error', { connId, address, error }))
    ws.on('close', (code: number) => {
      heartbeat.remove(ws)
      log.info('websocket closed', { connId, code, address, seconds: Math.round((performance.now() - opened) / 1000) })
      const count = (perAddress.get(address) ?? 1) - 1
      if (count > 0) perAddress.set(address, count)
      else perAddress.delete(address)
      gone = true
      pending = null
      session?.closed()
    })

    options.open(socket, request).then(
      (admitted) => {
        if (gone) {
          admitted.closed()
          return
        }
        session = admitted
        const queued = pending ?? []
        pending = null
        for (const bytes of queued) admitted.message(bytes)
      },
      (error: unknown) => {
        if (error instanceof ConnectionRejection) {
          ws.close(error.code, error.message)
          return
        }
        log.error('could not open connection', { connId, address, error })
        ws.close(CloseCode.internalError, 'server error')
      },
    )
  }

  return {
    get connectionCount() {
      return wss.clients.size
    },
    /** Bytes queued to clients and not yet sent, over every socket. */
    get bufferedBytes() {
      let bytes = 0
      for (const ws of wss.clients) bytes += ws.bufferedAmount
      return bytes
    },
    /** Closes every socket with `code` and stops accepting new ones. */
    close(code: number, reason: string): Promise<void> {
      heartbeat.stop()
      for (const ws of wss.clients) ws.close(code, reason)
      // A client that never answers the closing handshake must not hold up a shutdown.
      const force = setTimeout(() => {
        for (const ws of wss.clients) ws.terminate()
      }, CLOSE_GRACE_MS)
      return new Promise((resolve) =>
        wss.close(() => {
          clearTimeout(force)
          resolve()
        }),
      )
    },
  }
}

/** Close codes a relay may pass on as they are; 1005 and 1006 (no code, connection lost) cannot be sent. */
/**
 * A forwarded connection pings the owner this often and gives up when a ping goes unanswered until
 * the next: a stalled owner (SIGSTOP) keeps its TCP connections open, yet its clients must move on.
 */
const OWNER_PING_MS = 2_000
const relayable = (code: number) => (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999)

/**
 * Several servers: joins a client's admitted socket to a WebSocket opened to the document's owner
 * at `target`, byte for byte in both directions (the client keeps speaking the stock protocol).
 * Resolves once the owner accepted; rejects with a `ConnectionRejection` that makes the client
 * retry when the owner cannot be reached. When the owner goes away, the client is told to
 * reconnect (`ownerMoved`), which reaches the next owner.
 */
export function forwardWebSocket(client: SocketLike, target: URL, headers: Record<string, string>, maxMessageBytes: number): Promise<SocketSession> {
  return new Promise((resolve, reject) => {
    const upstream = new WebSocket(target, { headers, perMessageDeflate: false, maxPayload: maxMessageBytes, handshakeTimeout: OWNER_PING_MS })
    let open = false
    let answered = true
    let ping: NodeJS.Timeout | undefined
    upstream.on('pong', () => (answered = true))
    upstream.on('message', (data: RawData) => client.send(toBytes(data)))
    upstream.on('error', (error) => log.debug('forwarded websocket error', { target: target.origin, error: error.message }))
    upstream.once('open', () => {
      open = true
      ping = setInterval(() => {
        if (!answered) return upstream.terminate()
        answered = false
        upstream.ping()
      }, OWNER_PING_MS)
      resolve({
        message: (bytes) => upstream.send(bytes),
        closed: () => upstream.close(1000),
      })
    })
    upstream.once('close', (code: number, reason: Buffer) => {
      clearInterval(ping)
      if (!open) reject(new ConnectionRejection(CloseCode.ownerMoved, 'document owner unreachable'))
      else client.close(relayable(code) ? code : CloseCode.ownerMoved, reason.toString() || 'document owner went away')
    })
  })
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data))
  if (data instanceof ArrayBuffer) return new Uint8Array(data)
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
}
