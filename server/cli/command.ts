import { parseArgs } from 'node:util'
import { resolve } from 'node:path'

/** Wrong use of a command: its message and the usage go to stderr, exit 2. */
export class UsageError extends Error {}

/**
 * The one file a command takes (`npm run backup -- <file>`), resolved; null once `--help` has
 * printed `usage`. Anything else is a UsageError (`missing` when there is not exactly one file).
 */
export function fileArgument(argv: string[], usage: string, missing: string): string | null {
  let parsed
  try {
    parsed = parseArgs({ args: argv, options: { help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true })
  } catch (error) {
    throw new UsageError((error as Error).message)
  }
  if (parsed.values.help) {
    process.stdout.write(`${usage}\n`)
    return null
  }
  if (parsed.positionals.length !== 1) throw new UsageError(missing)
  return resolve(parsed.positionals[0]!)
}

/** Runs a command and exits with its code: 2 with the usage for a UsageError, 1 with `failure(error)` for anything else. */
export function runCommand(command: Promise<number>, usage: string, failure: (error: unknown) => string): void {
  command.then(
    (code) => process.exit(code),
    (error: unknown) => {
      if (error instanceof UsageError) {
        process.stderr.write(`${error.message}\n\n${usage}\n`)
        process.exit(2)
      }
      process.stderr.write(`${failure(error)}\n`)
      process.exit(1)
    },
  )
}
