// Builds client and server when any source is newer than the last build, so `npm start` and
// `npm run users` work on a fresh clone and after a `git pull` without a separate build step.
import { execSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

const STAMP = 'dist/.build-stamp'
const SOURCES = ['client', 'server', 'shared', 'package-lock.json', 'vite.config.ts', 'tsconfig.json', 'tsconfig.build.json']

function newest(path) {
  if (!existsSync(path)) return 0
  const stat = statSync(path)
  if (!stat.isDirectory()) return stat.mtimeMs
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newest(join(path, name))))
}

const built = existsSync(STAMP) ? statSync(STAMP).mtimeMs : 0
if (Math.max(...SOURCES.map(newest)) > built) {
  process.stderr.write('Building Rancang (client and server)…\n')
  execSync('npm run build --silent', { stdio: ['ignore', 'ignore', 'inherit'] })
}
