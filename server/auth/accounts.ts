import { randomBytes } from 'node:crypto'
import { ROLES, isRole, normaliseUsername, type AccountChanges, type NewAccount, type Role, type User } from '../../shared/accounts.js'
import type { UserRecord, UserStorage } from '../storage/types.js'
import { audited, type AuditAction, type AuditOrigin } from '../../shared/audit.js'
import { decoyHash, hashPassword, passwordWeakness, randomPassword, verifyPassword } from './passwords.js'
import { hasUnprintable } from '../../shared/text.js'
import { Refusal } from '../refusal.js'

/** Lower-case letters, digits and . _ - ; 2–32 characters, starting with a letter or digit. */
export const USERNAME = /^[a-z0-9][a-z0-9._-]{1,31}$/
const MAX_TEXT = 80

/** Called after an account (by id) changed (`user`) or was removed (`null`). */
export type AccountListener = (id: string, user: User | null) => void

export const publicUser = (record: UserRecord): User => ({
  id: record.id,
  username: record.username,
  name: record.name,
  bidang: record.bidang,
  role: record.role,
})

const newSessionKey = () => randomBytes(12).toString('base64url')
const newAccountId = () => randomBytes(12).toString('base64url')

function cleanText(value: unknown, what: string): string {
  if (typeof value !== 'string') throw new Refusal('invalid', `${what} wajib diisi.`)
  const text = value.normalize('NFC').replace(/\s+/g, ' ').trim()
  if (!text) throw new Refusal('invalid', `${what} wajib diisi.`)
  if (text.length > MAX_TEXT) throw new Refusal('invalid', `${what} paling panjang ${MAX_TEXT} karakter.`)
  if (hasUnprintable(text)) throw new Refusal('invalid', `${what} memuat karakter yang tidak diizinkan.`)
  return text
}

function checkRole(role: unknown): Role {
  if (!isRole(role)) throw new Refusal('invalid', `Peran tidak dikenal: ${String(role)}. Pilih salah satu: ${ROLES.join(', ')}.`)
  return role
}

function checkPassword(password: unknown, username: string): string {
  if (typeof password !== 'string') throw new Refusal('invalid', 'Kata sandi wajib diisi.')
  const weakness = passwordWeakness(password, username)
  if (weakness) throw new Refusal('invalid', weakness)
  return password
}

/**
 * How an account update reads in the log: a password change on its own is `account.password`;
 * anything else is `account.changed` with the fields that changed (never the password itself).
 */
function describeChange(before: UserRecord, after: UserRecord): [AuditAction, string, string] {
  const changed = [
    before.role !== after.role ? `peran: ${before.role} → ${after.role}` : null,
    before.name !== after.name ? `nama: ${before.name} → ${after.name}` : null,
    before.bidang !== after.bidang ? `bidang: ${before.bidang} → ${after.bidang}` : null,
  ].filter((part) => part !== null)
  const password = before.password !== after.password
  if (changed.length === 0 && password) return ['account.password', after.username, 'kata sandi diganti']
  return ['account.changed', after.username, [...changed, ...(password ? ['kata sandi diganti'] : [])].join('; ')]
}

/** The accounts: validation, hashing and change notification on top of `UserStorage`. */
export class Accounts {
  readonly #storage: UserStorage
  readonly #listeners = new Set<AccountListener>()

  constructor(storage: UserStorage) {
    this.#storage = storage
  }

