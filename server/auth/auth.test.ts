import { describe, expect, it } from 'vitest'
import { MemoryStorage } from '../storage/memory.js'
import { Accounts } from './accounts.js'
import { Refusal } from '../refusal.js'
import { hashPassword, passwordWeakness, verifyPassword } from './passwords.js'
import { LoginThrottle, type LoginAttempt } from './throttle.js'
import { TokenError, Tokens, newSessionId } from './tokens.js'
import { LoginRefused, Sessions } from './sessions.js'
import type { UserRecord } from '../storage/types.js'

const secret = new Uint8Array(32).fill(7)
const account = { username: 'sari', name: 'Sari Dewi', bidang: 'Bidang APTIKA', role: 'editor' as const, password: 'kopi-susu-pagi' }

describe('passwords', () => {
  it('hashes with a per-user salt and verifies only the right password', async () => {
    const a = await hashPassword('rahasia-sekali-1')
    const b = await hashPassword('rahasia-sekali-1')
    expect(a).not.toBe(b)
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$/)
    expect(await verifyPassword('rahasia-sekali-1', a)).toBe(true)
    expect(await verifyPassword('rahasia-sekali-2', a)).toBe(false)
    expect(await verifyPassword('x', 'garbage')).toBe(false)
  })

  it('names why a password is weak', () => {
    expect(passwordWeakness('pendek', 'sari')).toMatch(/minimal 10/)
    expect(passwordWeakness('aaaaaaaaaaaa', 'sari')).toMatch(/mudah ditebak/)
    expect(passwordWeakness('sari-2026-kopi', 'sari')).toMatch(/nama pengguna/)
    expect(passwordWeakness('kopi-susu-pagi', 'sari')).toBeNull()
  })
})

describe('accounts', () => {
  it('adds, updates and removes accounts with clear refusals', async () => {
    const accounts = new Accounts(new MemoryStorage())
    expect(await accounts.add(account)).toEqual({
      id: expect.any(String),
      username: 'sari',
      name: 'Sari Dewi',
      bidang: 'Bidang APTIKA',
      role: 'editor',
    })
    await expect(accounts.add(account)).rejects.toMatchObject({ kind: 'conflict', message: expect.stringMatching(/sudah dipakai/) })
    await expect(accounts.add({ ...account, username: 'budi', role: 'ketua' as never })).rejects.toMatchObject({
      kind: 'invalid',
      message: expect.stringMatching(/Peran tidak dikenal/),
    })
    await expect(accounts.add({ ...account, username: 'budi', password: 'lemah' })).rejects.toMatchObject({
      kind: 'invalid',
      message: expect.stringMatching(/sandi/i),
    })
    await expect(accounts.add({ ...account, username: 'Bad Name!' })).rejects.toBeInstanceOf(Refusal)
    await expect(accounts.update('tidakada', { role: 'viewer' })).rejects.toMatchObject({ kind: 'not-found' })
    expect((await accounts.update('sari', { role: 'viewer' })).role).toBe('viewer')
    await accounts.remove('sari')
    expect(await accounts.list()).toEqual([])
  })

  it('always keeps an admin', async () => {
    const accounts = new Accounts(new MemoryStorage())
    const initial = await accounts.ensureInitialAdmin()
    expect(initial?.username).toBe('admin')
    expect(await accounts.ensureInitialAdmin()).toBeNull()
    await expect(accounts.update('admin', { role: 'editor' })).rejects.toMatchObject({
      kind: 'conflict',
      message: expect.stringMatching(/sedikitnya satu admin/),
    })
    await expect(accounts.remove('admin')).rejects.toMatchObject({ kind: 'conflict', message: expect.stringMatching(/sedikitnya satu admin/) })
  })

  it('notifies listeners of changes and removals', async () => {
    const accounts = new Accounts(new MemoryStorage())
    const { id } = await accounts.add(account)
    const seen: Array<[string, string | null]> = []
    accounts.onChange((accountId, user) => seen.push([accountId, user?.role ?? null]))
    await accounts.update('sari', { role: 'commenter' })
    await accounts.remove('sari')
    expect(seen).toEqual([
      [id, 'commenter'],
      [id, null],
    ])
  })
})

