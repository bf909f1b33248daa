// The tests need these programs from Debian: Chromium (browser tests), xmllint (validating the
// Akoma Ntoso export against the official schema), nginx (the shipped reverse-proxy site, run in
// front of the server), openssl, and PostgreSQL (the storage selected by DATABASE_URL; the tests
// start their own throwaway cluster). Install what is missing when we may (root); otherwise stop
// with one line saying how.
import { execSync } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'

/** Debian installs each PostgreSQL major version under /usr/lib/postgresql/<major>/bin. */
const POSTGRES_VERSIONS = '/usr/lib/postgresql'
const postgresServer = () => {
  const versions = existsSync(POSTGRES_VERSIONS) ? readdirSync(POSTGRES_VERSIONS) : []
  return (
    versions.map((major) => `${POSTGRES_VERSIONS}/${major}/bin/postgres`).find((path) => existsSync(path)) ??
    `${POSTGRES_VERSIONS}/<major>/bin/postgres`
  )
}

const tools = [
  { path: process.env.CHROMIUM_PATH || '/usr/bin/chromium', pkg: 'chromium' },
  { path: '/usr/bin/xmllint', pkg: 'libxml2-utils' },
  { path: '/usr/sbin/nginx', pkg: 'nginx-light' },
  { path: '/usr/bin/openssl', pkg: 'openssl' },
  { path: postgresServer(), pkg: 'postgresql' },
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
