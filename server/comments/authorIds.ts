import type { Author } from '../../shared/accounts.js'
import type { CommentMessage, Thread } from '../../shared/comments.js'
import type { CommentStorage, DocumentStorage, SettingStorage, UserRecord } from '../storage/types.js'

/** Set once every stored comment had its chance at an author id. */
const BACKFILLED = 'comment-author-ids'

type Account = Pick<UserRecord, 'id' | 'username' | 'createdAt'>

/**
 * The account a comment written before accounts had ids belongs to: the account that holds its
 * username now, only if that account already existed when the comment was written. Usernames never
 * change and are unique at any moment, so such an account is the one that wrote it; an account
 * created later under a freed username is someone else and gets nothing (only admins may then
 * edit the comment).
 */
export function legacyAuthorId(author: Author, writtenAt: string, accounts: readonly Account[]): string | undefined {
  if (author.id !== undefined) return author.id
  const account = accounts.find((a) => a.username === author.username)
  return account && Date.parse(account.createdAt) <= Date.parse(writtenAt) ? account.id : undefined
}

/** The thread with author ids given where `legacyAuthorId` finds one, or null when nothing changed. */
export function backfillThread(thread: Thread, accounts: readonly Account[]): Thread | null {
  let changed = false
  const messages = thread.messages.map((message): CommentMessage => {
    const id = message.author.id === undefined ? legacyAuthorId(message.author, message.createdAt, accounts) : undefined
    if (id === undefined) return message
    changed = true
    return { ...message, author: { ...message.author, id } }
  })
  return changed ? { ...thread, messages } : null
}

/**
 * One-off migration at start: comments stored before accounts had ids get their authors' ids, so
 * the rule "only the author edits a message" compares ids from then on. Runs once per data
 * directory (a setting records it); it rewrites only threads that change.
 */
export async function backfillCommentAuthorIds(
  storage: CommentStorage & DocumentStorage & SettingStorage,
  accounts: readonly Account[],
): Promise<void> {
  if (await storage.getSetting(BACKFILLED)) return
  for (const document of await storage.listDocuments()) {
    for (const thread of await storage.listThreads(document.id)) {
      const next = backfillThread(thread, accounts)
      if (next) await storage.putThread(next)
    }
  }
  await storage.putSetting(BACKFILLED, new Uint8Array([1]))
}
