// Webhook endpoints and their deliveries (issue #10). An endpoint carries its own delivery state:
// `cursor` is the last event position delivered or dead-lettered, `pending_*` the attempt in
// progress on the next event, and `lease_*` which instance may deliver to it right now (deliveries
// to one endpoint are never concurrent, so they stay in order).
import { sql, type Kysely } from 'kysely'

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>, dialect: 'sqlite' | 'postgres'): Promise<void> {
  // SQLite: an INTEGER PRIMARY KEY is the rowid, assigned in increasing order.
  const bigId = dialect === 'postgres' ? sql`bigserial` : sql`integer`
  await db.schema
    .createTable('webhook_endpoints')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('tenant_id', 'text')
    .addColumn('event_types', 'text')
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('disabled_reason', 'text')
    .addColumn('secret_sealed', 'text', (c) => c.notNull())
    .addColumn('previous_secret_sealed', 'text')
    .addColumn('previous_secret_until', 'text')
    .addColumn('cursor', 'bigint', (c) => c.notNull())
    .addColumn('pending_position', 'bigint')
    .addColumn('pending_attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'text')
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema
    .createTable('webhook_deliveries')
    .addColumn('id', bigId, (c) => c.primaryKey())
    .addColumn('endpoint_id', 'text', (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('attempt', 'integer', (c) => c.notNull())
    .addColumn('manual', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('status', 'integer')
    .addColumn('latency_ms', 'integer', (c) => c.notNull())
    .addColumn('error', 'text')
    .addColumn('next_try_at', 'text')
    .addColumn('at', 'text', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('webhook_deliveries_endpoint_ix')
    .on('webhook_deliveries')
    .columns(['endpoint_id', 'id'])
    .execute()
  await db.schema
    .createIndex('webhook_deliveries_at_ix')
    .on('webhook_deliveries')
    .column('at')
    .execute()
  await db.schema
    .createTable('webhook_dead_letters')
    .addColumn('id', bigId, (c) => c.primaryKey())
    .addColumn('endpoint_id', 'text', (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('position', 'bigint', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('at', 'text', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('webhook_dead_letters_endpoint_ix')
    .on('webhook_dead_letters')
    .columns(['endpoint_id', 'id'])
    .execute()
  await db.schema
    .createTable('webhook_redeliveries')
    .addColumn('id', bigId, (c) => c.primaryKey())
    .addColumn('endpoint_id', 'text', (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    .addColumn('requested_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('webhook_redeliveries_endpoint_ix')
    .on('webhook_redeliveries')
    .columns(['endpoint_id', 'next_attempt_at'])
    .execute()
}
