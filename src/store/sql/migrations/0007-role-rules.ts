// Group → role rules (SPEC §1 D4, §5 Roles): role_rules holds at most one rule per group, removed
// with its group (cascade). tenant_users.assigned_role keeps the member's own role (set by an admin
// or the default), so `role` can hold the effective role (the highest of it and the rules of the
// member's direct groups) and fall back when a rule or a membership goes away. No rule exists yet,
// so every member's own role is their current role.
import type { Kysely } from 'kysely'

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('role_rules')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('group_id', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('role_rules_pk', ['tenant_id', 'group_id'])
    .addForeignKeyConstraint(
      'role_rules_group_fk',
      ['tenant_id', 'group_id'],
      'groups',
      ['tenant_id', 'id'],
      (c) => c.onDelete('cascade'),
    )
    .execute()

  await db.schema
    .alterTable('tenant_users')
    .addColumn('assigned_role', 'text', (c) => c.notNull().defaultTo('Viewer'))
    .execute()
  await db
    .updateTable('tenant_users')
    .set((eb) => ({ assigned_role: eb.ref('role') }))
    .execute()
}
