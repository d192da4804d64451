// The embedded store: better-sqlite3 in WAL mode with synchronous=FULL, so that every committed
// SCIM write survives a crash or power loss, under Kysely.
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { CompiledQuery, SqliteDialect, SqliteDriver, type DatabaseConnection } from 'kysely'
import { SqlStore } from '../sql/sql-store.ts'
import { StoreUnavailable, UniqueViolation } from '../store.ts'
import { registerSqliteFunctions, sqliteDialect } from './dialect.ts'

/**
 * Write transactions start with BEGIN IMMEDIATE: the write lock is taken up front, so a
 * transaction that reads then writes never fails half-way with SQLITE_BUSY when another process
 * (the CLI) writes meanwhile; it waits for busy_timeout instead.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'))
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  constructor(private readonly database: BetterSqlite3.Database) {
    super({ database })
  }
  override createDriver() {
    return new ImmediateSqliteDriver({ database: this.database })
  }
}

interface SqliteError {
  code?: string
  message?: string
}

/** SQLite driver errors → store errors; no driver message reaches a client. */
export function translateSqliteError(error: unknown): unknown {
  const e = error as SqliteError
  if (typeof e?.code !== 'string') return error
  if (e.code === 'SQLITE_CONSTRAINT_UNIQUE' || e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    // "UNIQUE constraint failed: tenant_users.tenant_id, tenant_users.user_name_norm"
    const columns = /failed: (.*)$/.exec(e.message ?? '')?.[1] ?? ''
    return new UniqueViolation(constraintName(columns))
  }
  if (e.code === 'SQLITE_BUSY' || e.code === 'SQLITE_LOCKED' || e.code === 'SQLITE_IOERR') {
    return new StoreUnavailable('the database is busy', { cause: error })
  }
  return error
}

function constraintName(columns: string): string {
  if (columns.includes('users.email_norm')) return 'users_email'
  if (columns.includes('user_name_norm')) return 'tenant_users_user_name'
  if (columns.includes('groups.display_name_norm')) return 'groups_display_name'
  if (columns.includes('tenants.slug')) return 'tenants_slug'
  if (columns.includes('login_connections.domain_norm')) return 'login_connections_domain'
  // The primary key names both columns; the partial index of verified domains only the domain.
  if (columns.includes('tenant_domains.tenant_id')) return 'tenant_domains_tenant'
  if (columns.includes('tenant_domains.domain_norm')) return 'tenant_domains_verified'
  return columns
}

/**
 * Kysely prepares every query afresh; better-sqlite3 statements are reusable, so keep them by
 * SQL text (bounded: IN lists and filters make some texts unique).
 */
function withStatementCache(database: BetterSqlite3.Database): BetterSqlite3.Database {
  const cache = new Map<string, BetterSqlite3.Statement>()
  const prepare = database.prepare.bind(database)
  return new Proxy(database, {
    get(target, property, receiver) {
      if (property !== 'prepare') return Reflect.get(target, property, receiver)
      return (text: string) => {
        let statement = cache.get(text)
        if (statement === undefined) {
          statement = prepare(text)
          if (cache.size >= 1000) cache.clear()
          cache.set(text, statement)
        }
        return statement
      }
    },
  })
}

function openConnection(file: string, readOnly: boolean): BetterSqlite3.Database {
  const database = new BetterSqlite3(file)
  database.pragma('busy_timeout = 5000')
  if (readOnly) {
    database.pragma('query_only = ON')
  } else {
    database.pragma('journal_mode = WAL')
    database.pragma('synchronous = FULL')
  }
  database.pragma('foreign_keys = ON')
  registerSqliteFunctions(database)
  return database
}

/**
 * The embedded store on `file`: one write connection (transactions group-committed), and for a
 * file database a second, read-only connection for reads outside transactions (WAL lets it read
 * the last committed state while a write batch is open).
 */
export function openSqliteStore(file: string): SqlStore {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true })
  const writer = openConnection(file, false)
  const readConnection =
    file === ':memory:'
      ? undefined
      : new SqliteDialect({ database: withStatementCache(openConnection(file, true)) })
  return SqlStore.open({
    connection: new ImmediateSqliteDialect(withStatementCache(writer)),
    ...(readConnection ? { readConnection } : {}),
    dialect: sqliteDialect,
    translateError: translateSqliteError,
    groupCommit: true,
  })
}
