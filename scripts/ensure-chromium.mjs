// The browser tests drive Debian's Chromium. Install it when it is missing and we may (root);
// otherwise stop with one line saying how.
import { execSync } from 'node:child_process'
import { existsSync } from 'node:fs'

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium'

if (!existsSync(CHROMIUM)) {
  if (process.getuid?.() !== 0) {
    console.error(`Chromium is missing at ${CHROMIUM}: run "sudo apt-get install -y chromium" (or set CHROMIUM_PATH), then npm test again.`)
    process.exit(1)
  }
  console.error('Chromium is missing: installing it with apt-get…')
  try {
    execSync('apt-get install -y chromium', { stdio: 'inherit' })
  } catch {
    execSync('apt-get update && apt-get install -y chromium', { stdio: 'inherit' })
  }
}
