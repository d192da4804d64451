// What every SQL repository works over: the connection that writes (and reads inside a
// transaction), the connection that reads outside one, and the dialect's capabilities.
import type { Kysely } from 'kysely'
import type { SqlDialect } from './filter/sql-dialect.ts'
import type { PageCursors } from './page-cursors.ts'
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
  /** Shared likewise: recent tenants by slug, for request authentication (tenant-cache.ts). */
  readonly tenants: TenantCache
  /** Called by an append: the store announces the events once its transaction commits. */
  readonly eventsAppended: () => void
}
