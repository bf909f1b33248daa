import type { IncomingMessage, ServerResponse } from 'node:http'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import sirv from 'sirv'
import { readBody, readJsonBody } from './body.js'
import type { ApiReply, Router } from './router.js'
import { REFUSAL_STATUS } from './errors.js'
import { log, logId } from '../log.js'
import type { TrustedProxies } from '../clientAddress.js'
import { Refusal } from '../refusal.js'
import { OwnershipLostError, StorageUnavailableError } from '../storage/types.js'
import { registry } from '../metrics.js'
import { mayReadMetrics } from './metricsAccess.js'
import { bearerToken } from './guard.js'

const STORAGE_UNAVAILABLE = 'Penyimpanan server sedang bermasalah; perubahan belum tersimpan. Coba lagi sebentar lagi.'
const OWNER_MOVED = 'Dokumen ini baru saja berpindah ke server lain; perubahan belum tersimpan. Coba lagi.'

export interface HttpOptions {
  readonly router: Router
  readonly clientDir: string
  readonly maxBodyBytes: number
  /** Who may name the client in `X-Forwarded-For` (TRUST_PROXY). */
  readonly trustedProxies: TrustedProxies
  /** What /healthz reports; 503 unless ready (starting or shutting down). */
  readonly health: () => { readonly ready: boolean; readonly documentsOpen: number; readonly connections: number }
  /** METRICS_TOKEN: lets requests bearing it read /metrics from anywhere; null for loopback only. */
  readonly metricsToken: string | null
  /**
   * Several servers: the client address a request forwarded by another server vouches for
   * (undefined when not forwarded, null when its header is forged: refused with 403).
   */
  readonly relayedAddress?: (request: IncomingMessage) => string | null | undefined
  /** Several servers: passes a document's request to its owner; true when it did. */
  readonly forward?: (request: IncomingMessage, response: ServerResponse, url: URL, address: string, relayed: boolean) => Promise<boolean>
}

const FORGED_RELAY = 'Permintaan ini mengaku diteruskan server lain, tetapi tandanya tidak sah.'

/**
 * Headers on every response. The CSP allows scripts only from this origin (the Vite build has no
 * inline scripts); inline styles stay allowed because ProseMirror and the cursor labels set style
 * attributes. Framing is refused.
 */
const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
}

/** Who asked, worked out once per request: the id its log lines carry and the client address. */
interface RequestContext {
  readonly id: string
  readonly address: string
  /** Forwarded by another server of the same database, with a valid relay header. */
  readonly relayed: boolean
}

/**
 * One log line per request once its response is finished or abandoned: the path without its query
 * (which may hold a token), status and duration. API requests and failures at info; static files
 * and health checks, which are many and dull, at debug.
 */
function logWhenDone(request: IncomingMessage, response: ServerResponse, context: RequestContext, url: URL | null) {
  const started = performance.now()
  response.once('close', () => {
    const path = url?.pathname ?? null
    const fields = {
      reqId: context.id,
      method: request.method,
      path,
      status: response.statusCode,
      aborted: response.writableFinished ? undefined : true,
      ms: Math.round(performance.now() - started),
      address: context.address,
    }
    const notable = response.statusCode >= 400 || !response.writableFinished || path === '/api' || Boolean(path?.startsWith('/api/'))
    if (notable) log.info('http request', fields)
    else log.debug('http request', fields)
  })
}

const LOOPBACK = /^(?:127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/

/**
 * The peer is this machine: a loopback address, or the address the connection reached (a server
 * listening on one LAN address sees its own machine under that address). Never a header.
 */
export function isFromThisMachine(request: IncomingMessage): boolean {
  const { remoteAddress, localAddress } = request.socket
  return remoteAddress !== undefined && (LOOPBACK.test(remoteAddress) || remoteAddress === localAddress)
}

/** The request target as a URL; throws for targets that are not a path (e.g. "//a:b"). */
export function parseRequestUrl(target: string | undefined): URL {
  if (!target?.startsWith('/') || target.startsWith('//')) throw new TypeError('request target is not a path')
  return new URL(target, 'http://localhost')
}

function send(response: ServerResponse, reply: ApiReply) {
  const headers: Record<string, string> = { 'Cache-Control': 'no-store', ...reply.headers }
  if (reply.file) {
    const bytes = typeof reply.file.bytes === 'string' ? Buffer.from(reply.file.bytes) : reply.file.bytes
    response.writeHead(reply.status, { ...headers, 'Content-Type': reply.file.contentType, 'Content-Length': bytes.byteLength }).end(bytes)
    return
  }
  if (reply.body === undefined) {
    response.writeHead(reply.status, headers).end()
    return
  }
  const body = JSON.stringify(reply.body)
  response
    .writeHead(reply.status, { ...headers, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body) })
    .end(body)
}

