// SQLite capabilities for the SCIM filter compiler (RFC 7644 §3.4.2.2): `doc` is TEXT holding
// JSON, read with json_extract/json_each/json_tree and paths bound as parameters.
import type BetterSqlite3 from 'better-sqlite3'
import { sql, type RawBuilder, type SqlBool } from 'kysely'
import type { JsonRef, SqlDialect } from '../sql/filter/sql-dialect.ts'

/**
 * Replaces SQLite's ASCII-only `lower()` on `database` by JavaScript's `toLowerCase()`, so that
 * caseExact=false comparisons on document attributes fold "Ö" like the reference evaluator and
 * the *_norm columns do (RFC 7643 §2.1). Call once per connection, right after opening it;
 * without it, filters still run, folding ASCII letters only.
 */
export function registerSqliteFunctions(database: BetterSqlite3.Database): void {
  database.function('lower', { deterministic: true }, (value: unknown) =>
    value === null || value === undefined ? null : String(value).toLowerCase(),
  )
}

// `$."urn:…:User"."manager"`: every key quoted, since URNs hold ':' and '.'.
function quoteKeys(path: readonly string[]): string {
  return path
    .map((key) => {
      if (/["\\]/.test(key)) throw new Error(`unsupported JSON key ${JSON.stringify(key)}`)
      return `."${key}"`
    })
    .join('')
}

// The document and the JSON path of `ref`. An element's path is its `fullkey` (the path of the
// element inside the document, from json_each) followed by the rest, so elements of any JSON
// type are read the same way and json_extract never parses a bare string.
function locate(ref: JsonRef): { doc: RawBuilder<unknown>; path: RawBuilder<unknown> } {
  const rest = quoteKeys(ref.path)
  if (ref.base.kind === 'column') return { doc: ref.base.column, path: sql`${`$${rest}`}` }
  const fullkey = sql.ref(`${ref.base.alias}.fullkey`)
  return { doc: ref.base.column, path: rest === '' ? fullkey : sql`(${fullkey} || ${rest})` }
}

/** The SQLite dialect (better-sqlite3, SQLite ≥ 3.38 for `->`). */
export const sqliteDialect: SqlDialect = {
  name: 'sqlite',

  jsonText(ref) {
    const { doc, path } = locate(ref)
    return sql`json_extract(${doc}, ${path})`
  },

  jsonNumber(ref) {
    const { doc, path } = locate(ref)
    return sql`(case when json_type(${doc}, ${path}) in ('integer', 'real') then json_extract(${doc}, ${path}) end)`
  },

  jsonBoolean(ref) {
    // `->` gives the JSON text: true, false, or a quoted string such as "True".
    const { doc, path } = locate(ref)
    return sql`(case lower(${doc} -> ${path}) when 'true' then 1 when '"true"' then 1 when 'false' then 0 when '"false"' then 0 end)`
  },

  jsonIsObject(ref) {
    const { doc, path } = locate(ref)
    return sql<SqlBool>`coalesce(json_type(${doc}, ${path}) = 'object', false)`
  },

  jsonIsPresent(ref) {
    // json_tree walks the value and everything below it: present when one leaf is a scalar
    // other than null and "".
    const { doc, path } = locate(ref)
    return sql<SqlBool>`exists (select 1 from json_tree(${doc}, ${path}) as t where t.type in ('true', 'false', 'integer', 'real') or (t.type = 'text' and t.atom <> ''))`
  },

  jsonElements(ref, alias) {
    if (ref.base.kind !== 'column') throw new Error('arrays are read from a document column')
    const { doc, path } = locate(ref)
    return sql`json_each(${doc}, ${path}) as ${sql.id(alias)}`
  },

  jsonElementPosition(alias) {
    // json_each's `key` is the array index.
    return sql`${sql.ref(`${alias}.key`)}`
  },

  someRow({ table, alias, owner, rowKey, rowTenant, condition }) {
    // SQLite drives `key in (subquery)` from the subquery (its tenant_id index) and then seeks
    // the resource by primary key; an EXISTS would be run once per row of the tenant.
    const ref = (column: string) => sql.ref(`${alias}.${column}`)
    return sql<SqlBool>`${rowKey} in (select ${ref(owner)} from ${sql.table(table)} as ${sql.id(alias)} where ${ref('tenant_id')} = ${rowTenant} and ${condition})`
  },

  lower(value) {
    return sql`lower(${value})`
  },

  text(value) {
    return sql`${value}`
  },

  contains(haystack, needle) {
    return sql<SqlBool>`instr(${haystack}, ${needle}) > 0`
  },

  startsWith(haystack, needle, length) {
    return sql<SqlBool>`substr(${haystack}, 1, ${length}) = ${needle}`
  },

  endsWith(haystack, needle, length) {
    // A negative start counts from the end; a needle longer than the haystack never matches.
    return sql<SqlBool>`substr(${haystack}, ${-length}) = ${needle}`
  },

  jsonObjectArray(fields) {
    const pairs = Object.entries(fields).map(([key, value]) => sql`${sql.lit(key)}, ${value}`)
    return sql`json_group_array(json_object(${sql.join(pairs)}))`
  },

  binary(text) {
    // SQLite's default BINARY collation compares UTF-8 bytes, i.e. code points.
    return sql`${text}`
  },
}
