// PostgreSQL capabilities for the SCIM filter compiler (RFC 7644 §3.4.2.2): `doc` is JSONB, read
// with #> / #>> and a text[] path bound as a parameter; text compared with COLLATE "C".
import { sql, type RawBuilder, type SqlBool } from 'kysely'
import type { JsonRef, SqlDialect } from '../sql/filter/sql-dialect.ts'

// RFC 7644 §3.4.2.2 `pr` over a whole value: some scalar at any depth that is not null or "".
const PRESENT_PATH =
  'strict $.** ? (@.type() == "number" || @.type() == "boolean" || (@.type() == "string" && @ != ""))'

// The jsonb value of `ref` (#> with a bound text[] path; an element is `alias.value`).
function node(ref: JsonRef): { json: RawBuilder<unknown>; path: RawBuilder<unknown> } {
  const json = ref.base.kind === 'column' ? ref.base.column : sql.ref(`${ref.base.alias}.value`)
  return { json, path: sql`${[...ref.path]}::text[]` }
}

/** The PostgreSQL dialect (node-postgres, PostgreSQL ≥ 12 for jsonpath). */
export const postgresDialect: SqlDialect = {
  name: 'postgres',

  jsonText(ref) {
    const { json, path } = node(ref)
    return sql`(${json} #>> ${path})`
  },

  jsonNumber(ref) {
    const { json, path } = node(ref)
    return sql`(case when jsonb_typeof(${json} #> ${path}) = 'number' then (${json} #>> ${path})::numeric end)`
  },

  jsonBoolean(ref) {
    // jsonb::text is the JSON text: true, false, or a quoted string such as "True".
    const { json, path } = node(ref)
    return sql`(case lower((${json} #> ${path})::text) when 'true' then 1 when '"true"' then 1 when 'false' then 0 when '"false"' then 0 end)`
  },

  jsonIsObject(ref) {
    const { json, path } = node(ref)
    return sql<SqlBool>`coalesce(jsonb_typeof(${json} #> ${path}) = 'object', false)`
  },

  jsonIsPresent(ref) {
    const { json, path } = node(ref)
    return sql<SqlBool>`coalesce(jsonb_path_exists(${json} #> ${path}, ${sql.lit(PRESENT_PATH)}), false)`
  },

  jsonElements(ref, alias) {
    if (ref.base.kind !== 'column') throw new Error('arrays are read from a document column')
    // lax `$[*]` yields the elements of an array and never raises on another type (a lone value
    // is its own single element, as the reference evaluator reads it).
    const { json, path } = node(ref)
    return sql`jsonb_path_query(${json} #> ${path}, 'lax $[*]') with ordinality as ${sql.id(alias)}(value, position)`
  },

  jsonElementPosition(alias) {
    return sql`${sql.ref(`${alias}.position`)}`
  },

  someRow({ table, alias, owner, rowKey, rowTenant, condition }) {
    // PostgreSQL turns a correlated EXISTS into a semi-join (an IN over outer columns stays a
    // per-row subplan), and carries `tenant_id = $1` over to the element table's index.
    const ref = (column: string) => sql.ref(`${alias}.${column}`)
    return sql<SqlBool>`exists (select 1 from ${sql.table(table)} as ${sql.id(alias)} where ${ref('tenant_id')} = ${rowTenant} and ${ref(owner)} = ${rowKey} and ${condition})`
  },

  lower(value) {
    return sql`lower(${value})`
  },

  text(value) {
    return sql`${value}::text`
  },

  contains(haystack, needle) {
    return sql<SqlBool>`strpos(${haystack}, ${needle}) > 0`
  },

  startsWith(haystack, needle, length) {
    return sql<SqlBool>`left(${haystack}, ${length}::int) = ${needle}`
  },

  endsWith(haystack, needle, length) {
    return sql<SqlBool>`right(${haystack}, ${length}::int) = ${needle}`
  },

  jsonObjectArray(fields) {
    const pairs = Object.entries(fields).map(([key, value]) => sql`${sql.lit(key)}, ${value}`)
    return sql`coalesce(json_agg(json_build_object(${sql.join(pairs)})), '[]'::json)`
  },

  binary(text) {
    return sql`(${text} collate "C")`
  },
}