/** The HTTP request handler: /healthz, the JSON API under /api, and the built client. */
export function createRequestHandler(options: HttpOptions) {
  const indexExists = existsSync(join(options.clientDir, 'index.html'))
  const staticFiles = indexExists
    ? sirv(options.clientDir, {
        single: true,
        etag: true,
        setHeaders: (response, pathname) => {
          // Vite fingerprints everything under /assets, so those never change.
          response.setHeader('Cache-Control', pathname.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache')
        },
      })
    : null

  return async (request: IncomingMessage, response: ServerResponse) => {
    const relayedAddress = options.relayedAddress?.(request)
    const context: RequestContext = {
      id: logId(),
      address: relayedAddress ?? options.trustedProxies.clientAddress(request),
      relayed: typeof relayedAddress === 'string',
    }
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.setHeader(name, value)
    // Lets an operator find this request's log lines from a user's report or nginx's access log.
    response.setHeader('X-Request-Id', context.id)
    let url: URL | null = null
    try {
      url = parseRequestUrl(request.url)
    } catch {
      // answered below, and logged without a path
    }
    logWhenDone(request, response, context, url)
    if (!url) {
      send(response, { status: 400, body: { error: 'Malformed request URL.' } })
      return
    }
    try {
      if (relayedAddress === null) throw new Refusal('forbidden', FORGED_RELAY)
      if (url.pathname === '/healthz') {
        const { ready, ...counts } = options.health()
        send(response, ready ? { status: 200, body: { status: 'ok', ...counts } } : { status: 503, body: { status: 'unavailable' } })
        return
      }
      if (url.pathname === '/metrics') {
        await serveMetrics(options, request, response, context)
        return
      }
      if (url.pathname === '/api' || url.pathname.startsWith('/api/')) {
        if (await options.forward?.(request, response, url, context.address, context.relayed)) return
        await handleApi(options, request, response, url, context)
        return
      }
      if (request.method !== 'GET' && request.method !== 'HEAD')
        throw new Refusal('method-not-allowed', 'Method not allowed.', { Allow: 'GET, HEAD' })
      if (!staticFiles) {
        response.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8' }).end('The client is not built yet: run "npm run build".\n')
        return
      }
      staticFiles(request, response, () => send(response, { status: 404, body: { error: 'Not found.' } }))
    } catch (error) {
      if (error instanceof Refusal) {
        send(response, { status: REFUSAL_STATUS[error.kind], body: { error: error.message }, headers: error.headers })
        return
      }
      if (error instanceof StorageUnavailableError) {
        // Nothing was written; the disk is full or failing and the database is being reopened.
        send(response, { status: 503, body: { error: STORAGE_UNAVAILABLE }, headers: { 'Retry-After': '5' } })
        return
      }
      if (error instanceof OwnershipLostError) {
        // Nothing was written: another server took the document over meanwhile; a retry is forwarded to it.
        send(response, { status: 503, body: { error: OWNER_MOVED }, headers: { 'Retry-After': '1' } })
        return
      }
      // Never a stack trace to the client; the log has it.
      log.error('request failed', { reqId: context.id, method: request.method, path: url.pathname, error: (error as Error)?.stack ?? String(error) })
      if (!response.headersSent) send(response, { status: 500, body: { error: 'Terjadi kesalahan pada server.' } })
      else response.destroy()
    }
  }
}

/**
 * GET /metrics: Prometheus text, to this machine or to METRICS_TOKEN; 403 for anyone else. The
 * address is the client's (behind a trusted proxy, the one it forwards for), so a proxy on this
 * machine does not open the metrics to everyone it serves.
 */
async function serveMetrics(options: HttpOptions, request: IncomingMessage, response: ServerResponse, context: RequestContext) {
  if (request.method !== 'GET' && request.method !== 'HEAD') throw new Refusal('method-not-allowed', 'Method not allowed.', { Allow: 'GET, HEAD' })
  if (!mayReadMetrics(context.address, bearerToken(request.headers), options.metricsToken))
    throw new Refusal('forbidden', 'Metrik hanya untuk server ini sendiri atau dengan METRICS_TOKEN.')
  send(response, { status: 200, file: { bytes: await registry.metrics(), contentType: registry.contentType } })
}

async function handleApi(options: HttpOptions, request: IncomingMessage, response: ServerResponse, url: URL, context: RequestContext) {
  const match = options.router.match(request.method ?? 'GET', url.pathname)
  if (!match) throw new Refusal('not-found', 'Not found.')
  if ('allowed' in match) throw new Refusal('method-not-allowed', 'Method not allowed.', { Allow: match.allowed.join(', ') })
  let body: Promise<unknown> | undefined
  const reply = await match.handler({
    method: request.method ?? 'GET',
    url,
    headers: request.headers,
    params: match.params,
    id: context.id,
    address: context.address,
    fromThisMachine: isFromThisMachine(request),
    json: () => (body ??= readJsonBody(request, options.maxBodyBytes)),
    bytes: (limit) => readBody(request, limit),
  })
  if (!reply.stream) return send(response, reply)
  // A failure midway destroys the response, so the client sees an aborted body, never a short one that ends cleanly.
  response.writeHead(reply.status, { 'Cache-Control': 'no-store', ...reply.headers, 'Content-Type': reply.stream.contentType })
  await pipeline(Readable.from(reply.stream.chunks, { objectMode: false }), response)
}
