import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http'
import { pipeline } from 'node:stream/promises'
import type { DocumentOwnership } from '../storage/types.js'
import { log } from '../log.js'
import { RELAY_HEADER, type Relay } from './relay.js'

/** `/api/docs/<id>` and everything under it: the routes of one document (`/api/docs/import` is not one). */
const DOCUMENT_ROUTE = /^\/api\/docs\/([^/]+)(?:\/|$)/
const NOT_A_DOCUMENT = new Set(['import'])

/** The document an API path belongs to, or null. */
export function documentOfPath(pathname: string): string | null {
  const id = DOCUMENT_ROUTE.exec(pathname)?.[1]
  return id === undefined || NOT_A_DOCUMENT.has(id) ? null : id
}

/**
 * HTTP forwarding between servers of one database (SPEC S27): a request for a document's routes
 * that reaches a server other than the document's owner is passed to the owner, so changes
 * (comments, statuses, restores, suggestions) are made where the document is open and pushed live
 * from there. Returns true when it forwarded. A request that was forwarded once is served where it
 * lands.
 */
export function documentForwarder(ownership: DocumentOwnership, relay: Relay) {
  return async (request: IncomingMessage, response: ServerResponse, url: URL, address: string, relayed: boolean): Promise<boolean> => {
    if (relayed) return false
    const docId = documentOfPath(url.pathname)
    if (docId === null) return false
    const owner = await ownership.ownerElsewhere(docId)
    if (owner === null) return false
    const headers = { ...request.headers, [RELAY_HEADER]: relay.encodeHeader(address) }
    delete headers.host
    delete headers.connection
    const upstream = httpRequest(new URL(url.pathname + url.search, owner), { method: request.method, headers })
    const answered = new Promise<IncomingMessage>((resolve, reject) => {
      upstream.once('response', resolve)
      upstream.once('error', reject)
    })
    try {
      await pipeline(request, upstream)
      const answer = await answered
      response.writeHead(answer.statusCode ?? 502, answer.headers)
      await pipeline(answer, response)
    } catch (error) {
      log.warn('could not forward a request to the owner of its document', { doc: docId, owner, error: (error as Error)?.message })
      if (!response.headersSent) {
        const body = JSON.stringify({ error: 'Server pemilik dokumen ini tidak dapat dihubungi. Coba lagi sebentar lagi.' })
        response.writeHead(503, { 'Content-Type': 'application/json; charset=utf-8', 'Retry-After': '5', 'Content-Length': Buffer.byteLength(body) })
        response.end(body)
      } else response.destroy()
    }
    return true
  }
}
