// The embedded store: better-sqlite3 in WAL mode under Kysely. Every acknowledged write is on disk
// before its caller hears of it, as with synchronous=FULL, but the fsync runs off the event loop
// (wal-sync.ts, checkpointer.ts; docs/durability.md).
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync } from 'node:fs'
import { dirname } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import {
  CompiledQuery,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type QueryResult,
} from 'kysely'
import type { GroupCommitHooks, RequestSavepoint } from '../sql/group-commit.ts'
import { SqlStore } from '../sql/sql-store.ts'
import { StoreUnavailable, UniqueViolation } from '../store.ts'
import { Checkpointer } from './checkpointer.ts'
import { registerSqliteFunctions, sqliteDialect } from './dialect.ts'
import { WalSync, type FlushFile } from './wal-sync.ts'

/**
 * Write transactions start with BEGIN IMMEDIATE: the write lock is taken up front, so a
 * transaction that reads then writes never fails half-way with SQLITE_BUSY when another process
 * (the CLI) writes meanwhile; it waits for busy_timeout instead.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  constructor(
    private readonly database: BetterSqlite3.Database,
    private readonly sync: (() => Promise<void>) | undefined,
  ) {
    super({ database })
  }

  override async acquireConnection(): Promise<DatabaseConnection> {
    const connection = await super.acquireConnection()
    return this.sync ? new SyncingConnection(connection, this.database, this.sync) : connection
  }

  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'))
  }
}

/**
 * A write outside a transaction commits by itself: it returns once it is on disk. (A
 * transaction's COMMIT is made durable by whoever ran it: the group committer, or migrate().)
 */
class SyncingConnection implements DatabaseConnection {
  constructor(
    private readonly inner: DatabaseConnection,
    private readonly database: BetterSqlite3.Database,
    private readonly sync: () => Promise<void>,
  ) {}

  executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    // In a transaction (every group-committed request): no wrapper, no extra promise.
    if (this.database.inTransaction) return this.inner.executeQuery<R>(query)
    return this.executeAlone(query)
  }

  private async executeAlone<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const result = await this.inner.executeQuery<R>(query)
    // prepare() is the statement cache's lookup here, not a new statement.
    if (!this.database.inTransaction && !this.database.prepare(query.sql).readonly) {
      await this.sync()
    }
    return result
  }

  streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    return this.inner.streamQuery<R>(query, chunkSize)
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  constructor(
    private readonly database: BetterSqlite3.Database,
    private readonly sync?: () => Promise<void>,
  ) {
    super({ database })
  }
  override createDriver() {
    return new ImmediateSqliteDriver(this.database, this.sync)
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
  // An own property over the prototype's method: cheaper on every query than a Proxy.
  database.prepare = ((text: string) => {
    let statement = cache.get(text)
    if (statement === undefined) {
      statement = prepare(text)
      if (cache.size >= 1000) cache.clear()
      cache.set(text, statement)
    }
    return statement
  }) as typeof database.prepare
  return database
}

/** A writer syncing inside COMMIT ('full'), or one whose WAL WalSync flushes ('writer'). */
type Role = 'reader' | 'writer' | 'full'

function openConnection(file: string, role: Role): BetterSqlite3.Database {
  const database = new BetterSqlite3(file)
  database.pragma('busy_timeout = 5000')
  if (role === 'reader') {
    database.pragma('query_only = ON')
  } else {
    database.pragma('journal_mode = WAL')
    if (role === 'full') {
      database.pragma('synchronous = FULL')
    } else {
      // COMMIT only write()s the WAL; WalSync flushes it before any caller is answered.
      database.pragma('synchronous = NORMAL')
      // The automatic checkpoint would fsync inside a COMMIT, on the event loop: the
      // Checkpointer runs them on its own thread instead.
      database.pragma('wal_autocheckpoint = 0')
    }
  }
  database.pragma('foreign_keys = ON')
  registerSqliteFunctions(database)
  return database
}

