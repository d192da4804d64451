// The directory (SPEC §1), SCIM credentials (§3) and the provisioning log, for SQLite and PostgreSQL.
// Timestamps are ISO-8601 UTC text with milliseconds (they sort as text on both engines);
// booleans are integers 0/1; *_norm columns hold the lower-cased form that case-insensitive
// uniqueness and lookups use (RFC 7643 §2.1 caseExact=false), so both engines index them alike.
import { sql, type Kysely } from 'kysely'

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>, dialect: 'sqlite' | 'postgres'): Promise<void> {
  // A JSON document column: jsonb on PostgreSQL (operators, no re-parse), text holding JSON on SQLite.
  const json = dialect === 'postgres' ? sql`jsonb` : sql`text`
  // SQLite: an INTEGER PRIMARY KEY is the rowid, assigned in increasing order.
  const bigId = dialect === 'postgres' ? sql`bigserial` : sql`integer`

  await db.schema
    .createTable('tenants')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('scim_strict_profile', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('scim_token_id', 'text')
    .addColumn('scim_token_issued_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()

  // The person, across tenants (D1, D2): identified by a normalised email when it has one.
  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('email_norm', 'text', (c) => c.unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()

  // Membership of a user in a tenant (D3) and that tenant's SCIM view of the user.
  await db.schema
    .createTable('tenant_users')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('user_name', 'text', (c) => c.notNull())
    .addColumn('user_name_norm', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text')
    .addColumn('display_name', 'text')
    .addColumn('display_name_norm', 'text')
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('origin', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('doc', json, (c) => c.notNull())
    .addColumn('password_hash', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('tenant_users_pk', ['tenant_id', 'user_id'])
    .execute()
  await db.schema
    .createIndex('tenant_users_user_name_uq')
    .on('tenant_users')
    .columns(['tenant_id', 'user_name_norm'])
    .unique()
    .execute()
  await db.schema
    .createIndex('tenant_users_external_id_ix')
    .on('tenant_users')
    .columns(['tenant_id', 'external_id'])
    .execute()
  await db.schema
    .createIndex('tenant_users_display_name_ix')
    .on('tenant_users')
    .columns(['tenant_id', 'display_name_norm'])
    .execute()
  await db.schema
    .createIndex('tenant_users_updated_ix')
    .on('tenant_users')
    .columns(['tenant_id', 'updated_at'])
    .execute()
  await db.schema
    .createIndex('tenant_users_created_ix')
    .on('tenant_users')
    .columns(['tenant_id', 'created_at'])
    .execute()
  await db.schema.createIndex('tenant_users_user_ix').on('tenant_users').column('user_id').execute()

  // emails[].value is looked up by IdPs (Entra's emails[type eq "work"].value matching), so the
  // values are kept in their own indexed table, rewritten with the user's emails.
  await db.schema
    .createTable('user_emails')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('value_norm', 'text', (c) => c.notNull())
    .addColumn('type', 'text')
    .addColumn('is_primary', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('user_emails_pk', ['tenant_id', 'user_id', 'position'])
    .addForeignKeyConstraint(
      'user_emails_member_fk',
      ['tenant_id', 'user_id'],
      'tenant_users',
      ['tenant_id', 'user_id'],
      (c) => c.onDelete('cascade'),
    )
    .execute()
  await db.schema
    .createIndex('user_emails_value_ix')
    .on('user_emails')
    .columns(['tenant_id', 'value_norm'])
    .execute()

  await db.schema
    .createTable('groups')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('display_name_norm', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text')
    .addColumn('origin', 'text', (c) => c.notNull())
    .addColumn('doc', json, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('groups_pk', ['tenant_id', 'id'])
    .execute()
  await db.schema
    .createIndex('groups_display_name_uq')
    .on('groups')
    .columns(['tenant_id', 'display_name_norm'])
    .unique()
    .execute()
  await db.schema
    .createIndex('groups_external_id_ix')
    .on('groups')
    .columns(['tenant_id', 'external_id'])
    .execute()
  await db.schema
    .createIndex('groups_updated_ix')
    .on('groups')
    .columns(['tenant_id', 'updated_at'])
    .execute()
  await db.schema
    .createIndex('groups_created_ix')
    .on('groups')
    .columns(['tenant_id', 'created_at'])
    .execute()

  // One row per member: adds and removes touch only the rows they name (O(changed members)).
  await db.schema
    .createTable('group_members')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('group_id', 'text', (c) => c.notNull())
    .addColumn('member_id', 'text', (c) => c.notNull())
    .addColumn('member_type', 'text', (c) => c.notNull())
    .addColumn('origin', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('group_members_pk', ['tenant_id', 'group_id', 'member_id'])
    .addForeignKeyConstraint(
      'group_members_group_fk',
      ['tenant_id', 'group_id'],
      'groups',
      ['tenant_id', 'id'],
      (c) => c.onDelete('cascade'),
    )
    .execute()
  await db.schema
    .createIndex('group_members_member_ix')
    .on('group_members')
    .columns(['tenant_id', 'member_id'])
    .execute()

  // The signing key, encrypted under ROLLCALL_SECRET (AES-256-GCM).
  await db.schema
    .createTable('signing_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('algorithm', 'text', (c) => c.notNull())
    .addColumn('public_jwk', 'text', (c) => c.notNull())
    .addColumn('private_key_encrypted', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('provisioning_log')
    .addColumn('id', bigId, (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('request_id', 'text')
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('operation', 'text', (c) => c.notNull())
    .addColumn('resource_type', 'text')
    .addColumn('resource_id', 'text')
    .addColumn('status', 'integer', (c) => c.notNull())
    .addColumn('scim_type', 'text')
    .addColumn('detail', 'text')
    .addColumn('duration_ms', 'real', (c) => c.notNull())
    .addColumn('client', 'text')
    .addColumn('request_body', 'text')
    .addColumn('response_body', 'text')
    .execute()
  await db.schema
    .createIndex('provisioning_log_tenant_ix')
    .on('provisioning_log')
    .columns(['tenant_id', 'id'])
    .execute()
}
