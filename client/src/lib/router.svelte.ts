import { parseRoute, type Route } from './routes.js'

export type { Route }

/** History-API routing: the current route, and navigation that keeps it in step with the URL. */
class Router {
  #path = $state(location.pathname)
  #query = $state(location.search)

  constructor() {
    addEventListener('popstate', () => this.#sync())
  }

  get route(): Route {
    return parseRoute(this.#path)
  }

  get path(): string {
    return this.#path
  }

  /** A query parameter of the current URL. */
  param(name: string): string | null {
    return new URLSearchParams(this.#query).get(name)
  }

  /** Goes to `url` (path and optional query) without reloading. */
  navigate(url: string, options: { replace?: boolean } = {}) {
    if (url === this.#path + this.#query) return
    if (options.replace) history.replaceState(null, '', url)
    else history.pushState(null, '', url)
    this.#sync()
  }

  #sync() {
    this.#path = location.pathname
    this.#query = location.search
  }
}

export const router = new Router()
