import type { Notification, NotificationList } from '../../../../shared/notifications.js'
import { api } from '../api.js'

/**
 * How often the bell asks the server while a page shows it. Pushes in the open draft refresh it at
 * once (`refreshSoon`); this catches comments in other drafts: one small GET per tab per interval.
 */
const POLL_MS = 30_000
/** Pushes come in bursts (a thread and its replies); one refresh answers them all. */
const DEBOUNCE_MS = 300

/**
 * The bell's notifications: comments and replies addressed to the signed-in account, across
 * drafts. Loaded while some page watches it, refreshed by a poll, on focus and after a thread push.
 */
export class NotificationsStore {
  #items = $state.raw<readonly Notification[]>([])
  #unread = $state(0)
  #failed = $state(false)
  #watchers = 0
  /** The account the list belongs to. */
  #owner: string | null = null
  #poll: ReturnType<typeof setInterval> | null = null
  #soon: ReturnType<typeof setTimeout> | null = null

  /** Newest first. */
  get items(): readonly Notification[] {
    return this.#items
  }
  get unread(): number {
    return this.#unread
  }
  /** The last refresh failed (offline): the list may be stale. */
  get failed(): boolean {
    return this.#failed
  }

  /**
   * Keeps the list of account `userId` fresh while the returned function has not been called (a
   * component's `$effect`); another account's list is forgotten first.
   */
  watch(userId: string): () => void {
    if (userId !== this.#owner) {
      this.#owner = userId
      this.#items = []
      this.#unread = 0
    }
    if (this.#watchers++ === 0) {
      void this.refresh()
      this.#poll = setInterval(() => void this.refresh(), POLL_MS)
      addEventListener('focus', this.#onFocus)
    }
    return () => {
      if (--this.#watchers > 0) return
      if (this.#poll) clearInterval(this.#poll)
      this.#poll = null
      removeEventListener('focus', this.#onFocus)
    }
  }

  /** Something addressed to someone may have arrived (a thread push): refresh shortly. */
  refreshSoon() {
    if (this.#watchers === 0 || this.#soon) return
    this.#soon = setTimeout(() => {
      this.#soon = null
      void this.refresh()
    }, DEBOUNCE_MS)
  }

  async refresh(): Promise<void> {
    try {
      this.#show(await api.get<NotificationList>('/api/notifications'))
    } catch {
      this.#failed = true
    }
  }

  /** Marks `ids` read, or every one when left out. */
  async markRead(ids?: readonly string[]): Promise<void> {
    try {
      this.#show(await api.post<NotificationList>('/api/notifications/read', ids ? { ids } : {}))
    } catch {
      this.#failed = true
    }
  }

  #show(list: NotificationList) {
    this.#items = list.items
    this.#unread = list.unread
    this.#failed = false
  }

  readonly #onFocus = () => void this.refresh()
}

export const notifications = new NotificationsStore()
