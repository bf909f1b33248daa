/** Roles, from most to least privileged. The server enforces them; the client only reflects them. */
export const ROLES = ['admin', 'editor', 'commenter', 'viewer'] as const
export type Role = (typeof ROLES)[number]

export const isRole = (value: unknown): value is Role => typeof value === 'string' && (ROLES as readonly string[]).includes(value)

/** Who someone is, as every client may see it (never a password or hash). */
export interface User {
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
