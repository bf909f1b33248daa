import { execFile } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { inflateRawSync } from 'node:zlib'
import { promisify } from 'node:util'

const run = promisify(execFile)

/** The official OASIS Akoma Ntoso 3.0 schema (a copy of `../shared/domain/akn/`, so the tests run anywhere). */
export const AKN_XSD = resolve(import.meta.dirname, '../fixtures/akn/akomantoso30.xsd')

/**
 * xmllint's verdict on `xml`: well-formed XML 1.0, and valid against `schema` when one is given;
 * with xmllint's messages.
 */
export async function xmllint(xml: string, schema?: string): Promise<{ valid: boolean; output: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'rancang-xml-'))
  const file = join(dir, 'input.xml')
  try {
    await writeFile(file, xml)
    const { stderr } = await run('xmllint', ['--noout', ...(schema ? ['--schema', schema] : []), file])
    return { valid: true, output: stderr }
  } catch (error) {
    return { valid: false, output: String((error as { stderr?: string }).stderr ?? error) }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/** The files of a ZIP archive (a DOCX), read with the central directory and zlib; enough for Word files. */
export function unzip(archive: Buffer): Map<string, string> {
  const files = new Map<string, string>()
  let end = archive.length - 22
  while (end >= 0 && archive.readUInt32LE(end) !== 0x06054b50) end--
  if (end < 0) throw new Error('not a ZIP archive: no end of central directory')
  const count = archive.readUInt16LE(end + 10)
  let entry = archive.readUInt32LE(end + 16)
  for (let i = 0; i < count; i++) {
    if (archive.readUInt32LE(entry) !== 0x02014b50) throw new Error('corrupt ZIP central directory')
    const method = archive.readUInt16LE(entry + 10)
    const size = archive.readUInt32LE(entry + 20)
    const nameLength = archive.readUInt16LE(entry + 28)
    const extraLength = archive.readUInt16LE(entry + 30)
    const commentLength = archive.readUInt16LE(entry + 32)
    const local = archive.readUInt32LE(entry + 42)
    const name = archive.toString('utf8', entry + 46, entry + 46 + nameLength)
    const start = local + 30 + archive.readUInt16LE(local + 26) + archive.readUInt16LE(local + 28)
    const data = archive.subarray(start, start + size)
    files.set(name, (method === 8 ? inflateRawSync(data) : data).toString('utf8'))
    entry += 46 + nameLength + extraLength + commentLength
  }
  return files
}
