// Applies the versioned migrations of migrations/ in name order, each in its own transaction
// together with its row in rollcall_migrations. Re-checked inside the transaction, so processes
// starting together apply each migration once (PostgreSQL also holds an advisory lock around
// this; SQLite serialises write transactions).
import { sql, type Kysely } from 'kysely'
import * as createDirectory from './migrations/0001-create-directory.ts'
import * as createSignIn from './migrations/0002-create-sign-in.ts'
import * as coveringMemberIndex from './migrations/0003-covering-member-index.ts'
import * as verifiedDomains from './migrations/0004-verified-domains.ts'
import * as serviceSettings from './migrations/0005-service-settings.ts'
import * as provisioningLogActivity from './migrations/0006-provisioning-log-activity.ts'
import * as roleRules from './migrations/0007-role-rules.ts'
import * as lastSignIn from './migrations/0008-last-sign-in.ts'
import * as events from './migrations/0009-events.ts'
import * as webhooks from './migrations/0012-webhooks.ts'
import * as apiKeys from './migrations/0011-api-keys.ts'
import * as oidcProvider from './migrations/0013-oidc-provider.ts'
import * as listingRevisions from './migrations/0014-listing-revisions.ts'

type DialectName = 'sqlite' | 'postgres'
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>
type DialectMigration = { up(db: AnyDb, dialect: DialectName): Promise<void> }

const MIGRATIONS: Readonly<Record<string, DialectMigration>> = {
  '0001-create-directory': createDirectory,
  '0002-create-sign-in': createSignIn,
  '0003-covering-member-index': coveringMemberIndex,
  '0004-verified-domains': verifiedDomains,
  '0005-service-settings': serviceSettings,
  '0006-provisioning-log-activity': provisioningLogActivity,
  '0007-role-rules': roleRules,
  '0008-last-sign-in': lastSignIn,
  '0009-events': events,
  '0012-webhooks': webhooks,
  '0011-api-keys': apiKeys,
  '0013-oidc-provider': oidcProvider,
  '0014-listing-revisions': listingRevisions,
}

/** Returns the names of the migrations this call applied. */
export async function runMigrations(db: AnyDb, dialect: DialectName): Promise<string[]> {
  await sql`create table if not exists rollcall_migrations (name text primary key, applied_at text not null)`.execute(
    db,
  )
  const applied: string[] = []
  for (const name of Object.keys(MIGRATIONS).sort()) {
    const migration = MIGRATIONS[name]
    if (!migration) continue
    try {
      await db.transaction().execute(async (trx) => {
        const done = await trx
          .selectFrom('rollcall_migrations')
          .select('name')
          .where('name', '=', name)
          .executeTakeFirst()
        if (done) return
        await migration.up(trx, dialect)
        await trx
          .insertInto('rollcall_migrations')
          .values({ name, applied_at: new Date().toISOString() })
          .execute()
        applied.push(name)
      })
    } catch (error) {
      throw new Error(`migration ${name} failed: ${(error as Error).message}`, { cause: error })
    }
  }
  return applied
}
