// A revision per (tenant, resource type) that moves with every commit adding or deleting a user
// or group of the tenant, whatever path wrote it (SCIM, admin API, CLI, sign-in, a bulk loader's
// raw SQL): the listing caches the position of every k-th id and the total under it, and serves a
// random deep page only when the revision read in the same statement is the one it was built at
// (sql/page-milestones.ts). Triggers, not application code, so that no writer can forget it.
// On PostgreSQL the bump is a deferred constraint trigger: it runs at COMMIT, once per
// transaction and (tenant, resource) (a transaction-local setting remembers it), so the row lock
// on the revision is held only while committing, after the event log's append lock; concurrent
// writers of one tenant do not queue on it from their first INSERT on, and lock it in one order.
// SQLite has one writer and only row triggers.
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
      declare
        row_tenant text := case when tg_op = 'DELETE' then old.tenant_id else new.tenant_id end;
        marker text := 'rollcall.listing_bumped_' || md5(row_tenant || '|' || tg_argv[0]);
      begin
        if coalesce(current_setting(marker, true), '') = '1' then
          return null;
        end if;
        perform set_config(marker, '1', true);
        insert into listing_revisions (tenant_id, resource, revision)
          values (row_tenant, tg_argv[0], 1)
          on conflict (tenant_id, resource)
          do update set revision = listing_revisions.revision + 1;
        return null;
      end
    $$`.execute(db)
    for (const { table, resource } of TABLES) {
      for (const event of ['insert', 'delete'] as const) {
        await sql`create constraint trigger ${sql.raw(`${table}_${event}_revision`)}
          after ${sql.raw(event)} on ${sql.raw(table)}
          deferrable initially deferred
          for each row execute function rollcall_bump_listing_revision(${sql.lit(resource)})`.execute(
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