describe('sessions', () => {
  async function setup(perUsername = 3, perAddress = 100) {
    const storage = new MemoryStorage()
    const accounts = new Accounts(storage)
    await accounts.add(account)
    const tokens = await Tokens.open(secret, 3600, storage)
    const sessions = new Sessions(accounts, tokens, new LoginThrottle({ perUsername, perAddress, windowMs: 60_000 }), storage)
    return { storage, accounts, tokens, sessions }
  }

  it('signs in, authenticates the token with the current role, and signs out', async () => {
    const { accounts, sessions } = await setup()
    const issued = await sessions.login('sari', 'kopi-susu-pagi', '10.0.0.1')
    expect(issued.user.role).toBe('editor')
    await accounts.update('sari', { role: 'viewer' })
    const session = await sessions.authenticate(issued.token)
    expect(session.user.role).toBe('viewer')
    await sessions.logout(session, '10.0.0.1')
    await expect(sessions.authenticate(issued.token)).rejects.toBeInstanceOf(TokenError)
  })

  it('ends every session when the password changes or the account is removed and re-created', async () => {
    const { accounts, sessions } = await setup()
    const first = await sessions.login('sari', 'kopi-susu-pagi', '10.0.0.1')
    await accounts.update('sari', { password: 'teh-manis-sore' })
    await expect(sessions.authenticate(first.token)).rejects.toBeInstanceOf(TokenError)
    const second = await sessions.login('sari', 'teh-manis-sore', '10.0.0.1')
    await accounts.remove('sari')
    await accounts.add(account)
    await expect(sessions.authenticate(second.token)).rejects.toBeInstanceOf(TokenError)
  })

  it('refuses tampered, foreign and missing tokens', async () => {
    const { storage, sessions } = await setup()
    const issued = await sessions.login('sari', 'kopi-susu-pagi', '10.0.0.1')
    const [header, payload, signature] = issued.token.split('.')
    const forgedPayload = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), sub: 'admin' })).toString(
      'base64url',
    )
    await expect(sessions.authenticate(`${header}.${forgedPayload}.${signature}`)).rejects.toBeInstanceOf(TokenError)
    const other = await Tokens.open(new Uint8Array(32).fill(9), 3600, storage)
    const foreign = await other.issue((await storage.getUser('sari'))!, newSessionId())
    await expect(sessions.authenticate(foreign.token)).rejects.toBeInstanceOf(TokenError)
    await expect(sessions.authenticate(null)).rejects.toBeInstanceOf(TokenError)
    await expect(sessions.authenticate('not.a.jwt')).rejects.toBeInstanceOf(TokenError)
  })

  it('throttles repeated failures per username and then lets a later attempt through', async () => {
    const { sessions } = await setup(2)
    await expect(sessions.login('sari', 'salah-1', '10.0.0.1')).rejects.toMatchObject({ retryAfterSeconds: 0 })
    await expect(sessions.login('sari', 'salah-2', '10.0.0.2')).rejects.toMatchObject({ retryAfterSeconds: 0 })
    await expect(sessions.login('sari', 'kopi-susu-pagi', '10.0.0.3')).rejects.toMatchObject({ retryAfterSeconds: expect.any(Number) })
    let now = 0
    const throttle = new LoginThrottle({ perUsername: 2, perAddress: 100, windowMs: 1000, now: () => now })
    admitted(await throttle.reserve('sari', 'a')).fail()
    now = 10
    admitted(await throttle.reserve('sari', 'a')).fail()
    now = 20
    expect(await throttle.reserve('sari', 'b')).toEqual({ retryAfterSeconds: 1 })
    now = 1001
    expect(await throttle.reserve('sari', 'b')).not.toHaveProperty('retryAfterSeconds')
  })

  it('signs in thirty parallel wrong passwords for one account with exactly as many checks as the limit allows', async () => {
    const { sessions } = await setup(5)
    const outcomes = await Promise.allSettled(Array.from({ length: 30 }, (_, i) => sessions.login('sari', `salah-${i}`, `10.0.1.${i}`)))
    const delays = outcomes.map((o) => (o.status === 'rejected' ? (o.reason as LoginRefused).retryAfterSeconds : -1))
    expect(delays.filter((d) => d === 0)).toHaveLength(5)
    expect(delays.filter((d) => d > 0)).toHaveLength(25)
  })

  it('keeps one throttle per account however the username is spelt', async () => {
    const { sessions } = await setup(2)
    await expect(sessions.login('sari', 'salah-1', '10.0.0.1')).rejects.toMatchObject({ retryAfterSeconds: 0 })
    await expect(sessions.login('SARI', 'salah-2', '10.0.0.1')).rejects.toMatchObject({ retryAfterSeconds: 0 })
    await expect(sessions.login(' sari ', 'kopi-susu-pagi', '10.0.0.1')).rejects.toMatchObject({ retryAfterSeconds: expect.any(Number) })
    await expect(sessions.login('\tSari\n', 'kopi-susu-pagi', '10.0.0.1')).rejects.toMatchObject({ retryAfterSeconds: expect.any(Number) })
  })

  it('frees the slot of an attempt that succeeds and forgives settled failures, but not attempts still in flight', async () => {
    const throttle = new LoginThrottle({ perUsername: 3, perAddress: 3, windowMs: 60_000 })
    admitted(await throttle.reserve('sari', 'a')).fail()
    const inFlight = admitted(await throttle.reserve('sari', 'a'))
    admitted(await throttle.reserve('sari', 'a')).succeed()
    // Left: the in-flight attempt on the username; the settled failure and the in-flight one on the address.
    admitted(await throttle.reserve('sari', 'b')).fail()
    admitted(await throttle.reserve('sari', 'c')).fail()
    inFlight.fail()
    expect(await throttle.reserve('sari', 'd')).toHaveProperty('retryAfterSeconds')
    admitted(await throttle.reserve('andi', 'a')).fail()
    expect(await throttle.reserve('budi', 'a')).toHaveProperty('retryAfterSeconds')
  })

  it('makes an attempt wait while every slot is held by attempts being checked, then admits it when one succeeds or refuses it when they fail', async () => {
    const throttle = new LoginThrottle({ perUsername: 2, perAddress: 100, windowMs: 60_000 })
    const first = admitted(await throttle.reserve('sari', 'a'))
    const second = admitted(await throttle.reserve('sari', 'a'))
    let third: Awaited<ReturnType<LoginThrottle['reserve']>> | undefined
    const waiting = throttle.reserve('sari', 'a').then((r) => (third = r))
    await Promise.resolve()
    expect(third).toBeUndefined()
    first.succeed()
    admitted(await waiting).fail()
    second.fail()
    expect(await throttle.reserve('sari', 'a')).toHaveProperty('retryAfterSeconds')
  })

  it('lets in every one of seven parallel right passwords from one address whose limit is three', async () => {
    const { sessions } = await setup(3, 3)
    const outcomes = await Promise.allSettled(Array.from({ length: 7 }, () => sessions.login('sari', 'kopi-susu-pagi', '10.0.0.9')))
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(7)
  }, 30_000)

  it('keeps the sign-in across refreshes: logging out with a refreshed token also ends the token it was refreshed from', async () => {
    const { sessions } = await setup()
    const first = await sessions.login('sari', 'kopi-susu-pagi', '10.0.0.1')
    const other = await sessions.login('sari', 'kopi-susu-pagi', '10.0.0.2')
    const refreshed = await sessions.refresh(await sessions.authenticate(first.token))
    expect(refreshed.token).not.toBe(first.token)
    await sessions.logout(await sessions.authenticate(refreshed.token), '10.0.0.1')
    await expect(sessions.authenticate(first.token)).rejects.toBeInstanceOf(TokenError)
    await expect(sessions.authenticate(refreshed.token)).rejects.toBeInstanceOf(TokenError)
    await expect(sessions.authenticate(other.token)).resolves.toMatchObject({ user: { username: 'sari' } })
  })

  it('signs out of every device: every session of the account ends, other accounts keep theirs, and a new sign-in works', async () => {
    const { accounts, sessions } = await setup()
    await accounts.add({ ...account, username: 'andi' })
    const here = await sessions.login('sari', 'kopi-susu-pagi', '10.0.0.1')
    const there = await sessions.login('sari', 'kopi-susu-pagi', '10.0.0.2')
    const andi = await sessions.login('andi', 'kopi-susu-pagi', '10.0.0.3')
    const ended: unknown[] = []
    sessions.onLogout((payload) => ended.push(payload))
    // Checked just before the logout, refreshed just after: the refresh must not outlive it.
    const refreshing = await sessions.authenticate(there.token)
    await sessions.logout(await sessions.authenticate(here.token), '10.0.0.1', true)
    await expect(sessions.refresh(refreshing)).rejects.toBeInstanceOf(TokenError)
    await expect(sessions.authenticate(here.token)).rejects.toBeInstanceOf(TokenError)
    await expect(sessions.authenticate(there.token)).rejects.toBeInstanceOf(TokenError)
    await expect(sessions.authenticate(andi.token)).resolves.toMatchObject({ user: { username: 'andi' } })
    expect(ended).toEqual([{ accountId: here.user.id }])
    await expect(sessions.login('sari', 'kopi-susu-pagi', '10.0.0.1')).resolves.toMatchObject({ user: { username: 'sari' } })
  })
})

