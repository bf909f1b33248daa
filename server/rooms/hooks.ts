import type { Author } from '../../shared/accounts.js'
import type { Room } from './room.js'
import type { Rooms } from './rooms.js'

/**
 * How features (versions, agreement, and soon suggestions) plug into the rooms, in the manner of
 * Hocuspocus extensions: `Rooms` takes a list of extensions and runs each hook on them in that
 * order. A hook sees a change after it is stored, so it cannot undo it: an error it throws (or a
 * promise it rejects) is logged with the extension's name and the other extensions still run.
 * Hooks are added here when a feature first needs one, with a `<hook>Payload` type each.
 */
export interface Extension {
  /** For the log, e.g. "agreement". */
  readonly name: string
  /** After a change to a document is stored and applied. */
  onUpdateStored?(payload: onUpdateStoredPayload): void | Promise<void>
  /**
   * After a document was unloaded, or dropped because another server took it over: what the
   * feature kept of it in memory is no longer kept current here (see keptWhileOpen.ts).
   */
  onUnloaded?(docId: string): void
}

export interface onUpdateStoredPayload {
  readonly room: Room
  readonly author: Author
  /** Made by the server (a restore), not typed by a client. */
  readonly byServer: boolean
  /** Pasal whose text changed. */
  readonly pasalIds: ReadonlySet<string>
}

/**
 * What features need of the open documents besides hooks: a document loaded for a task (a
 * restore, a lookup), or the room of one that is open (to push a change to its connections).
 */
export type RoomAccess = Pick<Rooms, 'with' | 'peek'>
