import { createServer } from 'node:http'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { AddressInfo } from 'node:net'
import { CloseCode } from '../shared/protocol/closeCodes.js'
import type { Config } from './config.js'
import { LevelStorage } from './storage/leveldb.js'
import { Documents } from './documents/documents.js'
import { Accounts } from './auth/accounts.js'
import { loadOrCreateSecret } from './auth/secret.js'
import { Tokens } from './auth/tokens.js'
import { LoginThrottle } from './auth/throttle.js'
import { Sessions } from './auth/sessions.js'
import { Rooms } from './rooms/rooms.js'
import { COLLAB_PATH, Gateway } from './rooms/gateway.js'
import { attachWebSockets } from './transport/ws.js'
import { Router } from './http/router.js'
import { createRequestHandler, parseRequestUrl } from './http/server.js'
import { sessionRoutes } from './http/routes/session.js'
import { docRoutes } from './http/routes/docs.js'
import { userRoutes } from './http/routes/users.js'
import { commentRoutes } from './http/routes/comments.js'
import { Comments } from './comments/comments.js'
import { describePasal } from './documents/pasal.js'
import { encodeThread } from '../shared/protocol/messages.js'
import { log } from './log.js'

export interface RunningServer {
  readonly url: string
  /** Set on the first start: the generated admin account, to be shown once. */
  readonly initialAdmin: { username: string; password: string } | null
  readonly seeded: boolean
  /** Stops accepting, closes every connection, stores everything and closes the database. */
  close(): Promise<void>
}

/** Opens storage and serves HTTP and WebSockets on one port. */
export async function startServer(config: Config): Promise<RunningServer> {
  await mkdir(config.dataDir, { recursive: true })
  const storage = await LevelStorage.open(join(config.dataDir, 'db'), { sync: config.syncWrites })
  const documents = new Documents(storage)
  const seeded = await documents.seedOnFirstStart()
  const accounts = new Accounts(storage)
  const initialAdmin = await accounts.ensureInitialAdmin()
  const tokens = await Tokens.open(await loadOrCreateSecret(config.dataDir), config.sessionHours * 3600, storage)
  const throttle = new LoginThrottle({
    perUsername: config.limits.loginFailuresPerUsername,
    perAddress: config.limits.loginFailuresPerAddress,
    windowMs: config.limits.loginWindowMs,
  })
  const sessions = new Sessions(accounts, tokens, throttle)
  const rooms = new Rooms(storage, {
    ...config.rooms,
    maxBufferedBytes: config.limits.maxBufferedBytes,
    maxStateBytes: config.limits.maxAwarenessBytes,
    maxClientsPerConnection: config.limits.maxAwarenessClients,
  })

  const comments = new Comments(storage, (docId, pasalId) => rooms.with(docId, (room) => describePasal(room.doc, pasalId)))
  comments.onChange((thread) => rooms.peek(thread.docId)?.broadcastExtension(encodeThread(thread)))

  const router = new Router()
  sessionRoutes(router, sessions)
  docRoutes(router, sessions, documents)
  userRoutes(router, sessions, accounts)
  commentRoutes(router, sessions, documents, comments)

  let ready = false
  const gateway = new Gateway(sessions, rooms, accounts)
  const http = createServer(
    createRequestHandler({
      router,
      clientDir: config.clientDir,
      maxBodyBytes: config.limits.maxBodyBytes,
      health: () => ({ ready, documentsOpen: rooms.loadedCount, connections: gateway.connectionCount }),
    }),
  )
  const sockets = attachWebSockets(http, {
    path: COLLAB_PATH,
    maxMessageBytes: config.limits.maxMessageBytes,
    parseUrl: parseRequestUrl,
    open: gateway.open,
  })

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject)
    http.listen(config.port, config.host, () => resolve())
  })
  ready = true
  const { port } = http.address() as AddressInfo
  const host = config.host.includes(':') ? `[${config.host}]` : config.host

  let closing: Promise<void> | null = null
  return {
    url: `http://${host}:${port}`,
    initialAdmin,
    seeded,
    close: () =>
      (closing ??= (async () => {
        ready = false
        http.close()
        http.closeIdleConnections()
        await sockets.close(CloseCode.goingAway, 'server shutting down')
        await rooms.closeAll()
        await storage.close()
        log.info('stopped; everything stored')
      })()),
  }
}
