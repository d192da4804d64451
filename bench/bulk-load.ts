// The bench's loader: fills a tenant with users and groups by bulk SQL straight into Rollcall's
// database (SQLite with the server stopped, or PostgreSQL), orders of magnitude faster than SCIM
// over HTTP. The rows come from the same functions the SCIM create runs (normalizeResource, then
// the row writers of src/store/sql/columns.ts), so a loaded user cannot drift from a created one.
import { isDeepStrictEqual } from 'node:util'
import Database from 'better-sqlite3'
import pg from 'pg'
import { emailIdentityOf } from '../src/domain/directory-rules.ts'
import { newGroupId, newUserId } from '../src/domain/ids.ts'
import { DEFAULT_SCIM_ROLE } from '../src/domain/types.ts'
import { normalizeResource } from '../src/scim/resources/normalize.ts'
import { LENIENT_QUIRKS } from '../src/scim/resources/quirks.ts'
import { GROUP_RESOURCE_TYPE, USER_RESOURCE_TYPE } from '../src/scim/schemas/index.ts'
import {
  emailRowsOf,
  groupColumnsOf,
  groupWriteOf,
  userColumnsOf,
  userWriteOf,
} from '../src/store/sql/columns.ts'
import { benchGroup, benchUser } from './workload.ts'

/** One engine's bulk insert: rows as arrays in the order of `columns`. */
export interface BulkDatabase {
  readonly engine: 'sqlite' | 'postgres'
  insert(table: string, columns: readonly string[], rows: readonly unknown[][]): Promise<void>
  /** Rows of a read; `?` placeholders on both engines. */
  query<T>(text: string, params: readonly unknown[]): Promise<T[]>
  /**
   * Runs a large load into `tables` with their secondary indexes built once afterwards rather than
   * row by row (SQLite: the indexes as Rollcall's migrations defined them, read back from
   * sqlite_master); as is on PostgreSQL.
   */
  withIndexesDeferred<T>(tables: readonly string[], load: () => Promise<T>): Promise<T>
  /** After a load: the planner's statistics (PostgreSQL), the WAL written back (SQLite). */
  finish(): Promise<void>
  close(): Promise<void>
}

// SQLite binds at most 32,766 values a statement; rows per statement beyond a few hundred gain
// nothing.
const SQLITE_ROWS_PER_STATEMENT = 500
// Column arrays per statement on PostgreSQL (unnest): one round trip for this many rows.
const POSTGRES_ROWS_PER_STATEMENT = 20_000

/** Rollcall's SQLite file; only while no server writes to it (the loader holds the write lock). */
export function openSqliteBulk(file: string): BulkDatabase {
  const db = new Database(file)
  db.pragma('busy_timeout = 30000')
  db.pragma('journal_mode = WAL')
  // A load is redone rather than recovered: no fsync per transaction, a large page cache for the
  // random inserts into the userName index. finish() makes it durable before the server starts.
  db.pragma('synchronous = OFF')
  db.pragma('cache_size = -1000000')
  db.function('lower', { deterministic: true }, (value: unknown) =>
    value === null || value === undefined ? null : String(value).toLowerCase(),
  )
  const statements = new Map<string, Database.Statement>()
  const statement = (table: string, columns: readonly string[], rows: number) => {
    const key = `${table}|${columns.join(',')}|${rows}`
    let prepared = statements.get(key)
    if (prepared === undefined) {
      const tuple = `(${columns.map(() => '?').join(', ')})`
      prepared = db.prepare(
        `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${Array(rows).fill(tuple).join(', ')}`,
      )
      statements.set(key, prepared)
    }
    return prepared
  }
  return {
    engine: 'sqlite',
    async insert(table, columns, rows) {
      const per = Math.min(SQLITE_ROWS_PER_STATEMENT, Math.floor(32_766 / columns.length))
      db.transaction(() => {
        for (let i = 0; i < rows.length; i += per) {
          const part = rows.slice(i, i + per)
          statement(table, columns, part.length).run(part.flat())
        }
      })()
    },
    async query<T>(text: string, params: readonly unknown[]) {
      return db.prepare(text).all(...params) as T[]
    },
    async withIndexesDeferred(tables, load) {
      const indexes = db
        .prepare(
          `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL
            AND tbl_name IN (${tables.map(() => '?').join(', ')})`,
        )
        .all(...tables) as { name: string; sql: string }[]
      for (const index of indexes) db.exec(`DROP INDEX "${index.name}"`)
      try {
        return await load()
      } finally {
        // A unique index that no longer builds means the load was wrong: the error says so.
        for (const index of indexes) db.exec(index.sql)
      }
    },
    async finish() {
      db.pragma('synchronous = FULL')
      db.pragma('wal_checkpoint(TRUNCATE)')
      db.exec('ANALYZE')
    },
    async close() {
      db.close()
    },
  }
}

