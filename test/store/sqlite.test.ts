// The Store contract (contract/) on SQLite: a fresh database file in a temp directory per test,
// removed afterwards.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite.ts'
import { defineStoreContract } from './contract/index.ts'

defineStoreContract(
  'SQLite',
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rollcall-store-'))
    const file = join(dir, 'rollcall.sqlite')
    const store = openSqliteStore(file)
    return {
      store,
      async close() {
        try {
          await store.close()
        } finally {
          rmSync(dir, { recursive: true, force: true })
        }
      },
      async describeSchema() {
        // A second, read-only connection: the store's own is behind its Kysely instance.
        const db = new BetterSqlite3(file, { readonly: true })
        try {
          return {
            objects: db
              .prepare(
                "select type, name, tbl_name, sql from sqlite_master where name not like 'sqlite_%' order by type, name",
              )
              .all(),
            migrations: db.prepare('select name from rollcall_migrations order by name').all(),
          }
        } finally {
          db.close()
        }
      },
    }
  },
  false,
)
