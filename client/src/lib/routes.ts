/** The client's pages, by URL path. */
export type Route =
  | { readonly page: 'login' }
  | { readonly page: 'documents' }
  | { readonly page: 'editor'; readonly docId: string }
  /** The print view of a draft, or of one of its versions (`?versi=<id>`). */
  | { readonly page: 'print'; readonly docId: string }
  | { readonly page: 'users' }
  | { readonly page: 'audit' }
  | { readonly page: 'not-found' }

/** The route a URL path names. */
export function parseRoute(pathname: string): Route {
  if (pathname === '/' || pathname === '') return { page: 'documents' }
  if (pathname === '/masuk') return { page: 'login' }
  if (pathname === '/pengguna') return { page: 'users' }
  if (pathname === '/log-aktivitas') return { page: 'audit' }
  const match = /^\/dokumen\/([^/]+)(\/cetak)?\/?$/.exec(pathname)
  if (match) return { page: match[2] ? 'print' : 'editor', docId: decodeURIComponent(match[1]!) }
  return { page: 'not-found' }
}

/** The path of a draft's print view, of the live text or of version `versionId`. */
export const printPath = (docId: string, versionId: string | null = null) =>
  `/dokumen/${encodeURIComponent(docId)}/cetak${versionId ? `?versi=${encodeURIComponent(versionId)}` : ''}`

const APP_NAME = 'Rancang'
const PAGE_NAMES: Record<Exclude<Route['page'], 'editor' | 'print'>, string> = {
  login: 'Masuk',
  documents: 'Daftar rancangan',
  users: 'Kelola pengguna',
  audit: 'Log aktivitas',
  'not-found': 'Halaman tidak ditemukan',
}

/**
 * The browser tab's title on `route`: the draft's title on its pages (null while it loads), the
 * page's name elsewhere, then the app's name, so that tabs of several drafts can be told apart.
 */
export function pageTitle(route: Route, draftTitle: string | null = null): string {
  const name =
    route.page === 'editor' ? draftTitle : route.page === 'print' ? (draftTitle ? `Cetak: ${draftTitle}` : 'Cetak') : PAGE_NAMES[route.page]
  return name ? `${name} — ${APP_NAME}` : APP_NAME
}
