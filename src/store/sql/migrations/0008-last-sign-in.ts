// Last sign-in on the console's Users page (issue #9): when a session last started for the
// membership (local sign-in or SSO callback), null until one does. Written with the session's row
// in one transaction; not part of the SCIM resource, so it changes neither version nor updated_at.
import type { Kysely } from 'kysely'

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('tenant_users').addColumn('last_sign_in_at', 'text').execute()
}
