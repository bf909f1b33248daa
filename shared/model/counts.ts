import type { Node } from 'prosemirror-model'

/** How long a draft is: its words, Pasal and ayat (every ayat, numbered or the only one of its Pasal). */
export interface DraftCounts {
  readonly words: number
  readonly pasal: number
  readonly ayat: number
}

const WORD = /[\p{L}\p{N}]+(?:[-'’.,/][\p{L}\p{N}]+)*/gu

/** The number of words in `text`: runs of letters and digits ("antar-Perangkat", "2.500" count once). */
export const countWords = (text: string): number => text.match(WORD)?.length ?? 0

/**
 * Counts the stored text of a draft: words of every text block (the lines drawn from the metadata
 * and the words of live references are not stored, so not counted), Pasal, and ayat.
 */
export function countDraft(doc: Node): DraftCounts {
  let words = 0
  let pasal = 0
  let ayat = 0
  doc.descendants((node) => {
    if (node.type.name === 'pasal') pasal += 1
    else if (node.type.name === 'ayat') ayat += 1
    else if (node.isTextblock) {
      words += countWords(node.textContent)
      return false
    }
    return true
  })
  return { words, pasal, ayat }
}
