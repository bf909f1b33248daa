import { authorOf, type Author, type User } from '../../shared/accounts.js'

/**
 * Who a tracked change of a Word file is by, as an author of Rancang: the account whose display
 * name Word recorded ("Dewi Lestari", or "Dewi Lestari (Biro Hukum)" as our own export writes it),
 * compared without regard to case and spacing. When no account, or more than one, has that
 * name, an author without an id, so belonging to no account, labelled "<name> (Word)".
 */
export function wordAuthor(name: string, accounts: readonly User[]): Author {
  const key = nameKey(name)
  const matches = accounts.filter(
    (account) => nameKey(account.name) === key || (account.bidang && nameKey(`${account.name} (${account.bidang})`) === key),
  )
  if (matches.length === 1) return authorOf(matches[0]!)
  return { username: '', name: `${name.trim() || 'Tanpa nama'} (Word)`, bidang: '' }
}

const nameKey = (name: string) => name.normalize('NFC').replace(/\s+/g, ' ').trim().toLowerCase()
