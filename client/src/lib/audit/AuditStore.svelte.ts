import type { AuditAction, AuditEntry } from '../../../../shared/audit.js'
import type { User } from '../../../../shared/accounts.js'
import { api, ApiError, saveFile } from '../api.js'

/** Entries fetched per page ("Muat lebih banyak" asks for the next). */
const PAGE = 50

/** What the admin filters the log by; empty strings are "any". Dates are `YYYY-MM-DD`, local time, both days included. */
export interface AuditFilters {
  actor: string
  action: AuditAction | ''
  from: string
  to: string
}

/** A local calendar day as the instant it starts, in ISO 8601 (what the API's `from` and `to` take). */
const startOfDay = (day: string, addDays = 0) => {
  const [year, month, date] = day.split('-').map(Number)
  return new Date(year!, month! - 1, date! + addDays).toISOString()
}

/** The API query for `filters` (without paging). */
export function encodeAuditFilters(filters: AuditFilters): URLSearchParams {
  const params = new URLSearchParams()
  if (filters.actor.trim()) params.set('actor', filters.actor.trim().toLowerCase())
  if (filters.action) params.set('action', filters.action)
  if (filters.from) params.set('from', startOfDay(filters.from))
  // "Sampai 3 Mei" includes all of 3 May: the bound is the start of the next day, exclusive.
  if (filters.to) params.set('to', startOfDay(filters.to, 1))
  return params
}

/** The audit log as the admin reads it: newest first, filtered, a page at a time. */
export class AuditStore {
  #entries = $state.raw<AuditEntry[] | null>(null)
  #more = $state(false)
  #busy = $state(false)
  #error = $state<string | null>(null)
  #people = $state.raw<User[]>([])
  /** The filters the shown entries were loaded with (paging continues with them). */
  #query = new URLSearchParams()

  /** Null until the first page is loaded. */
  get entries(): AuditEntry[] | null {
    return this.#entries
  }
  /** Whether older entries may exist beyond the last page. */
  get more(): boolean {
    return this.#more
  }
  get busy(): boolean {
    return this.#busy
  }
  get error(): string | null {
    return this.#error
  }
  /** The accounts, to suggest in the "Pengguna" filter (removed ones can still be typed). */
  get people(): User[] {
    return this.#people
  }

  /** Loads the accounts for the "Pengguna" suggestions; without them the filter still takes typed names. */
  async loadPeople(): Promise<void> {
    try {
      this.#people = await api.get<User[]>('/api/users')
    } catch {
      this.#people = []
    }
  }

  /** Loads the newest page for `filters`, replacing what is shown. */
  load(filters: AuditFilters): Promise<void> {
    this.#query = encodeAuditFilters(filters)
    return this.#fetch(null)
  }

  /** Appends the next older page. */
  loadMore(): Promise<void> {
    const last = this.#entries?.at(-1)
    return last ? this.#fetch(last.at) : Promise.resolve()
  }

  /** Saves every entry that passes the current filters as a CSV file. */
  async downloadCsv(): Promise<void> {
    this.#error = null
    try {
      await saveFile(`/api/audit.csv?${this.#query}`, `log-aktivitas-${new Date().toISOString().slice(0, 10)}.csv`, 'Unduhan gagal')
    } catch (e) {
      this.#error = e instanceof ApiError ? e.message : 'Unduhan gagal.'
    }
  }

  async #fetch(before: string | null): Promise<void> {
    this.#busy = true
    this.#error = null
    const params = new URLSearchParams(this.#query)
    params.set('limit', String(PAGE))
    if (before) params.set('before', before)
    try {
      const page = await api.get<AuditEntry[]>(`/api/audit?${params}`)
      this.#entries = before ? [...(this.#entries ?? []), ...page] : page
      this.#more = page.length === PAGE
    } catch (e) {
      this.#error = e instanceof ApiError ? e.message : 'Log aktivitas tidak dapat dimuat.'
    } finally {
      this.#busy = false
    }
  }
}