function numbered(text: string): string {
  let n = 0
  return text.replace(/\?/g, () => `$${++n}`)
}

/** Rollcall's PostgreSQL database; the server may run (each insert is one transaction). */
export async function openPostgresBulk(url: string): Promise<BulkDatabase> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  const types = new Map<string, Map<string, string>>()
  const columnTypes = async (table: string) => {
    let known = types.get(table)
    if (known === undefined) {
      const result = await client.query<{ column_name: string; udt_name: string }>(
        `SELECT column_name, udt_name FROM information_schema.columns
          WHERE table_name = $1 AND table_schema = current_schema()`,
        [table],
      )
      known = new Map(result.rows.map((row) => [row.column_name, row.udt_name]))
      types.set(table, known)
    }
    return known
  }
  return {
    engine: 'postgres',
    async insert(table, columns, rows) {
      const known = await columnTypes(table)
      // One text array per column, cast to the column's type: a statement of 20,000 rows binds
      // only as many parameters as there are columns.
      const casts = columns.map((column, i) => `c${i}::${known.get(column) ?? 'text'}`)
      const arrays = columns.map((_, i) => `$${i + 1}::text[]`)
      const text =
        `INSERT INTO ${table} (${columns.join(', ')}) SELECT ${casts.join(', ')} ` +
        `FROM unnest(${arrays.join(', ')}) AS t(${columns.map((_, i) => `c${i}`).join(', ')})`
      await client.query('BEGIN')
      try {
        for (let i = 0; i < rows.length; i += POSTGRES_ROWS_PER_STATEMENT) {
          const part = rows.slice(i, i + POSTGRES_ROWS_PER_STATEMENT)
          const values = columns.map((_, c) =>
            part.map((row) => {
              const value = row[c]
              if (value === null || value === undefined) return null
              return typeof value === 'object' ? JSON.stringify(value) : String(value)
            }),
          )
          await client.query(text, values)
        }
        await client.query('COMMIT')
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined)
        throw error
      }
    },
    async query<T>(text: string, params: readonly unknown[]) {
      return (await client.query(numbered(text), [...params])).rows as T[]
    },
    withIndexesDeferred: (_tables, load) => load(),
    async finish() {
      // Without statistics the planner takes each table for a few rows.
      await client.query('ANALYZE')
    },
    async close() {
      await client.end()
    },
  }
}

export async function tenantIdOf(db: BulkDatabase, slug: string): Promise<string> {
  const [row] = await db.query<{ id: string }>('SELECT id FROM tenants WHERE slug = ?', [slug])
  if (row === undefined) throw new Error(`no tenant "${slug}" in the database`)
  return row.id
}

export interface LoadedUsers {
  readonly ids: string[]
  readonly userNames: string[]
}

const USER_COLUMNS = [
  'tenant_id',
  'user_id',
  'user_name',
  'user_name_norm',
  'external_id',
  'display_name',
  'display_name_norm',
  'active',
  'doc',
  'origin',
  'role',
  'assigned_role',
  'password_hash',
  'version',
  'created_at',
  'updated_at',
] as const
const EMAIL_COLUMNS = [
  'tenant_id',
  'user_id',
  'position',
  'value',
  'value_norm',
  'type',
  'is_primary',
] as const
const USERS_PER_TRANSACTION = 50_000
const DEFER_INDEXES_FROM = 50_000
/** Every this many users, the document from the template is checked against the real thing. */
const CHECK_EVERY = 997

function normalizeUser(body: Record<string, unknown>): Record<string, unknown> {
  return normalizeResource(body, USER_RESOURCE_TYPE, { quirks: LENIENT_QUIRKS, mode: 'create' }).doc
}

type Path = readonly (string | number)[]

function at(value: unknown, path: Path): unknown {
  let current = value
  for (const key of path) current = (current as Record<string | number, unknown>)?.[key]
  return current
}

/** Where each string of a body is: the first path, by value. */
function stringPaths(value: unknown, path: Path = [], out = new Map<string, Path>()) {
  if (typeof value === 'string') {
    if (!out.has(value)) out.set(value, path)
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => stringPaths(item, [...path, i], out))
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) stringPaths(item, [...path, key], out)
  }
  return out
}

/**
 * Normalising costs ~50 µs a user, most of a 1M-user load. Bench users differ only in their
 * strings, so one user is normalised and each other document is that one with the strings taken
 * from its own body, path for path; every CHECK_EVERY-th is normalised in full and compared, so a
 * change to the normaliser that this copy misses stops the load instead of loading wrong rows.
 */
