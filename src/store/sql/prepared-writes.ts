// INSERTs compiled once per shape (dialect, table, columns, row count, RETURNING) and then run
// with fresh values: Kysely otherwise builds the operation tree and compiles the same SQL text on
// every request. The statement is compiled with a placeholder in place of each value, which
// records which parameter takes which value; later runs only fill in the parameters.
import type { CompiledQuery, Kysely, QueryResult } from 'kysely'
import type { Database } from './tables.ts'

const SLOT = '\u0000slot:'

type Row = Readonly<Record<string, unknown>>

interface Compiled {
  readonly query: CompiledQuery
  /** For each parameter: [row, column] of its value, or the constant the statement holds. */
  readonly sources: readonly (readonly [number, string] | { readonly constant: unknown })[]
}

const compiled = new Map<string, Compiled>()
// Shapes are few (a handful of tables, row counts of a few emails or events); the bound only
// guards against a caller with unusual row counts.
const MAX_SHAPES = 500

export interface InsertOptions {
  /** Columns to return, or 'all'; none by default. */
  readonly returning?: readonly string[] | 'all'
  /** Set in every row as SQL, not as a value (PostgreSQL's nextval). */
  readonly expressions?: { readonly key: string; readonly values: Row }
  /** ON CONFLICT (these columns) DO NOTHING: RETURNING then gives only the rows inserted. */
  readonly onConflictDoNothing?: readonly string[]
}

/**
 * INSERT `rows` (same columns, in the same order, in every row) into `table` on `db`, a
 * connection or a transaction; returns the rows RETURNING gives.
 */
export async function insertRows<R = Record<string, unknown>>(
  db: Kysely<Database>,
  dialect: string,
  table: keyof Database,
  rows: readonly Row[],
  options: InsertOptions = {},
): Promise<R[]> {
  const first = rows[0]
  if (first === undefined) return []
  const columns = Object.keys(first)
  const returning = options.returning ?? []
  const shape = [
    dialect,
    table,
    rows.length,
    options.expressions?.key ?? '',
    options.onConflictDoNothing?.join(',') ?? '',
    returning === 'all' ? '*' : returning.join(','),
    columns.join(','),
  ].join('\u0001')
  let statement = compiled.get(shape)
  if (statement === undefined) {
    statement = compile(db, table, columns, rows.length, options)
    if (compiled.size >= MAX_SHAPES) compiled.clear()
    compiled.set(shape, statement)
  }
  const parameters = statement.sources.map((source) =>
    'constant' in source ? source.constant : (rows[source[0]] as Row)[source[1]],
  )
  const result: QueryResult<R> = await db.executeQuery<R>({ ...statement.query, parameters })
  return result.rows
}

function compile(
  db: Kysely<Database>,
  table: keyof Database,
  columns: readonly string[],
  count: number,
  options: InsertOptions,
): Compiled {
  const slotted = Array.from({ length: count }, (_, row) => ({
    ...Object.fromEntries(columns.map((column) => [column, `${SLOT}${row}:${column}`])),
    ...options.expressions?.values,
  }))
  // The rows are placeholders: no column type to check here.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let insert = db.insertInto(table).values(slotted as any)
  const { returning, onConflictDoNothing } = options
  if (onConflictDoNothing !== undefined) {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    insert = insert.onConflict((oc) => oc.columns(onConflictDoNothing as any).doNothing())
  }
  const query = (
    returning === 'all'
      ? insert.returningAll()
      : returning && returning.length > 0
        ? // eslint-disable-next-line @typescript-eslint/no-explicit-any
          insert.returning(returning as any)
        : insert
  ).compile()
  const sources = query.parameters.map((parameter) => {
    if (typeof parameter !== 'string' || !parameter.startsWith(SLOT)) return { constant: parameter }
    const slot = parameter.slice(SLOT.length)
    const colon = slot.indexOf(':')
    return [Number(slot.slice(0, colon)), slot.slice(colon + 1)] as const
  })
  return { query, sources }
}
