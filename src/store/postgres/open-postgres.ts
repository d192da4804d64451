// The scale-out store: PostgreSQL through a pg Pool under Kysely. Migrations run under an
// advisory lock so that instances starting together migrate once.
import { PostgresDialect } from 'kysely'
import pg from 'pg'
import { SqlStore } from '../sql/sql-store.ts'
import { StoreUnavailable, UniqueViolation } from '../store.ts'
import { postgresDialect } from './dialect.ts'
import { listenForEvents } from './event-wake-ups.ts'

// An arbitrary constant that names Rollcall's migration lock.
const MIGRATION_LOCK_KEY = 7_365_021_901

interface PgError {
  code?: string
  constraint?: string
}

const CONSTRAINTS: Record<string, string> = {
  users_email_norm_key: 'users_email',
  tenant_users_user_name_uq: 'tenant_users_user_name',
  groups_display_name_uq: 'groups_display_name',
  tenants_slug_key: 'tenants_slug',
  login_connections_domain_uq: 'login_connections_domain',
  login_connections_tenant_domain_uq: 'login_connections_domain',
  tenant_domains_pk: 'tenant_domains_tenant',
  tenant_domains_verified_uq: 'tenant_domains_verified',
}

/** pg errors → store errors; no driver message reaches a client. */
export function translatePostgresError(error: unknown): unknown {
  const e = error as PgError & { message?: string }
  if (error instanceof UniqueViolation || error instanceof StoreUnavailable) return error
  // pg's own connection failures carry no SQLSTATE: a backend that died under a query, a pool
  // that cannot connect in time.
  if (
    typeof e?.code !== 'string' &&
    /Connection terminated|Client has encountered a connection error|timeout exceeded when trying to connect|Connection ended unexpectedly/i.test(
      e?.message ?? '',
    )
  ) {
    return new StoreUnavailable('the database connection was lost', { cause: error })
  }
  if (typeof e?.code !== 'string') return error
  if (e.code === '55000' && /not currently accepting connections/.test(e.message ?? '')) {
    return new StoreUnavailable('the database is not accepting connections', { cause: error })
  }
  if (e.code === '23505')
    return new UniqueViolation(CONSTRAINTS[e.constraint ?? ''] ?? e.constraint ?? 'unique')
  // Connection failures, admin shutdown / terminated backends, too many connections.
  if (
    [
      'ECONNREFUSED',
      'ECONNRESET',
      'ETIMEDOUT',
      'EPIPE',
      '57P01',
      '57P02',
      '57P03',
      '53300',
    ].includes(e.code) ||
    e.code.startsWith('08') ||
    e.code === '40001' ||
    e.code === '40P01'
  ) {
    return new StoreUnavailable('the database is unavailable', { cause: error })
  }
  return error
}

export function openPostgresStore(url: string, poolSize = 10): SqlStore {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, connectionTimeoutMillis: 5000 })
  // A backend terminated while idle must not crash the process; the pool replaces it. A client
  // checked out at that moment reports the failure through its query instead, so it needs a
  // listener too (without one, Node treats the 'error' event as an uncaught exception).
  pool.on('error', () => {})
  pool.on('connect', (client) => {
    client.on('error', () => {})
  })
  return SqlStore.open({
    connection: new PostgresDialect({ pool }),
    dialect: postgresDialect,
    translateError: translatePostgresError,
    eventWakeUps: (wake) => listenForEvents(url, wake),
    async withMigrationLock(fn) {
      const client = await pool.connect()
      try {
        await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY])
        return await fn()
      } finally {
        await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => {})
        client.release()
      }
    },
  })
}
