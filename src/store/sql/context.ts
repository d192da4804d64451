// What every SQL repository works over: the connection that writes (and reads inside a
// transaction), the connection that reads outside one, and the dialect's capabilities.
import type { Kysely } from 'kysely'
import type { SqlDialect } from './filter/sql-dialect.ts'
import type { PageCursors } from './page-cursors.ts'
import type { PageMilestones } from './page-milestones.ts'
import type { TenantCache } from './tenant-cache.ts'
import type { Database } from './tables.ts'

export interface SqlContext {
  /** Writes, and reads that must see the caller's transaction. */
  readonly db: Kysely<Database>
  /** Reads: the write connection inside a transaction, else the read connection (SQLite). */
  readonly reader: Kysely<Database>
  readonly dialect: SqlDialect
  /** Shared by a store and the stores of its transactions (see page-cursors.ts). */
  readonly cursors: PageCursors
  /** Shared likewise; filled only outside transactions (see page-milestones.ts). */
  readonly milestones: PageMilestones
  /**
   * Called by an append with the first position it took: the store announces the events once
   * its transaction commits.
   */
  readonly eventsAppended: (firstPosition: number) => void
  /**
   * Event reads outside a transaction stop below this position, when defined: from it on,
   * events may be committed but not yet on disk (SQLite, docs/durability.md), and a reader that
   * saw them could hold a cursor past events a crash would lose and then hand out again.
   */
  readonly eventsVisibleBelow: () => number | undefined
  /** Shared likewise: recent tenants by slug, for request authentication (tenant-cache.ts). */
  readonly tenants: TenantCache
}
