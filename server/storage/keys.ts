/**
 * Every LevelDB key, in one place. Keys carry a schema version so a future layout can live beside
 * this one during a migration (as y-leveldb's ['v1', docName, 'update', clock]).
 *
 *   v1/meta/<id>            JSON DocumentRecord (its own prefix, so listing never walks the logs)
 *   v1/state/<id>           varuint stateClock, then the merged Yjs update
 *   v1/statevector/<id>     varuint stateClock, then the state vector of v1/state/<id>; derived, so
 *                           left out of backups (StoredDocument.stateVector)
 *   v1/log/<id>/<clock>     one Yjs update; clock as 13 hex digits so keys sort numerically
 *   v1/setting/<name>       opaque bytes
 *   v1/user/<username>      JSON UserRecord
 *   v1/revoked/<tokenId>    expiry of a revoked token, seconds since the epoch (decimal string)
 *   v1/thread/<id>/<tid>    JSON Thread (comments on document <id>)
 *   v1/author/<id>/<client> JSON Author: who first sent content of Yjs client id <client>
 *   v1/deleted/<id>/<clock> JSON Author, then the update (its delete set says what they deleted)
 *   v1/snapmeta/<id>/<sid>  JSON SnapshotMeta; snapshot ids sort by time
 *   v1/snapdata/<id>/<sid>  deflated Yjs state of the snapshot
 *   v1/status/<id>/<pasal>  JSON StatusRecord: agreement on one Pasal, with its history
 *   v1/suggestion/<id>/<sid> JSON Suggestion (usulan perubahan on document <id>)
 *   v1/modified/<id>        JSON LastModified: who last changed document <id>'s text, and when
 *   v1/notification/<uid>/<nid> JSON Notification for account <uid>; notification ids sort by time
 *   format                  the storage format version (decimal); outside v1/ so any layout finds it
 *   v1/audit/<at>/<nonce>   JSON AuditEntry; <at> is ISO 8601 (fixed width, so keys sort by time),
 *                           <nonce> random, so no entry ever overwrites another
 */

const VERSION = 'v1'

/**
 * The database's storage format version (server/storage/migrations.ts). Databases written before
 * it existed lack it; every later layout keeps this key as it is.
 */
export const formatVersionKey = 'format'

/** Document ids are also URL path segments and key parts, so their alphabet is small. */
const DOCUMENT_ID = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/

export const isDocumentId = (id: string) => DOCUMENT_ID.test(id)

/** Upper bound for a prefix range: every key starting with `prefix` sorts below it. */
const prefixEnd = (prefix: string) => `${prefix}\uffff`
const range = (prefix: string) => ({ gte: prefix, lt: prefixEnd(prefix) })

const metaPrefix = `${VERSION}/meta/`
export const metaKey = (id: string) => `${metaPrefix}${id}`
export const metaRange = range(metaPrefix)

export const stateKey = (id: string) => `${VERSION}/state/${id}`

const stateVectorPrefix = `${VERSION}/statevector/`
export const stateVectorKey = (id: string) => `${stateVectorPrefix}${id}`
const stateVectorPrefixBytes = new TextEncoder().encode(stateVectorPrefix)
/** Whether a raw key (as `LevelStorage.entries` reads them) is a state vector's. */
export const isStateVectorKey = (key: Uint8Array) =>
  key.byteLength > stateVectorPrefixBytes.byteLength && stateVectorPrefixBytes.every((byte, i) => key[i] === byte)

const logPrefix = (id: string) => `${VERSION}/log/${id}/`
const CLOCK_DIGITS = 13
export const logKey = (id: string, clock: number) => `${logPrefix(id)}${clock.toString(16).padStart(CLOCK_DIGITS, '0')}`
/** Log keys of `id` up to and including `clock`. */
export const logRangeThrough = (id: string, clock: number) => ({ gte: logPrefix(id), lte: logKey(id, clock) })
/** Log keys of `id` after `clock`. */
export const logRangeAfter = (id: string, clock: number) => ({ gt: logKey(id, clock), lt: prefixEnd(logPrefix(id)) })
/** The keys a compaction rewrites: the document's log, its state and its state vector, as inclusive [first, last] spans. */
export const compactedSpans = (id: string): ReadonlyArray<readonly [string, string]> => [
  [logPrefix(id), prefixEnd(logPrefix(id))],
  [stateKey(id), stateKey(id)],
  [stateVectorKey(id), stateVectorKey(id)],
]
export const clockOfLogKey = (key: string) => Number.parseInt(key.slice(-CLOCK_DIGITS), 16)

export const settingKey = (name: string) => `${VERSION}/setting/${name}`

const userPrefix = `${VERSION}/user/`
export const userKey = (username: string) => `${userPrefix}${username}`
export const userRange = range(userPrefix)

const revokedPrefix = `${VERSION}/revoked/`
export const revokedKey = (tokenId: string) => `${revokedPrefix}${tokenId}`
export const revokedRange = range(revokedPrefix)
export const tokenIdOfRevokedKey = (key: string) => key.slice(revokedPrefix.length)

