// Sign-in (SPEC §4, issue #4): OIDC login connections per tenant, pending authorization states,
// one-time tokens (verification links, set-password links), the sign-in log, local credentials of
// break-glass admins, failed-login counters and server-side sessions. Everything a second instance
// needs to finish a flow or see a revocation lives here, never in process memory.
import { sql, type Kysely } from 'kysely'

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>, dialect: 'sqlite' | 'postgres'): Promise<void> {
  // SQLite: an INTEGER PRIMARY KEY is the rowid, assigned in increasing order.
  const bigId = dialect === 'postgres' ? sql`bigserial` : sql`integer`

  await db.schema
    .createTable('login_connections')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('issuer', 'text', (c) => c.notNull())
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('client_secret_encrypted', 'text', (c) => c.notNull())
    .addColumn('domain', 'text', (c) => c.notNull())
    .addColumn('domain_norm', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('verified_at', 'text')
    .addColumn('jit_enabled', 'integer', (c) => c.notNull().defaultTo(1))
    // JSON array of claim names, e.g. ["email","preferred_username","upn"].
    .addColumn('email_claims', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()
  // The identity provider domain is unique across the service: it picks the tenant on /sso.
  await db.schema
    .createIndex('login_connections_domain_uq')
    .on('login_connections')
    .column('domain_norm')
    .unique()
    .execute()
  await db.schema
    .createIndex('login_connections_tenant_ix')
    .on('login_connections')
    .column('tenant_id')
    .execute()

  // Pending authorization requests (state, nonce, PKCE verifier): any instance finishes the flow,
  // and the row is deleted when the callback consumes it (single use).
  await db.schema
    .createTable('sso_states')
    .addColumn('state', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('connection_id', 'text', (c) => c.notNull())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('nonce', 'text', (c) => c.notNull())
    .addColumn('code_verifier', 'text', (c) => c.notNull())
    .addColumn('binding_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('sso_states_expires_ix')
    .on('sso_states')
    .column('expires_at')
    .execute()

  // One-time links (connection verification, set-password): only a sha256 of the token is kept.
  await db.schema
    .createTable('one_time_tokens')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('sign_in_log')
    .addColumn('id', bigId, (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('connection_id', 'text')
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('email', 'text')
    .addColumn('detail', 'text')
    .execute()
  await db.schema
    .createIndex('sign_in_log_tenant_ix')
    .on('sign_in_log')
    .columns(['tenant_id', 'id'])
    .execute()

  // Passwords of local (break-glass) admins, per person; scrypt hashes.
  await db.schema
    .createTable('local_credentials')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()

  // One row per failed local sign-in and key (account or client address): every instance counts
  // the same failures.
  await db.schema
    .createTable('login_failures')
    .addColumn('id', bigId, (c) => c.primaryKey())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('login_failures_key_ix')
    .on('login_failures')
    .columns(['key', 'at'])
    .execute()

  // Sessions: the cookie carries a random id, the table its sha256.
  await db.schema
    .createTable('sessions')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text', (c) => c.notNull())
    .addColumn('idle_expires_at', 'text', (c) => c.notNull())
    .addColumn('absolute_expires_at', 'text', (c) => c.notNull())
    // A membership that goes (SCIM DELETE, a D7 transfer) takes its sessions with it.
    .addForeignKeyConstraint(
      'sessions_member_fk',
      ['tenant_id', 'user_id'],
      'tenant_users',
      ['tenant_id', 'user_id'],
      (c) => c.onDelete('cascade'),
    )
    .execute()
  await db.schema
    .createIndex('sessions_member_ix')
    .on('sessions')
    .columns(['tenant_id', 'user_id'])
    .execute()
}
