// The tests need three programs from Debian: Chromium (browser tests), xmllint (validating the
// Akoma Ntoso export against the official schema) and nginx (the shipped reverse-proxy site, run in
// front of the server). Install what is missing when we may (root); otherwise stop with one line
// saying how.
import { execSync } from 'node:child_process'
import { existsSync } from 'node:fs'

const tools = [
  { path: process.env.CHROMIUM_PATH || '/usr/bin/chromium', pkg: 'chromium' },
  { path: '/usr/bin/xmllint', pkg: 'libxml2-utils' },
  { path: '/usr/sbin/nginx', pkg: 'nginx-light' },
  { path: '/usr/bin/openssl', pkg: 'openssl' },
]
const missing = tools.filter((tool) => !existsSync(tool.path))

if (missing.length > 0) {
  const packages = missing.map((tool) => tool.pkg).join(' ')
  if (process.getuid?.() !== 0) {
    console.error(`Missing ${missing.map((t) => t.path).join(' and ')}: run "sudo apt-get install -y ${packages}", then npm test again.`)
    process.exit(1)
  }
  console.error(`Installing ${packages} with apt-get…`)
  try {
    execSync(`apt-get install -y ${packages}`, { stdio: 'inherit' })
  } catch {
    execSync(`apt-get update && apt-get install -y ${packages}`, { stdio: 'inherit' })
  }
}
