const settled = Promise.resolve()

/**
 * Runs `task` once the current callback returns, before the event loop goes on. Chained on a
 * settled promise: Node wraps each `queueMicrotask` callback in an AsyncResource, a few more
 * allocations on every keystroke's way to the relay.
 */
export function microtask(task: () => void) {
  void settled.then(task)
}
