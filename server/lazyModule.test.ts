import { describe, expect, it } from 'vitest'
import { lazyModule, lazyModules } from './lazyModule.js'

describe('lazyModule', () => {
  it('loads nothing until first called, then loads once however many ask at the same time', async () => {
    let loads = 0
    const module = lazyModule('zweimal', async () => ({ value: ++loads }))
    expect(loads).toBe(0)
    expect(module.loaded).toBe(false)
    expect(lazyModules()).toContainEqual(expect.objectContaining({ moduleName: 'zweimal', loaded: false }))
    const [a, b] = await Promise.all([module(), module()])
    expect(a).toBe(b)
    expect(await module()).toBe(a)
    expect(loads).toBe(1)
    expect(module.loaded).toBe(true)
    expect(lazyModules().find((m) => m.moduleName === 'zweimal')?.loaded).toBe(true)
  })

  it('rejects the call whose load failed and tries again on the next call', async () => {
    let attempts = 0
    const module = lazyModule('rapuh', async () => {
      if (++attempts === 1) throw new Error('module missing')
      return 'ok'
    })
    await expect(module()).rejects.toThrow('module missing')
    expect(module.loaded).toBe(false)
    expect(await module()).toBe('ok')
    expect(attempts).toBe(2)
  })
})