const threadPrefix = (docId: string) => `${VERSION}/thread/${docId}/`
export const threadKey = (docId: string, threadId: string) => `${threadPrefix(docId)}${threadId}`
export const threadRange = (docId: string) => range(threadPrefix(docId))

const authorPrefix = (docId: string) => `${VERSION}/author/${docId}/`
export const authorKey = (docId: string, clientId: number) => `${authorPrefix(docId)}${clientId}`
export const authorRange = (docId: string) => range(authorPrefix(docId))
export const clientIdOfAuthorKey = (key: string) => Number(key.slice(key.lastIndexOf('/') + 1))

const deletedPrefix = (docId: string) => `${VERSION}/deleted/${docId}/`
export const deletedKey = (docId: string, clock: number) => `${deletedPrefix(docId)}${clock.toString(16).padStart(CLOCK_DIGITS, '0')}`
export const deletedRange = (docId: string) => range(deletedPrefix(docId))

const snapMetaPrefix = (docId: string) => `${VERSION}/snapmeta/${docId}/`
export const snapMetaKey = (docId: string, snapshotId: string) => `${snapMetaPrefix(docId)}${snapshotId}`
export const snapMetaRange = (docId: string) => range(snapMetaPrefix(docId))
export const snapDataKey = (docId: string, snapshotId: string) => `${VERSION}/snapdata/${docId}/${snapshotId}`

const statusPrefix = (docId: string) => `${VERSION}/status/${docId}/`
export const statusKey = (docId: string, pasalId: string) => `${statusPrefix(docId)}${pasalId}`
export const statusRange = (docId: string) => range(statusPrefix(docId))

const suggestionPrefix = (docId: string) => `${VERSION}/suggestion/${docId}/`
export const suggestionKey = (docId: string, suggestionId: string) => `${suggestionPrefix(docId)}${suggestionId}`
export const suggestionRange = (docId: string) => range(suggestionPrefix(docId))

const modifiedPrefix = `${VERSION}/modified/`
export const modifiedKey = (docId: string) => `${modifiedPrefix}${docId}`
export const modifiedRange = range(modifiedPrefix)
export const docIdOfModifiedKey = (key: string) => key.slice(modifiedPrefix.length)

const notificationPrefix = (userId: string) => `${VERSION}/notification/${userId}/`
export const notificationKey = (userId: string, id: string) => `${notificationPrefix(userId)}${id}`
export const notificationRange = (userId: string) => range(notificationPrefix(userId))

const auditPrefix = `${VERSION}/audit/`
export const auditKey = (at: string, nonce: string) => `${auditPrefix}${at}/${nonce}`
/**
 * Audit keys at or after `from` and strictly before every one of `before` (all ISO times), newest
 * first: a page of the log is one range read.
 */
export function auditRange(from: string | undefined, before: ReadonlyArray<string | undefined>) {
  const upper = before.filter((at): at is string => at !== undefined).sort()[0]
  return {
    gte: from === undefined ? auditPrefix : `${auditPrefix}${from}`,
    lt: upper === undefined ? prefixEnd(auditPrefix) : `${auditPrefix}${upper}`,
    reverse: true,
  }
}
/** The newest audit key, read once at open so times stay increasing across restarts. */
export const auditNewest = { gte: auditPrefix, lt: prefixEnd(auditPrefix), reverse: true, limit: 1 }

/** Kinds whose key holds one part after `v1/<kind>/` (everything else holds a document id, then one more). */
const SINGLE_PART_KINDS: ReadonlySet<string> = new Set(['meta', 'modified', 'state', 'setting', 'user', 'revoked'])

/**
 * The kind of a key (`format`, or the segment after `v1/`, as `log`) and its parts, the inverse of
 * the builders above; undefined for a key none of them builds. Copying a database into another
 * storage reads keys this way.
 */
export function parseKey(key: string): { readonly kind: string; readonly parts: readonly string[] } | undefined {
  if (key === formatVersionKey) return { kind: 'format', parts: [] }
  const match = /^v1\/([a-z]+)\/(.+)$/.exec(key)
  if (!match) return undefined
  const [, kind, rest] = match as unknown as [string, string, string]
  if (SINGLE_PART_KINDS.has(kind)) return { kind, parts: [rest] }
  // Audit keys are <at>/<nonce>; the others <document id>/<sub-id>, and document ids hold no '/'.
  const cut = kind === 'audit' ? rest.lastIndexOf('/') : rest.indexOf('/')
  if (cut <= 0 || cut === rest.length - 1) return undefined
  return { kind, parts: [rest.slice(0, cut), rest.slice(cut + 1)] }
}

/** The clock in a log or deletion key's last part (13 hex digits). */
export const parseClock = (part: string) => (/^[0-9a-f]{13}$/.test(part) ? Number.parseInt(part, 16) : Number.NaN)
