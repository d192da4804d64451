// What the SCIM filter compiler (compile-filter.ts, RFC 7644 §3.4.2.2) needs from a database
// engine: reading JSON documents, iterating JSON arrays and comparing text. One implementation
// per engine: store/sqlite/dialect.ts and store/postgres/dialect.ts.
import type { RawBuilder, SqlBool } from 'kysely'

/** Where a JSON value is read from: a document column, or an element of a JSON array. */
export type JsonBase =
  | {
      readonly kind: 'column'
      /** The JSON document column, e.g. sql.ref('u.doc'). */
      readonly column: RawBuilder<unknown>
    }
  | {
      readonly kind: 'element'
      /** The alias given to {@link SqlDialect.jsonElements}. */
      readonly alias: string
      /** The document column the elements were taken from. */
      readonly column: RawBuilder<unknown>
    }

/**
 * A JSON value: `path` (object keys, as the schema spells them) below `base`. An empty path is
 * the base itself. Keys never come from clients: the compiler resolves names against the schema
 * first, and implementations still bind paths as parameters.
 */
export interface JsonRef {
  readonly base: JsonBase
  readonly path: readonly string[]
}

/** The parts of a membership test over an element table; see {@link SqlDialect.someRow}. */
export interface RowMembership {
  /** The element table and its alias. */
  readonly table: string
  readonly alias: string
  /** The element table's column holding the resource's key (`user_id`, `member_id`). */
  readonly owner: string
  /** The resource row's key and tenant columns (`u.user_id`, `u.tenant_id`). */
  readonly rowKey: RawBuilder<unknown>
  readonly rowTenant: RawBuilder<unknown>
  /** The test on the element row (referring to it by `alias`); two-valued. */
  readonly condition: RawBuilder<SqlBool>
}

/**
 * The capabilities of one SQL engine, as the filter compiler uses them. Every method returns a
 * Kysely `sql` fragment whose user-supplied values are bound parameters.
 *
 * Conventions: a "value" method returns SQL NULL when the JSON value is absent, JSON null or of
 * another type; a method returning SqlBool never returns NULL (two-valued, so `NOT` is safe).
 */
export interface SqlDialect {
  readonly name: 'sqlite' | 'postgres'

  /** The JSON scalar at `ref` as text (strings unquoted); NULL when absent or JSON null. */
  jsonText(ref: JsonRef): RawBuilder<string | null>
  /** The JSON number at `ref`; NULL when absent or not a number. */
  jsonNumber(ref: JsonRef): RawBuilder<number | null>
  /**
   * The JSON boolean at `ref` as 1 or 0; the strings "true"/"false" in any case count too (Entra
   * sends "True", entra-provisioning.md §3.9); NULL for anything else.
   */
  jsonBoolean(ref: JsonRef): RawBuilder<number | null>
  /** Whether the value at `ref` is a JSON object. */
  jsonIsObject(ref: JsonRef): RawBuilder<SqlBool>
  /**
   * RFC 7644 §3.4.2.2 `pr`: whether the value at `ref` holds, at any depth, a scalar other than
   * null and "" (so `[]`, `{}` and `{"value": ""}` are not present).
   */
  jsonIsPresent(ref: JsonRef): RawBuilder<SqlBool>
  /**
   * A FROM item yielding the elements of the JSON array at `ref` (a column base), aliased
   * `alias`; no rows when the value is absent. Read the elements through a JsonRef whose base is
   * `{ kind: 'element', alias, column }`.
   */
  jsonElements(ref: JsonRef, alias: string): RawBuilder<unknown>
  /** The 0- or 1-based position of an element of {@link jsonElements}, for "first value" rules. */
  jsonElementPosition(alias: string): RawBuilder<number>

  /**
   * "Some row of an element table (user_emails, group_members) belongs to the current resource
   * row and satisfies `condition`", written so that the engine's planner starts from the element
   * table's (tenant_id, …) index instead of visiting every row of the tenant.
   */
  someRow(rows: RowMembership): RawBuilder<SqlBool>

  /** Case folding for caseExact=false comparisons of values that have no *_norm column. */
  lower(value: RawBuilder<unknown>): RawBuilder<string>
  /** A bound text parameter (typed as text where the engine needs it). */
  text(value: string): RawBuilder<string>
  /** Whether `haystack` contains `needle` (a non-empty string). */
  contains(haystack: RawBuilder<unknown>, needle: RawBuilder<unknown>): RawBuilder<SqlBool>
  /** Whether `haystack` starts with `needle`, whose length in code points is `length` (> 0). */
  startsWith(
    haystack: RawBuilder<unknown>,
    needle: RawBuilder<unknown>,
    length: number,
  ): RawBuilder<SqlBool>
  /** Whether `haystack` ends with `needle`, whose length in code points is `length` (> 0). */
  endsWith(
    haystack: RawBuilder<unknown>,
    needle: RawBuilder<unknown>,
    length: number,
  ): RawBuilder<SqlBool>
  /**
   * `text` compared and sorted by code point, whatever the database collation: `gt`/`lt` and
   * `sortBy` order strings as the reference evaluator does (UTF-16 code units).
   */
  binary(text: RawBuilder<unknown>): RawBuilder<string>

  /**
   * An aggregate: one JSON object `{key: value, …}` per row, as a JSON array (`[]` for no rows).
   * It reaches JavaScript as the array's text (SQLite) or parsed (PostgreSQL); read it with
   * {@link readJsonArray}. Keys are the caller's constants.
   */
  jsonObjectArray(fields: Readonly<Record<string, RawBuilder<unknown>>>): RawBuilder<unknown>
}

/** The value of a {@link SqlDialect.jsonObjectArray} column, parsed. */
export function readJsonArray(value: unknown): unknown[] {
  if (value === null || value === undefined) return []
  const parsed: unknown = typeof value === 'string' ? JSON.parse(value) : value
  return Array.isArray(parsed) ? parsed : []
}
