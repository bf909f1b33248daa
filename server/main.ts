import { readConfig } from './config.js'
import { startServer } from './app.js'
import { log } from './log.js'
import { FormatTooNewError } from './storage/migrations.js'
import { StorageUnavailableError } from './storage/types.js'

/** `npm start`: serve until SIGINT/SIGTERM, then store everything and exit 0. */
async function main() {
  const config = readConfig()
  let server
  try {
    server = await startServer(config)
  } catch (error) {
    const code = (error as { code?: string; cause?: { code?: string } }).cause?.code ?? (error as { code?: string }).code
    if (error instanceof FormatTooNewError) log.error(`DATA_DIR ${config.dataDir}: ${error.message}`)
    else if (code === 'LEVEL_LOCKED') log.error(`DATA_DIR ${config.dataDir} is in use by another Rancang server; stop it first`)
    else if (error instanceof StorageUnavailableError) log.error('DATABASE_URL: PostgreSQL cannot be reached; start it or check the address')
    else if (code === 'EADDRINUSE') log.error(`port ${config.port} on ${config.host} is already in use; set PORT to another port`)
    else log.error('could not start', { error: (error as Error)?.stack ?? String(error) })
    process.exit(1)
  }
  const stop = (signal: string) => {
    log.info(`${signal}: shutting down`)
    // Storage that keeps failing must not hold the process forever. Nothing unstored was relayed
    // or acknowledged, so the clients still hold those edits and send them again on reconnect.
    const deadline = setTimeout(() => {
      log.error(`shutdown: edits could not be stored within ${config.limits.shutdownTimeoutMs} ms; exiting, clients will resend them`)
      process.exit(1)
    }, config.limits.shutdownTimeoutMs)
    server.close().then(
      () => {
        clearTimeout(deadline)
        process.exit(0)
      },
      (error: unknown) => {
        log.error('shutdown failed', { error })
        process.exit(1)
      },
    )
  }
  // Before the address is announced: whoever reads it may signal at once (a test, a supervisor),
  // and without a listener Node would die of the signal instead of storing what is pending.
  process.once('SIGINT', () => stop('SIGINT'))
  process.once('SIGTERM', () => stop('SIGTERM'))
  if (server.seeded) log.info('first start: created the sample draft rapergub-spbe')
  if (server.initialAdmin) {
    process.stdout.write(
      `First start: created account "${server.initialAdmin.username}" with password ${server.initialAdmin.password}\n` +
        '  (shown only now; change it with: npm run users -- passwd admin --password <new password>)\n',
    )
  }
  process.stdout.write(`Rancang is running at ${server.url}\n`)
}

void main()
