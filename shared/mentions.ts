/**
 * @mentions in comments: "@rina" names the account "rina". The text keeps the words as typed; the
 * server stores the usernames it found (`CommentMessage.mentions`) and notifies those people.
 */

/** The characters of a username (`USERNAME` in server/auth/accounts.ts), after its first. */
const NAME_CHAR = /[a-z0-9._-]/i
/** An "@" starts a mention at the start of the text or after a character that cannot end a word or an e-mail address. */
const MENTION = /(?<![\p{L}\p{N}._@-])@([a-z0-9][a-z0-9._-]{0,31})/giu

/** Most mentions one message may notify: more is a broadcast, not a mention. */
export const MAX_MENTIONS = 20

/**
 * The usernames `text` mentions, lower case, once each, in order of first mention, at most
 * `MAX_MENTIONS`. A trailing "." or "-" ends the sentence, not the name ("… @rina." is "rina").
 * Whether an account of that name exists is for the caller to check.
 */
export function mentionedUsernames(text: string): string[] {
  const found = new Set<string>()
  for (const match of text.matchAll(MENTION)) {
    const name = match[1]!.toLowerCase().replace(/[.-]+$/, '')
    if (name.length >= 2) found.add(name)
    if (found.size === MAX_MENTIONS) break
  }
  return [...found]
}

/** The mention being typed at `caret`: where its "@" is and the letters typed after it; null when the caret is in none. */
export function mentionAt(text: string, caret: number): { readonly start: number; readonly query: string } | null {
  let start = caret
  while (start > 0 && NAME_CHAR.test(text[start - 1]!)) start--
  if (start === 0 || text[start - 1] !== '@') return null
  const at = start - 1
  if (at > 0 && /[\p{L}\p{N}._@-]/u.test(text[at - 1]!)) return null
  const query = text.slice(start, caret)
  return query.length > 32 ? null : { start: at, query }
}

/** `text` with the mention typed from `start` to `caret` completed to `@username `, and the caret after it. */
export function completeMention(text: string, start: number, caret: number, username: string): { readonly text: string; readonly caret: number } {
  const inserted = `@${username} `
  const rest = text.slice(caret).replace(/^\S*\s?/, '')
  return { text: text.slice(0, start) + inserted + rest, caret: start + inserted.length }
}

/** `text` in pieces, each "@username" of `mentions` (as stored with the message) a piece of its own, for display. */
export function splitMentions(text: string, mentions: readonly string[] = []): Array<{ readonly text: string; readonly mention: boolean }> {
  const pieces: Array<{ text: string; mention: boolean }> = []
  let from = 0
  for (const match of text.matchAll(MENTION)) {
    const name = match[1]!.toLowerCase().replace(/[.-]+$/, '')
    if (!mentions.includes(name)) continue
    const start = match.index
    const end = start + 1 + name.length
    if (start > from) pieces.push({ text: text.slice(from, start), mention: false })
    pieces.push({ text: text.slice(start, end), mention: true })
    from = end
  }
  if (from < text.length) pieces.push({ text: text.slice(from), mention: false })
  return pieces
}
