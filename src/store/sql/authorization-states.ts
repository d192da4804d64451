// The sso_states table: a pending OIDC authorization request (state, nonce, PKCE verifier) of
// one tenant's connection, kept until its callback, which knows only the state.
import type { Selectable } from 'kysely'
import { asConnectionId, asTenantId, type TenantId } from '../../domain/ids.ts'
import type {
  AuthorizationPurpose,
  AuthorizationStateLookup,
  AuthorizationStateRecord,
  AuthorizationStateRepository,
  AuthorizationStateWrite,
} from '../store.ts'
import type { SqlContext } from './context.ts'
import type { SsoStatesTable } from './tables.ts'

function toAuthorizationState(row: Selectable<SsoStatesTable>): AuthorizationStateRecord {
  return {
    state: row.state,
    tenantId: asTenantId(row.tenant_id),
    connectionId: asConnectionId(row.connection_id),
    purpose: row.purpose as AuthorizationPurpose,
    nonce: row.nonce,
    codeVerifier: row.code_verifier,
    bindingHash: row.binding_hash,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
  }
}

/** Pending requests by state, whatever their tenant. */
export class SqlAuthorizationStateLookup implements AuthorizationStateLookup {
  constructor(private readonly ctx: SqlContext) {}

  async consume(state: string, now: string): Promise<AuthorizationStateRecord | undefined> {
    // DELETE … RETURNING: of two callbacks racing with one state, only one gets the row.
    const row = await this.ctx.db
      .deleteFrom('sso_states')
      .where('state', '=', state)
      .returningAll()
      .executeTakeFirst()
    if (!row || row.expires_at <= now) return undefined
    return toAuthorizationState(row)
  }

  async pruneExpired(now: string): Promise<void> {
    await this.ctx.db.deleteFrom('sso_states').where('expires_at', '<=', now).execute()
  }
}

/** Starting requests for one tenant's connections. */
export class SqlAuthorizationStates implements AuthorizationStateRepository {
  constructor(
    private readonly ctx: SqlContext,
    private readonly tenantId: TenantId,
  ) {}

  async insert(record: AuthorizationStateWrite): Promise<void> {
    await this.ctx.db
      .insertInto('sso_states')
      .values({
        state: record.state,
        tenant_id: this.tenantId,
        connection_id: record.connectionId,
        purpose: record.purpose,
        nonce: record.nonce,
        code_verifier: record.codeVerifier,
        binding_hash: record.bindingHash,
        created_at: record.createdAt,
        expires_at: record.expiresAt,
      })
      .execute()
  }
}
