/** The JSON API, with the session token and Indonesian error messages. */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

let token: string | null = null
let onUnauthorized: (() => void) | null = null

/** Set by the session: the token to send, and what to do when the server says it is no longer valid. */
export function configureApi(next: { token: string | null; onUnauthorized?: () => void }) {
  token = next.token
  if (next.onUnauthorized) onUnauthorized = next.onUnauthorized
}

export const request = <T>(method: string, path: string, body?: unknown): Promise<T> =>
  call<T>(method, path, body === undefined ? undefined : { data: JSON.stringify(body), type: 'application/json' })

/** Sends a file as the request body (e.g. a Word draft to import). */
export const upload = <T>(path: string, file: Blob, type: string): Promise<T> => call<T>('POST', path, { data: file, type })

async function call<T>(method: string, path: string, body?: { data: BodyInit; type: string }): Promise<T> {
  const text = await (await send(method, path, body, 'Permintaan gagal')).text()
  return (text ? JSON.parse(text) : undefined) as T
}

/**
 * Sends a request with the session token and returns the response if it succeeded; otherwise
 * throws an ApiError with the server's message (or `failed` and the status), after telling the
 * session when the server no longer accepts its token.
 */
async function send(method: string, path: string, body: { data: BodyInit; type: string } | undefined, failed: string): Promise<Response> {
  const headers: Record<string, string> = {}
  if (token) headers.authorization = `Bearer ${token}`
  if (body) headers['content-type'] = body.type
  let response: Response
  try {
    response = await fetch(path, { method, headers, body: body?.data })
  } catch {
    throw new ApiError(0, 'Tidak dapat menghubungi server. Periksa sambungan jaringan Anda.')
  }
  if (response.ok) return response
  if (response.status === 401 && token && path !== '/api/login') onUnauthorized?.()
  const data = (await response.json().catch(() => undefined)) as { error?: string } | undefined
  throw new ApiError(response.status, data?.error ?? `${failed} (${response.status}).`)
}

export const api = {
  request,
  get: <T>(path: string) => request<T>('GET', path),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, body ?? {}),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, body),
  delete: <T>(path: string) => request<T>('DELETE', path),
}

/** Downloads a file from the API with the session token (links cannot carry the Authorization header). */
export async function fetchFile(path: string, failed = 'Ekspor gagal'): Promise<Blob> {
  return (await send('GET', path, undefined, failed)).blob()
}

/** Fetches a file from the API and hands it to the browser to save as `filename`. */
export async function saveFile(path: string, filename: string, failed?: string): Promise<void> {
  const url = URL.createObjectURL(await fetchFile(path, failed))
  const link = document.createElement('a')
  link.href = url
  link.download = filename
  link.click()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}
