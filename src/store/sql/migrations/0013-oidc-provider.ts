// Rollcall as the host application's OpenID Provider (issue #10): what oidc-provider stores
// (sessions, interactions, codes, tokens, grants: one row per model, its payload as JSON), the
// clients the operator registers, and the provider's signing keys (rotated, sealed at rest).
import type { Kysely } from 'kysely'

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('oidc_models')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('grant_id', 'text')
    .addColumn('user_code', 'text')
    .addColumn('uid', 'text')
    // Unix seconds at which oidc-provider marked the model consumed (codes, refresh tokens).
    .addColumn('consumed', 'bigint')
    .addColumn('expires_at', 'text')
    .addPrimaryKeyConstraint('oidc_models_pk', ['kind', 'id'])
    .execute()
  await db.schema.createIndex('oidc_models_grant_ix').on('oidc_models').column('grant_id').execute()
  await db.schema
    .createIndex('oidc_models_uid_ix')
    .on('oidc_models')
    .columns(['kind', 'uid'])
    .execute()
  await db.schema
    .createIndex('oidc_models_user_code_ix')
    .on('oidc_models')
    .columns(['kind', 'user_code'])
    .execute()
  await db.schema
    .createIndex('oidc_models_expires_ix')
    .on('oidc_models')
    .column('expires_at')
    .execute()

  await db.schema
    .createTable('oidc_clients')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('secret_sealed', 'text', (c) => c.notNull())
    .addColumn('redirect_uris', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('oidc_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('private_jwk_sealed', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    // Set when a newer key replaced it: published for verification until then, then deleted.
    .addColumn('retires_at', 'text')
    .execute()
}
