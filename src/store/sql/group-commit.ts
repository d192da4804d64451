// Group commit for the embedded store. With synchronous=FULL every SQLite COMMIT waits for the
// disk, and one connection serialises transactions; so concurrent write requests are run one
// after another inside ONE transaction, each in its own savepoint (a failing request rolls back
// only its own writes), and committed together: one disk flush for the batch. Every caller is
// answered only after the COMMIT, so an acknowledged write is durable.
//
// The drain loop runs in the async context of the request that started it; every request's fn
// is re-entered in its own caller's context (AsyncLocalStorage.snapshot), or the first request's
// context (its actor and request id, read by the event log) would leak into the others'.
import { AsyncLocalStorage } from 'node:async_hooks'
import type { ControlledTransaction, Kysely } from 'kysely'

interface Pending<S> {
  readonly fn: (store: S) => Promise<unknown>
  /** Runs a function in the async context of the caller of run(). */
  readonly inContext: <R>(fn: () => R) => R
  readonly resolve: (value: unknown) => void
  readonly reject: (error: unknown) => void
}

export class GroupCommitter<DB, S> {
  private readonly queue: Pending<S>[] = []
  private draining = false

  constructor(
    private readonly db: Kysely<DB>,
    private readonly storeFor: (trx: Kysely<DB>) => S,
    private readonly translateError: (error: unknown) => unknown,
    private readonly maxBatch = 64,
  ) {}

  run<T>(fn: (store: S) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({
        fn,
        inContext: AsyncLocalStorage.snapshot(),
        resolve: resolve as (value: unknown) => void,
        reject,
      })
      if (!this.draining) void this.drain()
    })
  }

  private async drain(): Promise<void> {
    this.draining = true
    try {
      while (this.queue.length > 0) await this.runBatch()
    } finally {
      this.draining = false
    }
  }

  private async runBatch(): Promise<void> {
    let trx: ControlledTransaction<DB>
    try {
      trx = await this.db.startTransaction().execute()
    } catch (error) {
      for (const item of this.queue.splice(0)) item.reject(this.translateError(error))
      return
    }
    const succeeded: { item: Pending<S>; value: unknown }[] = []
    // Requests that arrive while the batch runs join it, up to maxBatch. better-sqlite3 answers
    // synchronously, so a batch never yields to the event loop by itself: when the queue runs
    // dry, yield once so that requests already received can join before the commit.
    for (let n = 1; n <= this.maxBatch; n++) {
      if (this.queue.length === 0) {
        await new Promise((resolve) => setImmediate(resolve))
        if (this.queue.length === 0) break
      }
      const item = this.queue.shift() as Pending<S>
      const name = `request_${n}`
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const savepoint = (await trx.savepoint(name).execute()) as ControlledTransaction<any, any>
      try {
        const store = this.storeFor(savepoint as unknown as Kysely<DB>)
        const value = await item.inContext(() => item.fn(store))
        await savepoint.releaseSavepoint(name).execute()
        succeeded.push({ item, value })
      } catch (error) {
        try {
          await savepoint.rollbackToSavepoint(name).execute()
          await savepoint.releaseSavepoint(name).execute()
        } catch (rollbackError) {
          // The transaction is unusable: fail the whole batch.
          await trx
            .rollback()
            .execute()
            .catch(() => undefined)
          item.reject(this.translateError(error))
          for (const s of succeeded) s.item.reject(this.translateError(rollbackError))
          return
        }
        item.reject(this.translateError(error))
      }
    }
    try {
      await trx.commit().execute()
    } catch (error) {
      await trx
        .rollback()
        .execute()
        .catch(() => undefined)
      for (const s of succeeded) s.item.reject(this.translateError(error))
      return
    }
    for (const s of succeeded) s.item.resolve(s.value)
  }
}
