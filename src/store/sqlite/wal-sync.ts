// The fsync that synchronous=FULL would run inside COMMIT, run instead in libuv's threadpool so
// that the event loop goes on parsing and reading meanwhile (docs/durability.md). The writer
// commits with synchronous=NORMAL, which write()s the WAL frames without syncing them; a caller
// is answered only once a sync that STARTED after its commit has completed, so every
// acknowledged write is on disk exactly as with FULL.
import { closeSync, fdatasync, openSync } from 'node:fs'
import { StoreUnavailable } from '../store.ts'

/** Flushes the file behind `fd` to disk (fdatasync by default; tests inject a slow one). */
export type FlushFile = (fd: number) => Promise<void>

export const fdatasyncFile: FlushFile = (fd) =>
  new Promise((resolve, reject) => fdatasync(fd, (error) => (error ? reject(error) : resolve())))

export class WalSync {
  private readonly fd: number
  private current: Promise<void> | undefined
  /** The one sync queued behind `current`: every commit made while `current` runs joins it. */
  private next: Promise<void> | undefined
  /** After a failed fsync the kernel may have dropped the dirty pages: nothing is durable any more. */
  private failure: unknown

  /**
   * `walFile` must exist. The writer connection keeps it open, and SQLite unlinks a WAL only when
   * the last connection to the database closes, so this descriptor names the live WAL for as long
   * as the store is open (a checkpoint rewinds the WAL in place; it never replaces the file).
   */
  constructor(
    walFile: string,
    private readonly flush: FlushFile = fdatasyncFile,
  ) {
    this.fd = openSync(walFile, 'r')
  }

  /** Resolves once everything written to the WAL before this call is on disk. */
  sync(): Promise<void> {
    if (this.current === undefined) return this.start()
    this.next ??= this.current
      .catch(() => undefined)
      .then(() => {
        this.next = undefined
        return this.start()
      })
    return this.next
  }

  /** After the last write: waits for the syncs under way. */
  async close(): Promise<void> {
    await Promise.allSettled([this.current, this.next])
    closeSync(this.fd)
  }

  private start(): Promise<void> {
    const run = (
      this.failure === undefined ? this.flush(this.fd) : Promise.reject(this.failure)
    ).then(
      () => {
        if (this.current === run) this.current = undefined
      },
      (error: unknown) => {
        if (this.current === run) this.current = undefined
        this.failure ??= error
        throw new StoreUnavailable('the database could not be written to disk', { cause: error })
      },
    )
    this.current = run
    return run
  }
}
