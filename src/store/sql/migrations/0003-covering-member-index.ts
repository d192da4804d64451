// "Which groups is this user in?" (the User `groups` attribute, member removal on delete) must be
// an index lookup on both engines. Without statistics SQLite preferred scanning the tenant's
// memberships through the covering primary key over the narrower (tenant_id, member_id) index;
// making that index covering (group_id added) makes it the obvious choice.
import type { Kysely } from 'kysely'

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('group_members_member_ix').execute()
  await db.schema
    .createIndex('group_members_member_ix')
    .on('group_members')
    .columns(['tenant_id', 'member_id', 'group_id'])
    .execute()
}
