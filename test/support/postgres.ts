// PostgreSQL for tests: the server at TEST_DATABASE_URL (default: the local one), a throwaway
// database or schema per test, dropped afterwards. When the server is unreachable the
// PostgreSQL tests are skipped with one line saying how to run them — unless REQUIRE_POSTGRES=1
// (CI), where unreachable is a failure.
import { randomBytes } from 'node:crypto'
import pg from 'pg'

export const POSTGRES_URL =
  process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'

let probed: Promise<boolean> | undefined

async function reachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3000 })
  try {
    await client.connect()
    await client.query('select 1')
    return true
  } catch {
    return false
  } finally {
    await client.end().catch(() => undefined)
  }
}

/** false when PostgreSQL tests can run, else the reason to skip them (printed once). */
export async function postgresSkipReason(): Promise<string | false> {
  probed ??= reachable()
  if (await probed) return false
  if (process.env.REQUIRE_POSTGRES === '1') {
    throw new Error(
      `PostgreSQL is required (REQUIRE_POSTGRES=1) but not reachable at ${POSTGRES_URL}`,
    )
  }
  const reason =
    `PostgreSQL not reachable at ${POSTGRES_URL}: set TEST_DATABASE_URL=postgres://user@host/db ` +
    '(a role that may CREATE DATABASE) to run the PostgreSQL tests'
  console.log(`# ${reason}`)
  return reason
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: POSTGRES_URL })
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end()
  }
}

export interface TestDatabase {
  readonly url: string
  drop(): Promise<void>
}

/** A new, empty database (for tests that need a whole database: several processes, restarts). */
export async function createTestDatabase(prefix = 'rollcall_test'): Promise<TestDatabase> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`
  await admin((c) => c.query(`create database ${name}`))
  const url = new URL(POSTGRES_URL)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    drop: () =>
      admin((c) => c.query(`drop database if exists ${name} with (force)`)).then(() => undefined),
  }
}

/**
 * A new schema in the test database, with a URL whose connections use it as search_path:
 * as isolated as a database for one store, and much cheaper to create.
 */
export async function createTestSchema(prefix = 'rc'): Promise<TestDatabase> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`
  await admin((c) => c.query(`create schema ${name}`))
  const url = new URL(POSTGRES_URL)
  url.searchParams.set('options', `-c search_path=${name}`)
  return {
    url: url.toString(),
    drop: () =>
      admin((c) => c.query(`drop schema if exists ${name} cascade`)).then(() => undefined),
  }
}