/** The savepoint around each request of a batch: one name, since requests never nest. */
function requestSavepoint(database: BetterSqlite3.Database): RequestSavepoint {
  const begin = database.prepare('savepoint request')
  const release = database.prepare('release request')
  const rollback = database.prepare('rollback to request')
  return {
    begin: () => void begin.run(),
    release: () => void release.run(),
    rollback: () => void rollback.run(),
  }
}

/** The WAL file, created if SQLite has not yet, with its directory entry on disk. */
function ensureWalFile(writer: BetterSqlite3.Database, file: string): string {
  const wal = `${file}-wal`
  writer.prepare('select count(*) from sqlite_master').get()
  if (!existsSync(wal)) closeSync(openSync(wal, 'a'))
  const directory = openSync(dirname(file), 'r')
  try {
    fsyncSync(directory)
  } finally {
    closeSync(directory)
  }
  return wal
}

export interface SqliteStoreOptions {
  /**
   * Sync inside COMMIT (synchronous=FULL, SQLite's own checkpoints), blocking the caller's thread:
   * for a short-lived process (the CLI), whose commits other processes then never see before
   * they are on disk.
   */
  readonly syncInCommit?: boolean
  /** Flushes the WAL to disk (default fdatasync); tests inject a slow one. */
  readonly flushWal?: FlushFile
  /** Minimum time between WAL checkpoints under writes (default 500 ms). */
  readonly checkpointIntervalMs?: number
  /** WAL length in pages past which a checkpoint holds writes back to rewind it (default 4096). */
  readonly walRestartPages?: number
}

/**
 * The embedded store on `file`: one write connection (transactions group-committed), and for a
 * file database a second, read-only connection for reads outside transactions (WAL lets it read
 * the last committed state while a write batch is open).
 */
export function openSqliteStore(file: string, options: SqliteStoreOptions = {}): SqlStore {
  if (file === ':memory:') {
    const writer = openConnection(file, 'full')
    return SqlStore.open({
      connection: new ImmediateSqliteDialect(withStatementCache(writer)),
      dialect: sqliteDialect,
      translateError: translateSqliteError,
      groupCommit: { savepoint: requestSavepoint(writer) },
    })
  }
  mkdirSync(dirname(file), { recursive: true })
  if (options.syncInCommit) {
    const writer = openConnection(file, 'full')
    return SqlStore.open({
      connection: new ImmediateSqliteDialect(withStatementCache(writer)),
      readConnection: new SqliteDialect({
        database: withStatementCache(openConnection(file, 'reader')),
      }),
      dialect: sqliteDialect,
      translateError: translateSqliteError,
      groupCommit: { savepoint: requestSavepoint(writer) },
    })
  }
  const writer = openConnection(file, 'writer')
  const walSync = new WalSync(ensureWalFile(writer, file), options.flushWal)
  const checkpointer = new Checkpointer(
    file,
    () => (writer.pragma('wal_checkpoint(PASSIVE)') as { log: number }[])[0]?.log ?? 0,
    {
      ...(options.checkpointIntervalMs === undefined
        ? {}
        : { intervalMs: options.checkpointIntervalMs }),
      ...(options.walRestartPages === undefined ? {} : { restartFrames: options.walRestartPages }),
    },
  )
  const sync = () => walSync.sync()
  const groupCommit: GroupCommitHooks = {
    savepoint: requestSavepoint(writer),
    durable: () => {
      checkpointer.committed()
      return sync()
    },
    beforeBatch: () => checkpointer.due(),
  }
  return SqlStore.open({
    connection: new ImmediateSqliteDialect(withStatementCache(writer), sync),
    readConnection: new SqliteDialect({
      database: withStatementCache(openConnection(file, 'reader')),
    }),
    dialect: sqliteDialect,
    translateError: translateSqliteError,
    groupCommit,
    beforeClose: () => checkpointer.close(),
    onClose: () => walSync.close(),
  })
}
