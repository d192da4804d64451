// The provider's signing keys (RS256, what every OIDC client accepts): in the database, the
// private JWK sealed with the instance secret, created on first start by whichever instance is
// first. Rotation adds a key that signs from then on; the replaced ones stay in the JWKS until
// they retire, so ID tokens they signed still verify.
import { exportJWK, generateKeyPair, type JWK } from 'jose'
import { newId } from '../domain/ids.ts'
import type { SecretBox } from '../credentials/secret-box.ts'
import type { OidcKeyRecord, Store } from '../store/store.ts'

/** How long a replaced key stays published by default (longer than any ID token lives). */
export const DEFAULT_KEY_OVERLAP_SECONDS = 24 * 3600

async function newKeyRecord(box: SecretBox, now: Date): Promise<OidcKeyRecord> {
  const { privateKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true })
  const kid = newId()
  const jwk = { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' }
  return {
    id: kid,
    privateJwkSealed: box.seal(JSON.stringify(jwk)),
    createdAt: now.toISOString(),
    retiresAt: null,
  }
}

export interface ProviderKeys {
  /** The key ids, the signing key first: a change means the provider must be rebuilt. */
  readonly ids: string
  readonly keys: readonly JWK[]
}

function opened(records: readonly OidcKeyRecord[], box: SecretBox): ProviderKeys {
  return {
    ids: records.map((r) => r.id).join(','),
    keys: records.map((r) => JSON.parse(box.open(r.privateJwkSealed)) as JWK),
  }
}

/** The live keys, the signing key first; creates the first key when there is none. */
export async function loadProviderKeys(
  store: Store,
  box: SecretBox,
  now: Date = new Date(),
): Promise<ProviderKeys> {
  let records = await store.oidcKeys.live(now.toISOString())
  if (records.length === 0) {
    records = await store.oidcKeys.insertFirst(await newKeyRecord(box, now), now.toISOString())
  }
  return opened(records, box)
}

/** The key ids only, to tell cheaply whether another process rotated. */
export async function liveKeyIds(store: Store, now: Date = new Date()): Promise<string> {
  return (await store.oidcKeys.live(now.toISOString())).map((r) => r.id).join(',')
}

export interface Rotation {
  readonly kid: string
  /** Until when the replaced keys stay published. */
  readonly retiresAt: string
  readonly published: readonly string[]
}

export async function rotateProviderKey(
  store: Store,
  box: SecretBox,
  overlapSeconds: number = DEFAULT_KEY_OVERLAP_SECONDS,
  now: Date = new Date(),
): Promise<Rotation> {
  const record = await newKeyRecord(box, now)
  const retiresAt = new Date(now.getTime() + overlapSeconds * 1000).toISOString()
  const live = await store.oidcKeys.rotate(record, retiresAt, now.toISOString())
  return { kid: record.id, retiresAt, published: live.map((r) => r.id) }
}
