// `--fresh-database` (the default with --database-url): the benchmark creates its own database
// `rollcall_bench_<random>` on the PostgreSQL server the URL points at, runs Rollcall there and
// drops it afterwards, so that repeated runs never meet a previous run's tenant, users or groups.
import { randomBytes } from 'node:crypto'
import pg from 'pg'

/** The connection string with the password hidden, for messages. */
export function redactUrl(url: string): string {
  return url.replace(/(postgres(?:ql)?:\/\/[^:/@]+:)[^@]*@/, '$1***@')
}

/** The same server, user, password and parameters, with another database name. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url)
  parsed.pathname = `/${encodeURIComponent(database)}`
  return parsed.toString()
}

/** The database named in the URL's path, if any. */
function databaseOf(url: string): string | undefined {
  const name = decodeURIComponent(new URL(url).pathname.replace(/^\/+/, ''))
  return name === '' ? undefined : name
}

/**
 * A client on a database that exists on the server: the URL's own database, else `postgres`, else
 * `template1` (never `avoid`). The URL's database need not exist.
 */
async function adminClient(url: string, avoid?: string): Promise<pg.Client> {
  const candidates = [databaseOf(url), 'postgres', 'template1'].filter(
    (name, i, all): name is string =>
      name !== undefined && name !== avoid && all.indexOf(name) === i,
  )
  let lastError: unknown
  for (const database of candidates) {
    const client = new pg.Client({
      connectionString: withDatabase(url, database),
      connectionTimeoutMillis: 10_000,
    })
    try {
      await client.connect()
      return client
    } catch (error) {
      lastError = error
      await client.end().catch(() => undefined)
      // 3D000: no such database; try the next. Anything else (refused, auth) will not get better.
      if ((error as { code?: unknown }).code !== '3D000') break
    }
  }
  const message = lastError instanceof Error ? lastError.message : String(lastError)
  throw new Error(`cannot connect to the PostgreSQL server of ${redactUrl(url)}: ${message}`)
}

export interface FreshDatabase {
  readonly name: string
  /** DATABASE_URL for Rollcall: the given URL with the fresh database's name. */
  readonly url: string
}

/** Creates `rollcall_bench_<12 hex>` on the server of `url`. */
export async function createFreshDatabase(url: string): Promise<FreshDatabase> {
  const name = `rollcall_bench_${randomBytes(6).toString('hex')}`
  const client = await adminClient(url)
  try {
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`)
  } finally {
    await client.end().catch(() => undefined)
  }
  return { name, url: withDatabase(url, name) }
}

/** Drops the database, closing any connection still open on it (PostgreSQL 13+). */
export async function dropDatabase(url: string, name: string): Promise<void> {
  const client = await adminClient(url, name)
  try {
    await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`)
  } finally {
    await client.end().catch(() => undefined)
  }
}
