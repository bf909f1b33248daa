import type { Author } from '../../shared/accounts.js'
import type { CommentMessage, Thread } from '../../shared/comments.js'
import { log } from '../log.js'
import {
  OwnershipLostError,
  type CommentStorage,
  type DocumentStorage,
  type SettingStorage,
  type UserRecord,
  type UserStorage,
} from '../storage/types.js'

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

/** How often a server retries the documents another server owned when it last tried. */
export const BACKFILL_RETRY_MS = 5_000

/** Runs a task that rewrites a document's threads, serialised with the comment changes to that document. */
export type ThreadRewriter = (docId: string, task: () => Promise<void>) => Promise<void>

type BackfillStorage = CommentStorage & DocumentStorage & SettingStorage & Pick<UserStorage, 'listUsers'>

/**
 * One pass of the one-off migration: comments stored before accounts had ids get their authors'
 * ids, so the rule "only the author edits a message" compares ids from then on. It rewrites only
 * threads that change. In a cluster (SPEC S27) a document another server owns refuses the write
 * (`OwnershipLostError`): that document is left for a later pass, and the setting recording that
 * the migration is done is written only once no document is left. Returns the documents left.
 */
export async function backfillCommentAuthorIds(
  storage: BackfillStorage,
  options: { docIds?: readonly string[]; rewrite?: ThreadRewriter } = {},
): Promise<string[]> {
  if (await storage.getSetting(BACKFILLED)) return []
  const accounts = await storage.listUsers()
  const rewrite = options.rewrite ?? ((_docId, task) => task())
  const docIds = options.docIds ?? (await storage.listDocuments()).map((document) => document.id)
  const left: string[] = []
  for (const docId of docIds) {
    try {
      await rewrite(docId, async () => {
        for (const thread of await storage.listThreads(docId)) {
          const next = backfillThread(thread, accounts)
          if (next) await storage.putThread(next)
        }
      })
    } catch (error) {
      if (!(error instanceof OwnershipLostError)) throw error
      left.push(docId)
    }
  }
  if (left.length === 0) await storage.putSetting(BACKFILLED, new Uint8Array([1]))
  return left
}

/**
 * Runs the migration at start (once per database: a setting records it), then retries what another
 * server owned every `retryMs` until nothing is left, so a server joining a cluster starts at once
 * rather than failing on documents it may not write. Returns a function that stops the retries.
 */
export async function startCommentAuthorBackfill(
  storage: BackfillStorage,
  rewrite: ThreadRewriter,
  retryMs = BACKFILL_RETRY_MS,
): Promise<() => void> {
  let left = await backfillCommentAuthorIds(storage, { rewrite })
  if (left.length === 0) return () => {}
  log.info('comment author ids: documents owned by other servers are migrated once they are free', { docs: left })
  let running = false
  const timer = setInterval(() => {
    if (running) return
    running = true
    backfillCommentAuthorIds(storage, { docIds: left, rewrite })
      .then((next) => {
        left = next
        if (left.length === 0) clearInterval(timer)
      })
      .catch((error: unknown) => log.error('comment author ids: migrating failed; retrying', { error }))
      .finally(() => (running = false))
  }, retryMs)
  timer.unref()
  return () => clearInterval(timer)
}
