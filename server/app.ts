import { createServer } from 'node:http'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { AddressInfo } from 'node:net'
import { CloseCode } from '../shared/protocol/closeCodes.js'
import type { Config } from './config.js'
import { openStorage, postgresAdapter } from './storage/open.js'
import { withInjectedFaults } from './storage/faults.js'
import { SchemaFirewall } from '../shared/model/firewall.js'
import { WorkerValidator } from './rooms/workerValidator.js'
import { admitEverything } from './rooms/validation.js'
import { Documents } from './documents/documents.js'
import { Amendments } from './amendments/amendments.js'
import { Accounts } from './auth/accounts.js'
import { loadOrCreateSecret, loadOrCreateSharedSecret } from './auth/secret.js'
import { Tokens } from './auth/tokens.js'
import { LoginThrottle } from './auth/throttle.js'
import { Sessions } from './auth/sessions.js'
import { Rooms } from './rooms/rooms.js'
import type { RoomAccess } from './rooms/hooks.js'
import { COLLAB_PATH, Gateway } from './rooms/gateway.js'
import { attachWebSockets, forwardWebSocket } from './transport/ws.js'
import { Relay, RELAY_HEADER } from './cluster/relay.js'
import { documentForwarder } from './cluster/httpForward.js'
import { Router } from './http/router.js'
import { createRequestHandler, parseRequestUrl } from './http/server.js'
import { sessionRoutes } from './http/routes/session.js'
import { docRoutes } from './http/routes/docs.js'
import { userRoutes } from './http/routes/users.js'
import { commentRoutes } from './http/routes/comments.js'
import { Comments } from './comments/comments.js'
import { Notifications } from './notifications/notifications.js'
import { notificationRoutes } from './http/routes/notifications.js'
import { startCommentAuthorBackfill } from './comments/authorIds.js'
import { upgradeStoredDrafts } from './documents/upgrade.js'
import { Snapshots } from './snapshots/snapshots.js'
import { snapshotRoutes } from './http/routes/snapshots.js'
import { Agreement } from './agreement/agreement.js'
import { agreementRoutes } from './http/routes/agreement.js'
import { exportRoutes } from './http/routes/export.js'
import { Suggestions } from './suggestions/suggestions.js'
import { suggestionRoutes } from './http/routes/suggestions.js'
import { backupRoutes } from './http/routes/backup.js'
import { migrateStorage } from './storage/migrations.js'
import { encodeBackup } from './backup/format.js'
import { migrationBackupName, saveBackup, snapshotBackup } from './backup/backup.js'
import { wordSuggestionRoutes } from './http/routes/wordSuggestions.js'
import { log } from './log.js'
import { CostLimiter } from './limits/costLimiter.js'
import { auditRoutes } from './http/routes/audit.js'
import { pruneAuditDaily } from './audit/retention.js'
import { registerGauges } from './metrics.js'
import { lazyModules } from './lazyModule.js'

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
  if (!config.schemaFirewall) log.warn('SCHEMA_FIREWALL is off: updates that break the schema are stored (for the benchmark only)')
  await mkdir(config.dataDir, { recursive: true })
  const database = await openStorage(config)
  try {
    await migrateStorage(database, {
      beforeMigrating: async (from, to) => {
        const path = join(config.dataDir, migrationBackupName(to, new Date()))
        await saveBackup(path, encodeBackup(await snapshotBackup(database, await loadOrCreateSecret(config.dataDir))))
        log.info('migrating the database to a newer storage format; wrote a backup of it first', { from, to, backup: path })
      },
    })
  } catch (error) {
    await database.close()
    throw error
  }
  const postgres = config.databaseUrl ? await postgresAdapter() : null
  const shared = postgres && database instanceof postgres.PostgresStorage ? database : null
  const secret = shared ? await loadOrCreateSharedSecret(shared, config.dataDir) : await loadOrCreateSecret(config.dataDir)
  if (shared && !config.nodeUrl) log.warn('DATABASE_URL without NODE_URL: no other server may use this database at the same time')
  const ownership = shared && config.nodeUrl ? await shared.joinCluster(config.nodeUrl) : undefined
  const relay = ownership ? new Relay(secret) : null
  const storage = config.faultInjectionFile ? withInjectedFaults(database, config.faultInjectionFile) : database
  if (config.faultInjectionFile) log.warn('fault injection enabled: storage writes fail while this file exists', { file: config.faultInjectionFile })
  // The features reach documents through the rooms, which are created below with them as extensions.
  const access: RoomAccess = { with: (id, task) => rooms.with(id, task), peek: (id) => rooms.peek(id) }
  const documents = new Documents(storage, (id, message) => rooms.peek(id)?.broadcastExtension(message))
  const seeded = await documents.seedOnFirstStart()
  const upgraded = await upgradeStoredDrafts(storage)
  if (upgraded > 0) log.info('took out of stored drafts what is now drawn from their metadata', { drafts: upgraded })
  const accounts = new Accounts(storage)
  const migrated = await accounts.assignMissingIds()
  if (migrated > 0) log.info('gave accounts stored before account ids one each', { accounts: migrated })
  const initialAdmin = await accounts.ensureInitialAdmin()
  const tokens = await Tokens.open(secret, config.sessionHours * 3600, storage, {
    isRevokedInStorage: shared && ownership ? (sessionId) => shared.isRevoked(sessionId) : undefined,
  })
  const throttle = new LoginThrottle({
    perUsername: config.limits.loginFailuresPerUsername,
    perAddress: config.limits.loginFailuresPerAddress,
    windowMs: config.limits.loginWindowMs,
  })
  const sessions = new Sessions(accounts, tokens, throttle, storage)
  // Other servers on this database end sign-ins too: their logouts must apply here at once.
  const stopWatchingRevocations =
    shared && ownership ? await shared.watchRevocations(({ tokenId, expiresAt }) => sessions.endedElsewhere(tokenId, expiresAt)) : null
  const stopPruning = await pruneAuditDaily(storage, config.auditRetentionDays)
  const validator = new WorkerValidator(new URL('./rooms/validatorWorker.js', import.meta.url), {
    timeoutMs: config.limits.validationTimeoutMs,
    memoryMb: config.limits.validationMemoryMb,
  })
  const notifications = new Notifications(storage)
  const prunedNotifications = await notifications.pruneAll()
  if (prunedNotifications > 0) log.info('deleted notifications past retention', { notifications: prunedNotifications })
  const comments = new Comments(storage, access, notifications)
  const stopBackfill = await startCommentAuthorBackfill(storage, (docId, task) => comments.serialized(docId, task))
  const snapshots = new Snapshots(storage, access, { autoIntervalMs: config.snapshotIntervalMinutes * 60_000 })
  const amendments = new Amendments(documents, snapshots)
  const agreement = new Agreement(storage, access)
  const suggestions = new Suggestions(storage, access)
  const rooms = new Rooms(
    storage,
    {
      ...config.rooms,
      ownership,
      validator,
      createFirewall: config.schemaFirewall ? (doc) => new SchemaFirewall(doc) : () => admitEverything,
      maxBufferedBytes: config.limits.maxBufferedBytes,
      maxStateBytes: config.limits.maxAwarenessBytes,
      maxClientsPerConnection: config.limits.maxAwarenessClients,
      syncAnswersPerMinute: config.limits.syncAnswersPerMinute,
    },
    [snapshots, agreement, suggestions],
  )

  const router = new Router()
  sessionRoutes(router, sessions)
  // One limiter for both Word imports: a draft, and the tracked changes of one.
  const imports = {
    maxImportBytes: config.limits.maxImportBytes,
    archive: config.limits.importArchive,
    limiter: new CostLimiter(config.limits.imports),
  }
  docRoutes(router, sessions, documents, amendments, imports)
  userRoutes(router, sessions, accounts)
  commentRoutes(router, sessions, documents, comments)
  notificationRoutes(router, sessions, notifications)
  snapshotRoutes(router, sessions, documents, snapshots, new CostLimiter(config.limits.compares))
  agreementRoutes(router, sessions, documents, agreement)
  suggestionRoutes(router, sessions, documents, suggestions)
  wordSuggestionRoutes(router, sessions, documents, suggestions, accounts, imports)
  exportRoutes(router, sessions, documents, snapshots, amendments, suggestions, new CostLimiter(config.limits.exports), storage)
  backupRoutes(router, { storage: database, secret })
  auditRoutes(router, sessions, storage)

  let ready = false
  const gateway = new Gateway(
    sessions,
    rooms,
    accounts,
    relay &&
      ((socket, request, ownerUrl) =>
        forwardWebSocket(
          socket,
          new URL(request.url.pathname + request.url.search, ownerUrl.replace(/^http/, 'ws')),
          { [RELAY_HEADER]: relay.encodeHeader(request.address) },
          config.limits.maxMessageBytes,
        )),
  )
  const http = createServer(
    createRequestHandler({
      router,
      clientDir: config.clientDir,
      maxBodyBytes: config.limits.maxBodyBytes,
      trustedProxies: config.trustedProxies,
      health: () => ({ ready, documentsOpen: rooms.loadedCount, connections: gateway.connectionCount }),
      metricsToken: config.metricsToken,
      relayedAddress: relay ? (request) => relay.addressOf(request) : undefined,
      forward: ownership && relay ? documentForwarder(ownership, relay) : undefined,
    }),
  )
  const sockets = attachWebSockets(http, {
    path: COLLAB_PATH,
    maxMessageBytes: config.limits.maxMessageBytes,
    limits: config.limits,
    trustedProxies: config.trustedProxies,
    parseUrl: parseRequestUrl,
    relayedAddress: relay ? (request) => relay.addressOf(request) : undefined,
    open: gateway.open,
  })

  registerGauges({
    connections: () => gateway.connectionCount,
    documentsOpen: () => rooms.loadedCount,
    documentsBuilt: () => rooms.loaded().filter((room) => room.documentBuilt).length,
    relayQueueBytes: () => sockets.bufferedBytes,
    syncWrites: config.syncWrites,
    validationWorkerRunning: () => validator.running,
    optionalModules: lazyModules,
  })

  // A client that opens a connection and never finishes its request does not hold it for long.
  http.headersTimeout = 10_000
  http.requestTimeout = 30_000

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
        stopPruning()
        stopBackfill()
        stopWatchingRevocations?.()
        http.close()
        http.closeIdleConnections()
        await sockets.close(CloseCode.goingAway, 'server shutting down')
        await rooms.closeAll()
        await validator.close()
        await storage.close()
        log.info('stopped; everything stored')
      })()),
  }
}
