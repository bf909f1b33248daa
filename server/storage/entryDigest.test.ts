import { describe, expect, it } from 'vitest'
import { EntryDigest, differingKinds } from './entryDigest.js'

const entry = (key: string, ...value: number[]) => ({ key: new TextEncoder().encode(key), value: new Uint8Array(value) })

function summarize(...entries: Array<ReturnType<typeof entry>>) {
  const digest = new EntryDigest()
  for (const e of entries) digest.add(e)
  return digest.summary()
}

describe('entry digest (migrate-storage verification)', () => {
  it('counts and digests records per kind, and equal records give equal summaries', () => {
    const a = summarize(entry('v1/log/d/0000000000001', 1), entry('v1/log/d/0000000000002', 2), entry('v1/meta/d', 3), entry('format', 50))
    expect([...a.keys()]).toEqual(['format', 'log', 'meta'])
    expect(a.get('log')?.count).toBe(2)
    expect(
      differingKinds(
        a,
        summarize(entry('v1/log/d/0000000000001', 1), entry('v1/log/d/0000000000002', 2), entry('v1/meta/d', 3), entry('format', 50)),
      ),
    ).toEqual([])
  })

  it('names the kind that lost a record, changed a byte, or moved a byte between key and value', () => {
    const source = summarize(entry('v1/log/d/0000000000001', 1, 2), entry('v1/user/sari', 7))
    expect(differingKinds(source, summarize(entry('v1/log/d/0000000000001', 1, 2)))).toEqual(['user'])
    expect(differingKinds(source, summarize(entry('v1/log/d/0000000000001', 1, 3), entry('v1/user/sari', 7)))).toEqual(['log'])
    expect(differingKinds(source, summarize(entry('v1/log/d/0000000000001', 1, 2), entry('v1/user/sar', 105, 7)))).toEqual(['user'])
  })
})
