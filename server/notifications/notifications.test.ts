import { describe, expect, it } from 'vitest'
import type { CommentMessage, Thread } from '../../shared/comments.js'
import { recipientsOf } from './notifications.js'

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
