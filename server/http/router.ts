import type { IncomingHttpHeaders } from 'node:http'
import type { Session } from '../auth/sessions.js'

export interface ApiRequest {
  readonly method: string
  readonly url: URL
  readonly headers: IncomingHttpHeaders
  readonly params: Readonly<Record<string, string>>
  /** The request id its log lines carry (`reqId`), also sent as `X-Request-Id`. */
  readonly id: string
  /** The client's address (behind a trusted proxy, from `X-Forwarded-For`): for throttling, the audit log and logs. */
  readonly address: string
  /**
   * The connection comes from this machine (a loopback address, or the server's own): true also
   * for everyone behind a reverse proxy on this machine, so it is never enough on its own.
   */
  readonly fromThisMachine: boolean
  /** The parsed JSON body; rejects with a `Refusal` (invalid, too-large, unsupported). */
  json(): Promise<unknown>
  /** The raw body (an uploaded file) of at most `limit` bytes; rejects with a `Refusal` (too-large). */
  bytes(limit: number): Promise<Uint8Array>
}

export interface ApiReply {
  readonly status: number
  /** Sent as JSON. */
  readonly body?: unknown
  /** Sent as it is (a file), instead of `body`. */
  readonly file?: { readonly bytes: Uint8Array | string; readonly contentType: string }
  /** Streamed as it is produced (a backup), instead of `body`; a failure midway aborts the response. */
  readonly stream?: { readonly chunks: AsyncIterable<Uint8Array>; readonly contentType: string }
  readonly headers?: Readonly<Record<string, string>>
}

export type Handler = (request: ApiRequest) => Promise<ApiReply> | ApiReply
export type AuthedHandler = (request: ApiRequest, session: Session) => Promise<ApiReply> | ApiReply

interface Route {
  readonly method: string
  readonly segments: readonly string[]
  readonly handler: Handler
}

export type Match = { readonly handler: Handler; readonly params: Record<string, string> } | { readonly allowed: string[] } | null

/** Method + path routing with `:name` parameters. Nothing else: the API is small. */
export class Router {
  readonly #routes: Route[] = []

  add(method: string, path: string, handler: Handler): this {
    this.#routes.push({ method, segments: path.split('/').filter(Boolean), handler })
    return this
  }

  /** The handler for a request, the allowed methods when only the method is wrong, or null. */
  match(method: string, pathname: string): Match {
    const segments = pathname.split('/').filter(Boolean)
    const allowed: string[] = []
    for (const route of this.#routes) {
      const params = matchSegments(route.segments, segments)
      if (!params) continue
      if (route.method === method) return { handler: route.handler, params }
      allowed.push(route.method)
    }
    return allowed.length > 0 ? { allowed } : null
  }
}

function matchSegments(pattern: readonly string[], actual: readonly string[]): Record<string, string> | null {
  if (pattern.length !== actual.length) return null
  const params: Record<string, string> = {}
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i]!
    let a: string
    try {
      a = decodeURIComponent(actual[i]!)
    } catch {
      return null
    }
    if (p.startsWith(':')) params[p.slice(1)] = a
    else if (p !== a) return null
  }
  return params
}
