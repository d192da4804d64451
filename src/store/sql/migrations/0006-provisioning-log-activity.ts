// The provisioning log for the console (issue #9): the client's address beside its user agent
// ("when the token was last used, from which address and client"), and an index on time for the
// activity chart, which counts a tenant's requests per time bucket since a cut-off.
import type { Kysely } from 'kysely'

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('provisioning_log').addColumn('address', 'text').execute()
  await db.schema
    .createIndex('provisioning_log_tenant_at_ix')
    .on('provisioning_log')
    .columns(['tenant_id', 'at'])
    .execute()
}
