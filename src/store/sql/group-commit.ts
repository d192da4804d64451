// Group commit for the embedded store. One connection serialises transactions, and each commit
// must reach the disk; so concurrent write requests are run one after another inside ONE
// transaction, each in its own savepoint (a failing request rolls back only its own writes), and
// committed together: one disk flush for the batch. Every caller is answered only once the batch
// is durable (`hooks.durable`). The engine may make a commit durable after it returns (SQLite:
// the WAL's fsync runs in the threadpool, wal-sync.ts): the next batch then runs while the
// previous one's flush is under way, and each batch's callers are answered when their flush ends.
//
// The drain loop runs in the async context of the request that started it; every request's fn
// is re-entered in its own caller's context (an AsyncResource made in run()), or the first
// request's context (its actor and request id, read by the event log) would leak into the others'.
import { AsyncResource } from 'node:async_hooks'
import type { ControlledTransaction, Kysely } from 'kysely'

interface Pending<S> {
  readonly fn: (store: S) => Promise<unknown>
  /** The async context of the caller of run(). */
  readonly context: AsyncResource
  readonly resolve: (value: unknown) => void
  readonly reject: (error: unknown) => void
}

/** The savepoint around each request, run directly by the driver (no query building). */
export interface RequestSavepoint {
  begin(): void
  release(): void
  rollback(): void
}

export interface GroupCommitHooks {
  /** Without it, savepoints go through Kysely. */
  readonly savepoint?: RequestSavepoint
  /** Called right after COMMIT; resolves once the batch is on disk. Default: at once. */
  readonly durable?: () => Promise<void>
  /** Something the next batch must wait for (a WAL checkpoint), or undefined. */
  readonly beforeBatch?: () => Promise<void> | undefined
}

export class GroupCommitter<DB, S> {
  private readonly queue: Pending<S>[] = []
  private draining = false

  constructor(
    private readonly db: Kysely<DB>,
    private readonly storeFor: (trx: Kysely<DB>) => S,
    private readonly translateError: (error: unknown) => unknown,
    private readonly hooks: GroupCommitHooks = {},
    private readonly maxBatch = 64,
  ) {}

  run<T>(fn: (store: S) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({
        fn,
        // Not AsyncLocalStorage.snapshot(): on Node 20 each snapshot also builds a deprecation
        // wrapper, a measurable share of a create's CPU.
        context: new AsyncResource('rollcall.groupCommit'),
        resolve: resolve as (value: unknown) => void,
        reject,
      })
      if (!this.draining) void this.drain()
    })
  }

  private async drain(): Promise<void> {
    this.draining = true
    try {
      while (this.queue.length > 0) {
        const pause = this.hooks.beforeBatch?.()
        if (pause) await pause
        await this.runBatch()
      }
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
      const outcome = await this.runOne(trx, item, n)
      if (outcome === 'failed') continue
      if ('broken' in outcome) {
        for (const s of succeeded) s.item.reject(this.translateError(outcome.broken))
        return
      }
      succeeded.push({ item, value: outcome.value })
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
    const durable = this.hooks.durable?.()
    if (durable === undefined) {
      for (const s of succeeded) s.item.resolve(s.value)
      return
    }
    durable.then(
      () => {
        for (const s of succeeded) s.item.resolve(s.value)
      },
      (error: unknown) => {
        for (const s of succeeded) s.item.reject(this.translateError(error))
      },
    )
  }

  /**
   * One request in its savepoint: its value, 'failed' (rejected, its writes rolled back), or
   * broken (rejected, and the transaction rolled back: the batch is lost, for this error).
   */
  private async runOne(
    trx: ControlledTransaction<DB>,
    item: Pending<S>,
    n: number,
  ): Promise<{ value: unknown } | 'failed' | { broken: unknown }> {
    const raw = this.hooks.savepoint
    const name = `request_${n}`
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    let savepoint: ControlledTransaction<any, any> = trx
    try {
      if (raw) raw.begin()
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      else savepoint = (await trx.savepoint(name).execute()) as ControlledTransaction<any, any>
    } catch (error) {
      await trx
        .rollback()
        .execute()
        .catch(() => undefined)
      item.reject(this.translateError(error))
      return { broken: error }
    }
    try {
      const store = this.storeFor(savepoint as unknown as Kysely<DB>)
      const value = await item.context.runInAsyncScope(item.fn, undefined, store)
      if (raw) raw.release()
      else await savepoint.releaseSavepoint(name).execute()
      return { value }
    } catch (error) {
      try {
        if (raw) {
          raw.rollback()
          raw.release()
        } else {
          await savepoint.rollbackToSavepoint(name).execute()
          await savepoint.releaseSavepoint(name).execute()
        }
      } catch (rollbackError) {
        // The transaction is unusable: fail the whole batch.
        await trx
          .rollback()
          .execute()
          .catch(() => undefined)
        item.reject(this.translateError(error))
        return { broken: rollbackError }
      }
      item.reject(this.translateError(error))
      return 'failed'
    }
  }
}
