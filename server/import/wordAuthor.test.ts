import { describe, expect, it } from 'vitest'
import type { User } from '../../shared/accounts.js'
import { wordAuthor } from './wordAuthor.js'

const account = (id: string, name: string, bidang: string): User => ({ id, username: id, name, bidang, role: 'commenter' })
const ACCOUNTS = [
  account('dewi', 'Dewi Lestari', 'Biro Hukum'),
  account('rina', 'Rina Wulandari', 'Bidang Aplikasi'),
  account('budi1', 'Budi', 'A'),
  account('budi2', 'Budi', 'B'),
]

describe('the author of a tracked change from Word', () => {
  it('is the account whose display name Word recorded, with or without its bidang, whatever the case and spacing', () => {
    expect(wordAuthor('Dewi Lestari', ACCOUNTS)).toEqual({ id: 'dewi', username: 'dewi', name: 'Dewi Lestari', bidang: 'Biro Hukum' })
    expect(wordAuthor('  rina   WULANDARI ', ACCOUNTS)).toMatchObject({ id: 'rina' })
    expect(wordAuthor('Dewi Lestari (Biro Hukum)', ACCOUNTS)).toMatchObject({ id: 'dewi' })
  })

  it('is a label without an account when no account, or more than one, has the name', () => {
    expect(wordAuthor('Sari (Biro Hukum Setda)', ACCOUNTS)).toEqual({ username: '', name: 'Sari (Biro Hukum Setda) (Word)', bidang: '' })
    expect(wordAuthor('Budi', ACCOUNTS)).toEqual({ username: '', name: 'Budi (Word)', bidang: '' })
    expect(wordAuthor('', ACCOUNTS)).toEqual({ username: '', name: 'Tanpa nama (Word)', bidang: '' })
  })
})
