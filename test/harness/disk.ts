import { execFile } from 'node:child_process'
import { closeSync, ftruncateSync, fstatSync, openSync, writeSync } from 'node:fs'
import { cp, mkdtemp, rm, rmdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)

/** A small real filesystem (tmpfs) that a test can fill to ENOSPC and free again. */
export interface SmallDisk {
  readonly path: string
  /**
   * Writes a file until the filesystem refuses with ENOSPC, then gives back `leaveBytes` (rounded
   * by the filesystem to whole pages). Returns the bytes the file holds.
   */
  fill(options?: { readonly leaveBytes?: number }): number
  /** Deletes the fill file. */
  free(): Promise<void>
  /** Unmounts (lazily if something still holds a file open) and removes the mount point. */
  unmount(): Promise<void>
}

/**
 * Mounts a tmpfs of `sizeMiB` on a fresh directory. Needs root (as CI runs); anywhere else it throws
 * one clear line instead of letting the tests skip silently.
 */
export async function mountSmallDisk(sizeMiB: number): Promise<SmallDisk> {
  if (process.getuid?.() !== 0) throw new Error('these tests mount a small tmpfs to fill it: run them as root (CI does)')
  const path = await mkdtemp(join(tmpdir(), 'rancang-disk-'))
  await run('mount', ['-t', 'tmpfs', '-o', `size=${sizeMiB}m`, 'tmpfs', path])
  const fillFile = join(path, 'fill')
  return {
    path,
    fill({ leaveBytes = 0 } = {}) {
      const fd = openSync(fillFile, 'a')
      const chunk = Buffer.alloc(64 * 1024, 0x2e)
      try {
        for (;;) writeSync(fd, chunk)
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error
      }
      const size = fstatSync(fd).size
      if (leaveBytes > 0) ftruncateSync(fd, Math.max(0, size - leaveBytes))
      closeSync(fd)
      return size - leaveBytes
    },
    free: () => rm(fillFile, { force: true }),
    async unmount() {
      await run('umount', [path]).catch(() => run('umount', ['-l', path]))
      await rmdir(path)
    },
  }
}

/**
 * A copy of a data directory, taken while its server is stopped: the disk as a power cut would
 * leave it, holding exactly what had been fsynced up to then.
 */
export interface DiskImage {
  /** Puts the copy back in place of everything `dir` holds now (with the server stopped). */
  restore(): Promise<void>
  /** Deletes the copy. */
  dispose(): Promise<void>
}

/** Copies `dir` (a stopped server's DATA_DIR) to a fresh temporary directory. */
export async function takeImage(dir: string): Promise<DiskImage> {
  const path = await mkdtemp(join(tmpdir(), 'rancang-image-'))
  await cp(dir, path, { recursive: true })
  return {
    async restore() {
      await rm(dir, { recursive: true, force: true })
      await cp(path, dir, { recursive: true })
    },
    dispose: () => rm(path, { recursive: true, force: true }),
  }
}
