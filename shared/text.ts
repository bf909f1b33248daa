/**
 * What counts as text in Rancang, at every entry (typing, paste, import, the API, the collaboration
 * socket) and every exit (the exports). Not text:
 * - C0 control characters other than tab, line feed and carriage return, DEL, and the C1 controls:
 *   nobody types them, XML 1.0 forbids the C0 ones and discourages the rest, Word rejects them;
 * - the non-characters U+FDD0–U+FDEF and U+xxFFFE/U+xxFFFF of every plane, which XML forbids
 *   (U+FFFE, U+FFFF) or reserves for a program's internal use;
 * - a UTF-16 surrogate without its pair: not a character at all, and no XML or DOCX can hold it.
 */
const UNPRINTABLE =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufdd0-\ufdef\ufffe\uffff]|[\ud83f\ud87f\ud8bf\ud8ff\ud93f\ud97f\ud9bf\ud9ff\uda3f\uda7f\udabf\udaff\udb3f\udb7f\udbbf\udbff][\udffe\udfff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/

const UNPRINTABLE_ALL = new RegExp(UNPRINTABLE.source, 'g')

/** Whether text holds something that is not text (then refuse it: it was sent, not typed). */
export const hasUnprintable = (text: string): boolean => UNPRINTABLE.test(text)

/** Where `text` holds what is not text, as [from, to) offsets in order: to remove it in place. */
export function findUnprintable(text: string): Array<{ from: number; to: number }> {
  if (!hasUnprintable(text)) return []
  return [...text.matchAll(UNPRINTABLE_ALL)].map((match) => ({ from: match.index, to: match.index + match[0].length }))
}

/** The text without what is not text: for text taken from a file, a paste, or old stored data. */
export const withoutUnprintable = (text: string): string => (hasUnprintable(text) ? text.replace(UNPRINTABLE_ALL, '') : text)
