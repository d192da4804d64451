// The Store contract (contract/) on PostgreSQL: a fresh schema per test, dropped afterwards.
// Skipped, with the reason printed once, when the server is unreachable (a failure when
// REQUIRE_POSTGRES=1).
import pg from 'pg'
import { openPostgresStore } from '../../src/store/postgres/open-postgres.ts'
import { createTestSchema, postgresSkipReason } from '../support/postgres.ts'
import { defineStoreContract } from './contract/index.ts'

defineStoreContract(
  'PostgreSQL',
  async () => {
    const schema = await createTestSchema()
    const store = openPostgresStore(schema.url, 4)
    return {
      store,
      async close() {
        try {
          await store.close()
        } finally {
          await schema.drop()
        }
      },
      async describeSchema() {
        const client = new pg.Client({ connectionString: schema.url })
        await client.connect()
        try {
          const columns = await client.query(
            `select table_name, column_name, data_type, is_nullable, column_default
               from information_schema.columns where table_schema = current_schema()
              order by table_name, ordinal_position`,
          )
          const indexes = await client.query(
            `select tablename, indexname, indexdef from pg_indexes
              where schemaname = current_schema() order by tablename, indexname`,
          )
          const constraints = await client.query(
            `select conrelid::regclass::text as table_name, conname, pg_get_constraintdef(oid) as def
               from pg_constraint where connamespace = current_schema()::regnamespace
              order by 1, 2`,
          )
          const migrations = await client.query(
            'select name from rollcall_migrations order by name',
          )
          return {
            columns: columns.rows,
            indexes: indexes.rows,
            constraints: constraints.rows,
            migrations: migrations.rows,
          }
        } finally {
          await client.end()
        }
      },
    }
  },
  await postgresSkipReason(),
)
