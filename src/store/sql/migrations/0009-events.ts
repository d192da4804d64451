// The event log (issue #10): every directory change, written in the transaction of the change, for
// the event feed and the webhooks. `position` orders the log and is the feed's cursor; it is
// handed out in commit order (SQLite: one writer, AUTOINCREMENT so that a position is never reused
// after retention; PostgreSQL: from a sequence under a transaction-scoped advisory lock, see
// sql/events.ts), so a reader that has seen position N can never later find a smaller one.
import { sql, type Kysely } from 'kysely'

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>, dialect: 'sqlite' | 'postgres'): Promise<void> {
  if (dialect === 'postgres') {
    await sql`create sequence event_positions`.execute(db)
    await db.schema
      .createTable('events')
      .addColumn('position', 'bigint', (c) => c.primaryKey())
      .addColumn('id', 'text', (c) => c.notNull().unique())
      .addColumn('tenant_id', 'text', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .execute()
  } else {
    await sql`create table events (
      position integer primary key autoincrement,
      id text not null unique,
      tenant_id text not null,
      type text not null,
      at text not null,
      body text not null
    )`.execute(db)
  }
  await db.schema
    .createIndex('events_tenant_position_ix')
    .on('events')
    .columns(['tenant_id', 'position'])
    .execute()
  await db.schema.createIndex('events_at_ix').on('events').column('at').execute()
}
