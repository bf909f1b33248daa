/** Roles, from most to least privileged. The server enforces them; the client only reflects them. */
export const ROLES = ['admin', 'editor', 'commenter', 'viewer'] as const
export type Role = (typeof ROLES)[number]

export const isRole = (value: unknown): value is Role => typeof value === 'string' && (ROLES as readonly string[]).includes(value)

/**
 * The one spelling of a username, used wherever one is compared, stored or looked up (sign-in,
 * account creation, the CLI, the throttle, token checks): NFC, surrounding whitespace trimmed,
 * lower case. `" Rina "` and `"RINA"` are the same account and the same throttle key.
 */
export const normaliseUsername = (value: string): string => value.normalize('NFC').trim().toLowerCase()

/** Who someone is, as every client may see it (never a password or hash). */
export interface User {
  /**
   * Stable and random, given when the account is created. Ownership (who may edit a comment) is
   * by id: an account removed and created again under the same username is a different person.
   */
  readonly id: string
  readonly username: string
  /** Display name, e.g. "Rina Wulandari". */
  readonly name: string
  /** The department (bidang) the person works in, e.g. "Bidang Aplikasi Informatika". */
  readonly bidang: string
  readonly role: Role
}

/** The answer to `POST /api/login` and `POST /api/session`: the bearer token for the API and the socket. */
export interface IssuedSession {
  readonly token: string
  /** Seconds since the epoch. */
  readonly expiresAt: number
  readonly user: User
}

/** The body of `POST /api/users`: a new account with its first password. */
export interface NewAccount {
  readonly username: string
  readonly name: string
  readonly bidang: string
  readonly role: Role
  readonly password: string
}

/** The body of `PATCH /api/users/:username`: only the fields to change. */
export type AccountChanges = Partial<Omit<NewAccount, 'username'>>

/**
 * Who wrote a comment, saved a version, set a status or typed a change, as recorded with it.
 * `id` is missing on records written before accounts had ids and on the server's own versions;
 * such records belong to no account (see `isAuthor`).
 */
export interface Author {
  readonly id?: string
  readonly username: string
  readonly name: string
  readonly bidang: string
}

/** The author fields of an account or another author (never its role or anything else). */
export const authorOf = (person: Author): Author =>
  person.id === undefined
    ? { username: person.username, name: person.name, bidang: person.bidang }
    : { id: person.id, username: person.username, name: person.name, bidang: person.bidang }

/** What tells authors apart: the account id; for records from before accounts had ids, the username. */
export const authorKey = (author: Author): string => author.id ?? `username:${author.username}`

/** Whether `user` wrote what `author` records: by account id, never by username. */
export const isAuthor = (author: Author, user: Pick<User, 'id'>): boolean => author.id !== undefined && author.id === user.id

/** May change the text of a draft. */
export const canEdit = (role: Role) => role === 'admin' || role === 'editor'
/** May open, reply to and resolve comment threads. */
export const canComment = (role: Role) => role !== 'viewer'
/** May manage accounts and documents. */
export const canAdminister = (role: Role) => role === 'admin'

/** Indonesian names of the roles, for the UI. */
export const ROLE_LABELS: Record<Role, string> = {
  admin: 'Admin',
  editor: 'Penyusun',
  commenter: 'Pemberi komentar',
  viewer: 'Pembaca',
}