describe('account ids', () => {
  it('gives each account a random id that stays through changes, and a re-created account a new one', async () => {
    const storage = new MemoryStorage()
    const accounts = new Accounts(storage)
    const first = await accounts.add(account)
    expect(first.id).toMatch(/^[A-Za-z0-9_-]{16}$/)
    expect((await accounts.update('sari', { role: 'viewer' })).id).toBe(first.id)
    await accounts.remove('sari')
    expect((await accounts.add(account)).id).not.toBe(first.id)
  })

  it('gives accounts stored without an id one on start, once, and keeps it', async () => {
    const storage = new MemoryStorage()
    const accounts = new Accounts(storage)
    await accounts.add(account)
    const { id: _id, ...legacy } = (await storage.getUser('sari'))!
    await storage.putUser(legacy as UserRecord)
    expect(await accounts.assignMissingIds()).toBe(1)
    const given = (await storage.getUser('sari'))!.id
    expect(given).toMatch(/^[A-Za-z0-9_-]{16}$/)
    expect(await accounts.assignMissingIds()).toBe(0)
    expect((await storage.getUser('sari'))!.id).toBe(given)
  })
})

/** The attempt, failing the test if the throttle refused it. */
function admitted(reservation: Awaited<ReturnType<LoginThrottle['reserve']>>): LoginAttempt {
  if ('retryAfterSeconds' in reservation) throw new Error(`throttled for ${reservation.retryAfterSeconds} s`)
  return reservation
}
