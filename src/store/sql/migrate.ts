// Applies the versioned migrations of migrations/ in name order with Kysely's Migrator.
import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely'
import * as createDirectory from './migrations/0001-create-directory.ts'

type DialectName = 'sqlite' | 'postgres'
type DialectMigration = { up(db: Kysely<any>, dialect: DialectName): Promise<void> } // eslint-disable-line @typescript-eslint/no-explicit-any

const MIGRATIONS: Record<string, DialectMigration> = {
  '0001-create-directory': createDirectory,
}

class StaticProvider implements MigrationProvider {
  constructor(private readonly dialect: DialectName) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    return Object.fromEntries(
      Object.entries(MIGRATIONS).map(([name, m]) => [name, { up: (db) => m.up(db, this.dialect) }]),
    )
  }
}

export async function runMigrations(db: Kysely<any>, dialect: DialectName): Promise<string[]> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const migrator = new Migrator({ db, provider: new StaticProvider(dialect) })
  const { error, results } = await migrator.migrateToLatest()
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')
    throw new Error(`migration ${failed?.migrationName ?? '?'} failed: ${String(error)}`, {
      cause: error,
    })
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName)
}
