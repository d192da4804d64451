// A revision per (tenant, resource type) that moves with every commit adding or deleting a user
// or group of the tenant, whatever path wrote it (SCIM, admin API, CLI, sign-in, a bulk loader's
// raw SQL): the listing caches the position of every k-th id and the total under it, and serves a
// random deep page only when the revision read in the same statement is the one it was built at
// (sql/page-milestones.ts). Triggers, not application code, so that no writer can forget it.
// PostgreSQL bumps once per statement (transition tables), so a bulk insert costs one upsert;
// SQLite has only row triggers. The row lock the bump takes on PostgreSQL is held to the commit,
// as the event log's append lock already is for every write.
import { sql, type Kysely } from 'kysely'

const TABLES = [
  { table: 'tenant_users', resource: 'User' },
  { table: 'groups', resource: 'Group' },
] as const

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>, dialect: 'sqlite' | 'postgres'): Promise<void> {
  await db.schema
    .createTable('listing_revisions')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('resource', 'text', (c) => c.notNull())
    .addColumn('revision', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('listing_revisions_pk', ['tenant_id', 'resource'])
    .execute()
  if (dialect === 'postgres') {
    await sql`create function rollcall_bump_listing_revision() returns trigger language plpgsql as $$
      begin
        insert into listing_revisions (tenant_id, resource, revision)
          select distinct tenant_id, tg_argv[0], 1 from changed_rows
          on conflict (tenant_id, resource)
          do update set revision = listing_revisions.revision + 1;
        return null;
      end
    $$`.execute(db)
    for (const { table, resource } of TABLES) {
      for (const [event, transition] of [
        ['insert', 'new'],
        ['delete', 'old'],
      ] as const) {
        await sql`create trigger ${sql.raw(`${table}_${event}_revision`)}
          after ${sql.raw(event)} on ${sql.raw(table)}
          referencing ${sql.raw(transition)} table as changed_rows
          for each statement execute function rollcall_bump_listing_revision(${sql.lit(resource)})`.execute(
          db,
        )
      }
    }
    return
  }
  for (const { table, resource } of TABLES) {
    for (const [event, row] of [
      ['insert', 'new'],
      ['delete', 'old'],
    ] as const) {
      await sql`create trigger ${sql.raw(`${table}_${event}_revision`)}
        after ${sql.raw(event)} on ${sql.raw(table)}
        begin
          insert into listing_revisions (tenant_id, resource, revision)
            values (${sql.raw(row)}.tenant_id, ${sql.lit(resource)}, 1)
            on conflict (tenant_id, resource) do update set revision = revision + 1;
        end`.execute(db)
    }
  }
}
