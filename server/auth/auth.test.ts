import { describe, expect, it } from 'vitest'
import { MemoryStorage } from '../storage/memory.js'
import { Accounts } from './accounts.js'
import { Refusal } from '../refusal.js'
import { hashPassword, passwordWeakness, verifyPassword } from './passwords.js'
import { LoginThrottle } from './throttle.js'
import { TokenError, Tokens } from './tokens.js'
import { Sessions } from './sessions.js'

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
    expect(await accounts.add(account)).toEqual({ username: 'sari', name: 'Sari Dewi', bidang: 'Bidang APTIKA', role: 'editor' })
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
    await accounts.add(account)
    const seen: Array<[string, string | null]> = []
    accounts.onChange((username, user) => seen.push([username, user?.role ?? null]))
    await accounts.update('sari', { role: 'commenter' })
    await accounts.remove('sari')
    expect(seen).toEqual([
      ['sari', 'commenter'],
      ['sari', null],
    ])
  })
})

describe('sessions', () => {
  async function setup(perUsername = 3) {
    const storage = new MemoryStorage()
    const accounts = new Accounts(storage)
    await accounts.add(account)
    const tokens = await Tokens.open(secret, 3600, storage)
    const sessions = new Sessions(accounts, tokens, new LoginThrottle({ perUsername, perAddress: 100, windowMs: 60_000 }))
    return { storage, accounts, tokens, sessions }
  }

  it('signs in, authenticates the token with the current role, and signs out', async () => {
    const { accounts, sessions } = await setup()
    const issued = await sessions.login('sari', 'kopi-susu-pagi', '10.0.0.1')
    expect(issued.user.role).toBe('editor')
    await accounts.update('sari', { role: 'viewer' })
    const session = await sessions.authenticate(issued.token)
    expect(session.user.role).toBe('viewer')
    await sessions.logout(session)
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
    const foreign = await other.issue((await storage.getUser('sari'))!)
    await expect(sessions.authenticate(foreign.token)).rejects.toBeInstanceOf(TokenError)
    await expect(sessions.authenticate(null)).rejects.toBeInstanceOf(TokenError)
    await expect(sessions.authenticate('not.a.jwt')).rejects.toBeInstanceOf(TokenError)
  })

  it('throttles repeated failures per username and then lets a later attempt through', async () => {
    const { sessions } = await setup(2)
    await expect(sessions.login('sari', 'salah-1', '10.0.0.1')).rejects.toMatchObject({ retryAfterSeconds: 0 })
    await expect(sessions.login('sari', 'salah-2', '10.0.0.2')).rejects.toMatchObject({ retryAfterSeconds: 0 })
    await expect(sessions.login('sari', 'kopi-susu-pagi', '10.0.0.3')).rejects.toMatchObject({ retryAfterSeconds: expect.any(Number) })
    const throttle = new LoginThrottle({ perUsername: 2, perAddress: 100, windowMs: 1000 })
    throttle.fail('sari', 'a', 0)
    throttle.fail('sari', 'a', 10)
    expect(throttle.retryAfter('sari', 'b', 20)).toBe(1)
    expect(throttle.retryAfter('sari', 'b', 1001)).toBe(0)
  })
})
