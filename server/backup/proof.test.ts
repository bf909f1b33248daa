import { describe, expect, it } from 'vitest'
import { createBackupProof, verifyBackupProof } from './proof.js'

const secret = new Uint8Array(32).fill(3)
const other = new Uint8Array(32).fill(4)
const now = Date.parse('2026-01-31T10:15:00Z')

describe('backup proof', () => {
  it('accepts a proof made with the secret within a minute', () => {
    expect(verifyBackupProof(secret, createBackupProof(secret, now), now)).toBe(true)
    expect(verifyBackupProof(secret, createBackupProof(secret, now - 59_000), now)).toBe(true)
  })

  it('refuses a proof made with another secret, too old or from the future, altered, or missing', () => {
    expect(verifyBackupProof(secret, createBackupProof(other, now), now)).toBe(false)
    expect(verifyBackupProof(secret, createBackupProof(secret, now - 61_000), now)).toBe(false)
    expect(verifyBackupProof(secret, createBackupProof(secret, now + 61_000), now)).toBe(false)
    const proof = createBackupProof(secret, now)
    expect(verifyBackupProof(secret, proof.replace(String(now), String(now + 1)), now)).toBe(false)
    expect(verifyBackupProof(secret, undefined, now)).toBe(false)
    expect(verifyBackupProof(secret, 'garbage', now)).toBe(false)
  })
})
