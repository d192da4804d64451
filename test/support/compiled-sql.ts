// SQL fragments compiled without a database, for tests that assert the SQL text and the bound
// parameters each engine receives (the filter compiler's unit tests in src/store/sql/filter/).
import {
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type RawBuilder,
} from 'kysely'
import { postgresDialect } from '../../src/store/postgres/dialect.ts'
import type { SqlDialect } from '../../src/store/sql/filter/sql-dialect.ts'
import { sqliteDialect } from '../../src/store/sqlite/dialect.ts'

// Kysely instances that only compile (no connection), one per engine.
const compilers = {
  sqlite: new Kysely<Record<string, never>>({
    dialect: {
      createAdapter: () => new SqliteAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (db) => new SqliteIntrospector(db),
      createQueryCompiler: () => new SqliteQueryCompiler(),
    },
  }),
  postgres: new Kysely<Record<string, never>>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (db) => new PostgresIntrospector(db),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
  }),
}

export const DIALECTS: readonly SqlDialect[] = [sqliteDialect, postgresDialect]

export interface Compiled {
  readonly sql: string
  readonly parameters: readonly unknown[]
}

/** `raw` as the engine of `dialect` receives it. */
export function render(raw: RawBuilder<unknown>, dialect: SqlDialect): Compiled {
  const compiled = raw.compile(compilers[dialect.name])
  return { sql: compiled.sql, parameters: compiled.parameters }
}
