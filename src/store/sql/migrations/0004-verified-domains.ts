// Verified domains (SPEC §1 D10–D12): a tenant proves an email domain by a DNS TXT record, or the
// operator vouches for it. Many tenants may have the same domain pending; a verified domain
// belongs to one tenant only (a partial unique index, so the database decides under concurrency).
// A login connection's domain is no longer unique across the service: first come must not block
// the domain's real owner. It is unique per tenant, and /sso routes a domain to the connection
// of the tenant that verified it.
import { sql, type Kysely } from 'kysely'

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('tenant_domains')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('domain_norm', 'text', (c) => c.notNull())
    // The random part of the TXT record value; not a secret (it is published in DNS).
    .addColumn('challenge', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('verified_at', 'text')
    // 'dns' or 'operator'; verified_by says who (the operator's name) for the latter.
    .addColumn('verified_method', 'text')
    .addColumn('verified_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('tenant_domains_pk', ['tenant_id', 'domain_norm'])
    .execute()
  await sql`create unique index tenant_domains_verified_uq on tenant_domains (domain_norm) where status = 'verified'`.execute(
    db,
  )

  await db.schema.dropIndex('login_connections_domain_uq').execute()
  await db.schema
    .createIndex('login_connections_tenant_domain_uq')
    .on('login_connections')
    .columns(['tenant_id', 'domain_norm'])
    .unique()
    .execute()
  await db.schema
    .createIndex('login_connections_domain_ix')
    .on('login_connections')
    .column('domain_norm')
    .execute()
}
