/**
 * A module the server loads on first use rather than at start: the parts only rare requests need
 * (export, PostgreSQL) would otherwise hold their code and heap in every idle server.
 */
export interface LazyModule<T> {
  /** The module, loaded by the first call; a load that failed is tried again by the next call. */
  (): Promise<T>
  readonly moduleName: string
  /** Whether a load has succeeded. */
  readonly loaded: boolean
}

const declared: Array<LazyModule<unknown>> = []

/**
 * Declares a module to load on first use: `load` is a dynamic `import()`, run at most once at a
 * time. A failed load rejects that call only (the request answers with its usual error) and is
 * not cached, so a later call may succeed.
 */
export function lazyModule<T>(moduleName: string, load: () => Promise<T>): LazyModule<T> {
  let loading: Promise<T> | null = null
  let loaded = false
  const get = () =>
    (loading ??= load().then(
      (module) => {
        loaded = true
        return module
      },
      (error: unknown) => {
        loading = null
        throw error
      },
    ))
  const accessor = Object.defineProperties(get, {
    moduleName: { value: moduleName },
    loaded: { get: () => loaded },
  }) as LazyModule<T>
  declared.push(accessor)
  return accessor
}

/** Every module declared so far, loaded or not, by name (for `GET /metrics`). */
export function lazyModules(): ReadonlyArray<{ readonly moduleName: string; readonly loaded: boolean }> {
  return declared
}