function userDocuments(templateBody: Record<string, unknown>) {
  const template = normalizeUser(templateBody)
  const paths = stringPaths(templateBody)
  const rebuild = (doc: unknown, body: unknown): unknown => {
    if (typeof doc === 'string') {
      const path = paths.get(doc)
      return path === undefined ? doc : at(body, path)
    }
    if (Array.isArray(doc)) return doc.map((item) => rebuild(item, body))
    if (typeof doc === 'object' && doc !== null) {
      const out: Record<string, unknown> = {}
      for (const [key, item] of Object.entries(doc)) out[key] = rebuild(item, body)
      return out
    }
    return doc
  }
  return {
    of(body: Record<string, unknown>, index: number): Record<string, unknown> {
      const doc = rebuild(template, body) as Record<string, unknown>
      if (index % CHECK_EVERY === 0) {
        const real = normalizeUser(body)
        if (!isDeepStrictEqual(doc, real)) {
          throw new Error(
            `bulk-load: the document of user ${index} differs from what POST /Users stores:\n` +
              `${JSON.stringify(doc)}\n${JSON.stringify(real)}`,
          )
        }
      }
      return doc
    },
  }
}

/**
 * Users `from` … `from + count - 1` of `runId` (benchUser: Entra's full body with the enterprise
 * extension), as POST /Users on an empty tenant stores them: the person (users), the membership
 * with its document (tenant_users, role Viewer), the emails (user_emails).
 */
export async function loadUsers(
  db: BulkDatabase,
  tenantId: string,
  runId: string,
  from: number,
  count: number,
): Promise<LoadedUsers> {
  const ids: string[] = []
  const userNames: string[] = []
  const documents = userDocuments(benchUser(runId, from).body)
  const load = async () => {
    for (let start = from; start < from + count; start += USERS_PER_TRANSACTION) {
      const end = Math.min(from + count, start + USERS_PER_TRANSACTION)
      const people: unknown[][] = []
      const members: unknown[][] = []
      const emails: unknown[][] = []
      const at = new Date().toISOString()
      for (let i = start; i < end; i += 1) {
        const write = userWriteOf(documents.of(benchUser(runId, i).body, i))
        const id = newUserId()
        const row: Record<string, unknown> = {
          tenant_id: tenantId,
          user_id: id,
          ...userColumnsOf(write),
          origin: 'SCIM',
          role: DEFAULT_SCIM_ROLE,
          assigned_role: DEFAULT_SCIM_ROLE,
          password_hash: null,
          version: 1,
          created_at: at,
          updated_at: at,
        }
        people.push([id, emailIdentityOf(write.userName) ?? null, at])
        members.push(USER_COLUMNS.map((column) => row[column] ?? null))
        for (const email of emailRowsOf(tenantId, id, write.emails)) {
          const fields = email as Record<string, unknown>
          emails.push(EMAIL_COLUMNS.map((column) => fields[column] ?? null))
        }
        ids.push(id)
        userNames.push(write.userName)
      }
      await db.insert('users', ['id', 'email_norm', 'created_at'], people)
      await db.insert('tenant_users', USER_COLUMNS, members)
      await db.insert('user_emails', EMAIL_COLUMNS, emails)
    }
  }
  // Below this, rebuilding the indexes of the rows already there costs more than it saves.
  if (count < DEFER_INDEXES_FROM) await load()
  else await db.withIndexesDeferred(['users', 'tenant_users', 'user_emails'], load)
  return { ids, userNames }
}

const MEMBERS_PER_TRANSACTION = 200_000

/**
 * Group `index` of `runId` (benchGroup, as POST /Groups stores it) with `memberIds` (users) as
 * SCIM members, as PATCH adds write them. Returns its id.
 */
export async function loadGroup(
  db: BulkDatabase,
  tenantId: string,
  runId: string,
  index: number,
  memberIds: readonly string[],
): Promise<string> {
  const normalized = normalizeResource(benchGroup(runId, index).body, GROUP_RESOURCE_TYPE, {
    quirks: LENIENT_QUIRKS,
    mode: 'create',
  })
  const columns = groupColumnsOf(groupWriteOf(normalized.doc)) as Record<string, unknown>
  const id = newGroupId()
  const at = new Date().toISOString()
  const row: Record<string, unknown> = {
    tenant_id: tenantId,
    id,
    ...columns,
    origin: 'SCIM',
    version: 1,
    created_at: at,
    updated_at: at,
  }
  const names = Object.keys(row)
  await db.insert('groups', names, [names.map((name) => row[name] ?? null)])
  const memberColumns = [
    'tenant_id',
    'group_id',
    'member_id',
    'member_type',
    'origin',
    'created_at',
  ]
  for (let i = 0; i < memberIds.length; i += MEMBERS_PER_TRANSACTION) {
    const part = memberIds.slice(i, i + MEMBERS_PER_TRANSACTION)
    await db.insert(
      'group_members',
      memberColumns,
      part.map((memberId) => [tenantId, id, memberId, 'User', 'SCIM', at]),
    )
  }
  return id
}