  onChange(listener: AccountListener): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  async list(): Promise<User[]> {
    return (await this.#storage.listUsers()).map(publicUser)
  }

  get(username: string): Promise<UserRecord | undefined> {
    return this.#storage.getUser(normaliseUsername(username))
  }

  /**
   * Gives every account stored before accounts had ids a stable random one, persisted; returns
   * how many it gave. Run at start, before anything reads an account's id.
   */
  async assignMissingIds(): Promise<number> {
    const missing = (await this.#storage.listUsers()).filter((record) => !record.id)
    for (const record of missing) await this.#storage.putUser({ ...record, id: newAccountId() })
    return missing.length
  }

  /** `origin`: who asked, recorded in the audit log with the change (none for the server's own). */
  async add(account: NewAccount, origin?: AuditOrigin): Promise<User> {
    const username = typeof account.username === 'string' ? normaliseUsername(account.username) : ''
    if (!USERNAME.test(username)) {
      throw new Refusal('invalid', 'Nama pengguna harus 2–32 karakter: huruf kecil, angka, titik, garis bawah atau tanda hubung.')
    }
    const name = cleanText(account.name, 'Nama')
    const bidang = cleanText(account.bidang, 'Bidang')
    const role = checkRole(account.role)
    const password = checkPassword(account.password, username)
    if (await this.#storage.getUser(username)) throw new Refusal('conflict', `Nama pengguna "${username}" sudah dipakai.`)
    const now = new Date().toISOString()
    const record: UserRecord = {
      id: newAccountId(),
      username,
      name,
      bidang,
      role,
      password: await hashPassword(password),
      sessionKey: newSessionKey(),
      createdAt: now,
      updatedAt: now,
    }
    await this.#storage.putUser(record, audited(origin, 'account.created', username, `peran: ${role}`))
    return publicUser(record)
  }

  async update(username: string, changes: AccountChanges, origin?: AuditOrigin): Promise<User> {
    const current = await this.#require(username)
    const role = changes.role === undefined ? current.role : checkRole(changes.role)
    if (current.role === 'admin' && role !== 'admin') await this.#keepAnAdmin(current.username)
    const next: UserRecord = {
      ...current,
      name: changes.name === undefined ? current.name : cleanText(changes.name, 'Nama'),
      bidang: changes.bidang === undefined ? current.bidang : cleanText(changes.bidang, 'Bidang'),
      role,
      ...(changes.password === undefined
        ? {}
        : { password: await hashPassword(checkPassword(changes.password, current.username)), sessionKey: newSessionKey() }),
      updatedAt: new Date().toISOString(),
    }
    await this.#storage.putUser(next, audited(origin, ...describeChange(current, next)))
    const user = publicUser(next)
    this.#emit(next.id, user)
    return user
  }

  /**
   * Ends every session of the account ("Keluar dari semua perangkat"): a new session key makes
   * every token issued before it fail. Returns the account, or undefined if it is gone.
   */
  async endSessions(username: string, origin?: AuditOrigin): Promise<UserRecord | undefined> {
    const current = await this.get(username)
    if (!current) return undefined
    const next: UserRecord = { ...current, sessionKey: newSessionKey(), updatedAt: new Date().toISOString() }
    await this.#storage.putUser(next, audited(origin, 'logout.all', current.username))
    return next
  }

  async remove(username: string, origin?: AuditOrigin): Promise<void> {
    const current = await this.#require(username)
    if (current.role === 'admin') await this.#keepAnAdmin(current.username)
    await this.#storage.deleteUser(current.username, audited(origin, 'account.removed', current.username))
    this.#emit(current.id, null)
  }

  /** The account for these credentials, or null. Takes as long for unknown users as for wrong passwords. */
  async authenticate(username: unknown, password: unknown): Promise<UserRecord | null> {
    if (typeof username !== 'string' || typeof password !== 'string') return null
    const name = normaliseUsername(username)
    const record = USERNAME.test(name) ? await this.#storage.getUser(name) : undefined
    const ok = await verifyPassword(password, record?.password ?? (await decoyHash()))
    return ok && record ? record : null
  }

  /**
   * On a server with no accounts, creates `admin` with a random password and returns it (to be
   * printed once). Returns null when accounts exist.
   */
  async ensureInitialAdmin(): Promise<{ username: string; password: string } | null> {
    if ((await this.#storage.listUsers()).length > 0) return null
    const password = randomPassword()
    await this.add({ username: 'admin', name: 'Administrator', bidang: 'Sekretariat', role: 'admin', password })
    return { username: 'admin', password }
  }

  async #require(username: string): Promise<UserRecord> {
    const record = await this.get(username)
    if (!record) throw new Refusal('not-found', `Pengguna "${username}" tidak ditemukan.`)
    return record
  }

  async #keepAnAdmin(leaving: string) {
    const admins = (await this.#storage.listUsers()).filter((u) => u.role === 'admin' && u.username !== leaving)
    if (admins.length === 0) throw new Refusal('conflict', 'Harus ada sedikitnya satu admin: tunjuk admin lain terlebih dahulu.')
  }

  #emit(id: string, user: User | null) {
    for (const listener of this.#listeners) listener(id, user)
  }
}
