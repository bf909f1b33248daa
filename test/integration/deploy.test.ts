import { afterAll, describe, expect, it } from 'vitest'
import { execFile } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { readConfig } from '../../server/config.js'
import { checkNginx, NGINX_LOCATIONS, NGINX_SITE, prepareNginx } from '../harness/nginx.js'

/**
 * Issue 16: the deployment files in deploy/ are checked by the tools that will read them
 * (`systemd-analyze verify`, `nginx -t`), and agree with the server: the environment the unit sets
 * is a valid configuration, nginx proxies to the port the unit listens on, and nginx accepts
 * exactly the largest body the server does.
 */
const ROOT = resolve(import.meta.dirname, '../..')
const SYSTEMD = join(ROOT, 'deploy/systemd')
const run = promisify(execFile)

type Unit = Record<string, Record<string, string[]>>

/** A systemd unit file as sections of keys, each with every value it was given, in order. */
function readUnit(name: string): Unit {
  const unit: Unit = {}
  let section = ''
  for (const raw of readFileSync(join(SYSTEMD, name), 'utf8').split('\n')) {
    const line = raw.trim()
    if (line === '' || line.startsWith('#')) continue
    const header = /^\[(\w+)\]$/.exec(line)
    if (header) {
      section = header[1]!
      unit[section] = {}
      continue
    }
    const at = line.indexOf('=')
    const key = line.slice(0, at)
    ;(unit[section]![key] ??= []).push(line.slice(at + 1))
  }
  return unit
}

/** The environment `Environment=` lines set (space-separated assignments, no quoting used here). */
const environmentOf = (unit: Unit) =>
  Object.fromEntries((unit.Service!.Environment ?? []).flatMap((line) => line.split(/\s+/)).map((pair) => pair.split('=', 2) as [string, string]))

const one = (unit: Unit, key: string) => unit.Service![key]?.join(' ')

describe('deploy/systemd', () => {
  const service = readUnit('rancang.service')
  const backup = readUnit('rancang-backup.service')
  const timer = readUnit('rancang-backup.timer')

  it('passes systemd-analyze verify without a warning', async (context) => {
    if (!existsSync('/usr/bin/systemd-analyze')) context.skip()
    const units = ['rancang.service', 'rancang-backup.service', 'rancang-backup.timer'].map((name) => join(SYSTEMD, name))
    const { stdout, stderr } = await run('/usr/bin/systemd-analyze', ['verify', ...units])
    expect(`${stdout}${stderr}`).toBe('')
  })

  it('runs the server as its own user, restarted on failure, with state in /var/lib/rancang and the process confined', () => {
    expect(one(service, 'User')).toBe('rancang')
    expect(one(service, 'StateDirectory')).toBe('rancang')
    expect(one(service, 'Restart')).toBe('on-failure')
    expect(one(service, 'ReadWritePaths')).toBe('/var/lib/rancang')
    for (const key of [
      'NoNewPrivileges',
      'ProtectHome',
      'PrivateTmp',
      'PrivateDevices',
      'ProtectKernelTunables',
      'ProtectKernelModules',
      'ProtectKernelLogs',
    ])
      expect(one(service, key), key).toBe('yes')
    expect(one(service, 'ProtectSystem')).toBe('strict')
    expect(one(service, 'CapabilityBoundingSet')).toBe('')
    expect(one(service, 'SystemCallFilter')).toBe('@system-service')
    for (const unit of [service, backup]) expect(one(unit, 'SystemCallErrorNumber'), 'filtered calls fail, not kill').toBe('EPERM')
    expect(one(service, 'RestrictAddressFamilies')?.split(' ').sort()).toEqual(['AF_INET', 'AF_INET6', 'AF_UNIX'])
    // V8's JIT writes executable memory: Node dies under MemoryDenyWriteExecute.
    expect(service.Service).not.toHaveProperty('MemoryDenyWriteExecute')
  })

  it('sets an environment the server accepts: loopback only, nginx trusted, JSON logs, DATA_DIR /var/lib/rancang', () => {
    const env = environmentOf(service)
    expect(env).toMatchObject({ HOST: '127.0.0.1', TRUST_PROXY: '127.0.0.1', LOG_FORMAT: 'json', DATA_DIR: '/var/lib/rancang' })
    const config = readConfig(env, '/opt/rancang')
    expect(config.dataDir).toBe('/var/lib/rancang')
    expect(config.trustedProxies.trusts('127.0.0.1')).toBe(true)
    expect(config.trustedProxies.trusts('10.0.0.1')).toBe(false)
  })

  it('backs up every night with the same PORT, HOST and DATA_DIR as the server, catching up a missed night', () => {
    const server = environmentOf(service)
    const env = environmentOf(backup)
    for (const key of ['PORT', 'HOST', 'DATA_DIR']) expect(env[key], key).toBe(server[key])
    expect(one(backup, 'User')).toBe('rancang')
    expect(one(backup, 'Type')).toBe('oneshot')
    expect(one(backup, 'ExecStart')).toContain('npm run --silent backup -- "/var/backups/rancang/rancang-$(date +%%F).backup"')
    expect(one(backup, 'ReadWritePaths')?.split(' ')).toEqual(['/var/lib/rancang', '/var/backups/rancang'])
    expect(timer.Timer).toMatchObject({ OnCalendar: ['*-*-* 01:30:00'], Persistent: ['true'], Unit: ['rancang-backup.service'] })
  })
})

describe('deploy/nginx', () => {
  let dir: string | undefined
  afterAll(() => (dir ? rm(dir, { recursive: true, force: true }) : undefined))

  it('passes nginx -t (with a throwaway certificate and ports)', async () => {
    const prepared = await prepareNginx(8080)
    dir = prepared.dir
    expect(await checkNginx(prepared.args)).toMatch(/syntax is ok[\s\S]*test is successful/)
  })

  it('proxies to the port the unit serves on, and accepts exactly the largest body the server accepts', () => {
    const site = readFileSync(NGINX_SITE, 'utf8')
    const locations = readFileSync(NGINX_LOCATIONS, 'utf8')
    expect(site).toContain(`server 127.0.0.1:${environmentOf(readUnit('rancang.service')).PORT};`)
    const [, megabytes] = /^client_max_body_size (\d+)m;$/m.exec(locations) ?? []
    expect(Number(megabytes) * 1024 * 1024).toBe(readConfig({}).limits.maxImportBytes)
    expect(locations).toMatch(/location \/collab\/ \{[^}]*proxy_read_timeout/)
    // The token is in WebSocket URLs: the log format must not use the raw request line.
    expect(site).toMatch(/log_format rancang [^;]*\$uri\$rancang_logged_args/)
    expect(site.match(/log_format[^;]*;/)![0]).not.toMatch(/\$request\b|\$request_uri|\$args|\$query_string/)
  })
})
