// What every SQL repository works over: the connection that writes (and reads inside a
// transaction), the connection that reads outside one, and the dialect's capabilities.
import type { Kysely } from 'kysely'
import type { SqlDialect } from '../../scim/filter/sql-dialect.ts'
import type { PageCursors } from './page-cursors.ts'
import type { Database } from './tables.ts'

export interface SqlContext {
  /** Writes, and reads that must see the caller's transaction. */
  readonly db: Kysely<Database>
  /** Reads: the write connection inside a transaction, else the read connection (SQLite). */
  readonly reader: Kysely<Database>
  readonly dialect: SqlDialect
  /** Shared by a store and the stores of its transactions (see page-cursors.ts). */
  readonly cursors: PageCursors
}

/** The documents of users and groups: JSON text on SQLite, parsed jsonb on PostgreSQL. */
export function parseDoc(value: string | Record<string, unknown>): Record<string, unknown> {
  return typeof value === 'string' ? (JSON.parse(value) as Record<string, unknown>) : value
}
