import { describe, expect, it } from 'vitest'
import type { CommentMessage, Thread } from '../../shared/comments.js'
import { MemoryStorage } from '../storage/memory.js'
import { KEPT_NOTIFICATIONS, NOTIFICATION_RETENTION_DAYS, Notifications, recipientsOf } from './notifications.js'

const author = (id: string | undefined) => ({ ...(id ? { id } : {}), username: id ?? 'lama', name: id ?? 'Lama', bidang: 'Aptika' })
const message = (id: string, by: string | undefined, mentions?: string[]): CommentMessage => ({
  id,
  author: author(by),
  text: 't',
  createdAt: 'c',
  ...(mentions ? { mentions } : {}),
})
const thread = (...messages: CommentMessage[]): Thread => ({
  id: 't',
  docId: 'd',
  anchor: { pasalId: 'p' },
  origin: { pasalLabel: 'Pasal 1', quote: 'q' },
  status: 'open',
  createdAt: 'c',
  updatedAt: 'u',
  messages,
})

describe('recipientsOf', () => {
  it('notifies the mentioned as mentioned and earlier writers as replied to, never the author, and no account-less author', () => {
    const last = message('m4', 'rina', ['bayu', 'rina', 'hantu'])
    const recipients = recipientsOf(
      thread(message('m1', 'rina'), message('m2', 'bayu'), message('m3', undefined), message('m3b', 'sari'), last),
      last,
      new Map([
        ['bayu', 'bayu'],
        ['rina', 'rina'],
      ]),
    )
    expect([...recipients]).toEqual([
      ['bayu', 'mention'],
      ['sari', 'reply'],
    ])
  })

  it('notifies nobody of the first message of a thread that mentions nobody', () => {
    const first = message('m1', 'rina')
    expect(recipientsOf(thread(first), first, new Map()).size).toBe(0)
  })
})

describe('Notifications', () => {
  it("keeps an account's newest 200 and any younger than 90 days, pruning when one is written and at start", async () => {
    const storage = new MemoryStorage()
    await storage.putUser({
      id: 'sari',
      username: 'sari',
      name: 'Sari',
      bidang: 'Aptika',
      role: 'editor',
      password: 'x',
      sessionKey: 'k',
      createdAt: 'c',
      updatedAt: 'c',
    })
    const today = Date.parse('2026-11-30T00:00:00.000Z')
    let now = today - (NOTIFICATION_RETENTION_DAYS + 10) * 24 * 3600 * 1000
    const notifications = new Notifications(storage, { now: () => now })
    const post = async (count: number) => {
      for (let i = 0; i < count; i++) {
        now += 1
        const mention = message(`m${now}`, 'rina', ['sari'])
        await notifications.onMessagePosted(thread(mention), mention)
      }
    }
    const stored = async () => (await storage.listNotifications('sari', 1000)).length

    // All younger than 90 days when written: none goes, however many.
    await post(KEPT_NOTIFICATIONS + 10)
    expect(await stored()).toBe(KEPT_NOTIFICATIONS + 10)
    now = today
    await post(1)
    expect(await stored()).toBe(KEPT_NOTIFICATIONS)
    const newest = (await storage.listNotifications('sari', 1))[0]!
    expect(newest.messageId).toBe(`m${today + 1}`)

    // Young ones beyond 200 stay, and push the old ones out; at a start after 90 days, they go too.
    await post(KEPT_NOTIFICATIONS + 5)
    expect(await stored()).toBe(KEPT_NOTIFICATIONS + 6)
    expect(await notifications.pruneAll()).toBe(0)
    now = today + (NOTIFICATION_RETENTION_DAYS + 1) * 24 * 3600 * 1000
    expect(await notifications.pruneAll()).toBe(6)
    expect(await stored()).toBe(KEPT_NOTIFICATIONS)
  })
})
