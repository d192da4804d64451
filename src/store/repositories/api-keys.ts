// API keys of the host application (the directory API and the event feed under /api/v1): operator
// keys (every tenant) and tenant keys, each `read` or `write`. Only a hash of the secret is kept.
import type { TenantId } from '../../domain/ids.ts'

export type ApiKeyScope = 'read' | 'write'

export interface ApiKeyRecord {
  readonly id: string
  /** null: an operator key, valid for every tenant. */
  readonly tenantId: TenantId | null
  readonly scope: ApiKeyScope
  readonly name: string
  /** Hex SHA-256 of the whole key as the client sends it. */
  readonly keyHash: string
  readonly createdAt: string
  readonly lastUsedAt: string | null
  readonly lastUsedAddress: string | null
  readonly revokedAt: string | null
}

export type NewApiKey = Omit<ApiKeyRecord, 'lastUsedAt' | 'lastUsedAddress' | 'revokedAt'>

/** Service-wide: keys are the operator's, registered by the operator for any tenant. */
export interface ApiKeyRepository {
  /** Throws UniqueViolation('api_keys_pkey') on a duplicate id. */
  create(key: NewApiKey): Promise<ApiKeyRecord>
  get(id: string): Promise<ApiKeyRecord | undefined>
  /** Every key (revoked ones too), oldest first. */
  list(): Promise<ApiKeyRecord[]>
  /**
   * Records a use, unless one at or after `notBefore` is recorded already (so busy keys cost a
   * write at most once per interval). Returns whether it wrote.
   */
  recordUse(id: string, at: string, address: string | null, notBefore: string): Promise<boolean>
  /** Marks the key revoked (once; the first time stays). Returns whether the key exists. */
  revoke(id: string, at: string): Promise<boolean>
}
