// API keys of the host application (/api/v1): `rk_<id>_<secret>`, the secret 32 random bytes. Only
// the SHA-256 of the whole key is stored; a presented key is found by its id and its hash compared
// in constant time. Operator keys (no tenant) see every tenant; tenant keys their own. The last use
// (time and address) is recorded at most once a minute per key, so a busy key costs no write per
// request.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { TenantId } from '../domain/ids.ts'
import type { Tenant } from '../domain/types.ts'
import { AppError } from '../errors.ts'
import type { ApiKeyRecord, ApiKeyScope, Store } from '../store/store.ts'

/** Who a request to /api/v1 acts as: the key, its tenant (null: the operator's), its scope. */
export interface ApiPrincipal {
  readonly keyId: string
  readonly tenantId: TenantId | null
  readonly scope: ApiKeyScope
}

export const API_KEY_SCOPES: readonly ApiKeyScope[] = ['read', 'write']

/** How often the last use of one key is written, at most. */
export const LAST_USE_INTERVAL_MS = 60_000

const KEY_PATTERN = /^rk_([0-9a-f]{20})_([A-Za-z0-9_-]{43})$/

function hashOf(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex')
}

export interface CreatedApiKey {
  readonly record: ApiKeyRecord
  /** The key itself: shown once, never stored. */
  readonly key: string
}

/** Creates a key for the operator (no tenant) or for one tenant. */
export async function createApiKey(
  store: Store,
  input: { tenant?: Tenant | undefined; scope: string; name?: string | undefined },
  now: Date = new Date(),
): Promise<CreatedApiKey> {
  if (!(API_KEY_SCOPES as readonly string[]).includes(input.scope)) {
    throw AppError.invalidRequest(
      `Unknown scope "${input.scope.slice(0, 50)}"; use ${API_KEY_SCOPES.join(' or ')}.`,
    )
  }
  const name = input.name?.trim() || (input.tenant ? `${input.tenant.slug} key` : 'operator key')
  if (name.length > 200) throw AppError.invalidRequest('A key name has at most 200 characters.')
  const id = randomBytes(10).toString('hex')
  const key = `rk_${id}_${randomBytes(32).toString('base64url')}`
  const record = await store.apiKeys.create({
    id,
    tenantId: input.tenant?.id ?? null,
    scope: input.scope as ApiKeyScope,
    name,
    keyHash: hashOf(key),
    createdAt: now.toISOString(),
  })
  return { record, key }
}

export async function listApiKeys(store: Store): Promise<ApiKeyRecord[]> {
  return store.apiKeys.list()
}

/** Revokes a key at once on every instance (each request reads the key). */
export async function revokeApiKey(store: Store, id: string, now: Date = new Date()) {
  if (!(await store.apiKeys.revoke(id, now.toISOString()))) {
    throw AppError.notFound(`No API key ${id.slice(0, 40)}. See \`npx rollcall api-key list\`.`)
  }
}

/**
 * Checks a presented key; undefined when it is malformed, unknown, wrong or revoked (the caller
 * answers 401 without saying which). Records the use now and then (see LAST_USE_INTERVAL_MS).
 */
export async function authenticateApiKey(
  store: Store,
  presented: string,
  address: string | null,
  now: Date = new Date(),
): Promise<ApiPrincipal | undefined> {
  const match = KEY_PATTERN.exec(presented)
  if (!match?.[1]) return undefined
  const record = await store.apiKeys.get(match[1])
  if (!record || record.revokedAt !== null) return undefined
  const expected = Buffer.from(record.keyHash, 'hex')
  const actual = Buffer.from(hashOf(presented), 'hex')
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return undefined
  const last = record.lastUsedAt === null ? 0 : Date.parse(record.lastUsedAt)
  if (now.getTime() - last >= LAST_USE_INTERVAL_MS) {
    const notBefore = new Date(now.getTime() - LAST_USE_INTERVAL_MS).toISOString()
    // Conditional, so instances racing on one key write once; a failure here must not fail the
    // request it accompanies.
    await store.apiKeys.recordUse(record.id, now.toISOString(), address, notBefore).catch(() => {})
  }
  return { keyId: record.id, tenantId: record.tenantId, scope: record.scope }
}
