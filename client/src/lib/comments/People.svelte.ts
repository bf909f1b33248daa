import { api } from '../api.js'

/** Someone who can be @mentioned, as `GET /api/people` lists them. */
export interface Person {
  readonly username: string
  readonly name: string
  readonly bidang: string
}

/** Most people offered at once while typing a mention. */
const OFFERED = 6

/** The accounts a comment can @mention, loaded once per page load, the first time a comment box asks. */
class People {
  #list = $state.raw<readonly Person[]>([])
  #loading: Promise<void> | null = null

  /** Loads the list unless it is loaded or loading; a failure is tried again at the next call. */
  load(): void {
    this.#loading ??= api.get<Person[]>('/api/people').then(
      (list) => void (this.#list = list),
      () => void (this.#loading = null),
    )
  }

  /** Those whose username starts with, or whose name contains a word starting with, `query` (any case). */
  matching(query: string): Person[] {
    const q = query.toLowerCase()
    const words = (name: string) => name.toLowerCase().split(/\s+/)
    return this.#list.filter((p) => p.username.startsWith(q) || words(p.name).some((word) => word.startsWith(q))).slice(0, OFFERED)
  }
}

export const people = new People()
