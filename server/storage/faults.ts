import { existsSync } from 'node:fs'
import type { Storage } from './types.js'

/** The error a write fails with while faults are injected. */
export class InjectedFault extends Error {
  constructor() {
    super('injected storage write failure')
    this.name = 'InjectedFault'
  }
}

const WRITES: ReadonlySet<PropertyKey> = new Set<keyof Storage>([
  'createDocument',
  'updateDocument',
  'appendUpdates',
  'writeUpdates',
  'syncLog',
  'compactDocument',
  'putSetting',
  'putUser',
  'deleteUser',
  'putRevocation',
  'deleteRevocation',
  'putThread',
  'putSnapshot',
  'putNotifications',
  'pruneNotifications',
  'appendAudit',
  'pruneAudit',
])

/**
 * Wraps a storage so that every write fails while `controlFile` exists: a failing disk beneath the
 * storage interface, around the real LevelDB, for the fault tests (tests run as root, so file
 * permissions cannot make a disk fail). Reads are untouched. Enabled only by FAULT_INJECTION_FILE.
 */
export function withInjectedFaults(storage: Storage, controlFile: string): Storage {
  return new Proxy(storage, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target)
      if (typeof value !== 'function') return value
      const method = (value as (...args: unknown[]) => unknown).bind(target)
      if (!WRITES.has(property)) return method
      return async (...args: unknown[]) => {
        if (existsSync(controlFile)) throw new InjectedFault()
        return method(...args)
      }
    },
  })
}
