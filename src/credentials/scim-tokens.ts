// SCIM bearer tokens (SPEC §3): Ed25519-signed JWTs bound to one tenant, issued only once the
// tenant has a verified login connection. Only the token id (jti) is stored, on the tenant; a new
// token replaces it, which revokes the old one on every instance within a second (each request
// checks it against the tenant, read at most half a second ago: store/sql/tenant-cache.ts).
import { timingSafeEqual } from 'node:crypto'
import {
  SignJWT,
  exportJWK,
  generateKeyPair,
  importJWK,
  jwtVerify,
  type JWK,
  type KeyObject,
} from 'jose'
import { newId } from '../domain/ids.ts'
import type { Tenant } from '../domain/types.ts'
import { AppError } from '../errors.ts'
import { hasVerifiedConnection } from '../sso/connections.ts'
import type { Store } from '../store/store.ts'
import type { SecretBox } from './secret-box.ts'
import { scimTokenEvent } from '../events/data.ts'
import { appendEvents } from '../events/record.ts'

const ALGORITHM = 'EdDSA'
const AUDIENCE = 'rollcall:scim'

export interface SigningKey {
  readonly kid: string
  readonly privateKey: CryptoKey | KeyObject
  readonly publicKey: CryptoKey | KeyObject
}

/** Loads the instance signing key, creating (and storing, encrypted) one on first start. */
export async function loadSigningKey(store: Store, box: SecretBox): Promise<SigningKey> {
  let record = await store.signingKeys.get()
  if (!record) {
    const { privateKey, publicKey } = await generateKeyPair('EdDSA', {
      crv: 'Ed25519',
      extractable: true,
    })
    const kid = newId()
    const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: ALGORITHM }
    const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: ALGORITHM }
    record = await store.signingKeys.insert({
      id: kid,
      algorithm: ALGORITHM,
      publicJwk: JSON.stringify(publicJwk),
      privateKeyEncrypted: box.seal(JSON.stringify(privateJwk)),
      createdAt: new Date().toISOString(),
    })
  }
  const privateJwk = JSON.parse(box.open(record.privateKeyEncrypted)) as JWK
  const publicJwk = JSON.parse(record.publicJwk) as JWK
  return {
    kid: record.id,
    privateKey: (await importJWK(privateJwk, ALGORITHM)) as CryptoKey | KeyObject,
    publicKey: (await importJWK(publicJwk, ALGORITHM)) as CryptoKey | KeyObject,
  }
}

export interface IssuedToken {
  readonly token: string
  readonly tokenId: string
  /** The tenant's SCIM Base URL (Entra: Tenant URL), given to the IdP with the token. */
  readonly baseUrl: string
}

export interface IssueOptions {
  /** The operator's bypass (CLI --force): issue even without a verified login connection. */
  readonly force?: boolean | undefined
}

// SPEC §3: SCIM needs a verified login connection, because users moved here by D6/D7 sign in
// through it. The fix names the CLI, this message's audience (the console checks first with its
// own wording, in scim-settings.ts).
function needsVerifiedConnection(tenant: Tenant): AppError {
  return AppError.conflict(
    `SCIM provisioning for ${tenant.slug} needs a verified login connection first: people ` +
      'that another tenant already has can only be moved here by signing in through this ' +
      "tenant's login URL.\n" +
      `Fix: npx rollcall connection create --tenant ${tenant.slug} --name N --issuer URL ` +
      '--client-id ID --client-secret-stdin --domain D, then npx rollcall connection verify ' +
      `--tenant ${tenant.slug} --id ID and open the link.\n` +
      'Or, as the operator, add --force to issue the token anyway.',
  )
}

/**
 * Issues a new token for the tenant and makes it the only valid one (revoking the previous).
 * `publicUrl` is the token's issuer and the base of the SCIM Base URL. Throws conflict when the
 * tenant has no verified login connection, unless `force`.
 */
export async function issueScimToken(
  store: Store,
  key: SigningKey,
  tenant: Tenant,
  publicUrl: string,
  options: IssueOptions = {},
): Promise<IssuedToken> {
  if (!options.force && !(await hasVerifiedConnection(store, tenant.id))) {
    throw needsVerifiedConnection(tenant)
  }
  const tokenId = newId()
  const token = await new SignJWT({ tid: tenant.id })
    .setProtectedHeader({ alg: ALGORITHM, kid: key.kid, typ: 'JWT' })
    .setIssuer(publicUrl)
    .setAudience(AUDIENCE)
    .setSubject(`tenant:${tenant.slug}`)
    .setJti(tokenId)
    .setIssuedAt()
    .sign(key.privateKey)
  await replaceToken(store, tenant, tokenId, new Date())
  return { token, tokenId, baseUrl: `${publicUrl}/scim/v2/${tenant.slug}` }
}

/** Disables SCIM for the tenant: its token, if any, stops working on the next request. */
export async function revokeScimToken(
  store: Store,
  tenant: Tenant,
  now: Date = new Date(),
): Promise<void> {
  await replaceToken(store, tenant, null, now)
}

/** Makes `tokenId` the tenant's token (null: none), recording the revoked and the issued one. */
async function replaceToken(
  store: Store,
  tenant: Tenant,
  tokenId: string | null,
  now: Date,
): Promise<void> {
  const at = now.toISOString()
  await store.transaction(async (tx) => {
    const previous = (await tx.tenants.getById(tenant.id))?.scimTokenId ?? null
    await tx.forTenant(tenant.id).scim.setToken(tokenId, at)
    await appendEvents(tx, tenant.id, [
      ...(previous !== null ? [scimTokenEvent('scim_token.revoked', previous, at)] : []),
      ...(tokenId !== null ? [scimTokenEvent('scim_token.issued', tokenId, at)] : []),
    ])
  })
}

export type TokenCheck =
  { readonly ok: true; readonly tenant: Tenant } | { readonly ok: false; readonly reason: string }

const REISSUE_HINT =
  'Issue a new SCIM token for this tenant (`npx rollcall scim-token issue --tenant <slug>`) ' +
  'and paste it into the IdP as the Secret Token.'

// Signature checks cost more than the rest of a small request, and an IdP sends the same token
// on every request: remember the claims of tokens whose signature verified. Revocation is still
// checked on every request, against the tenant as recently read (getBySlugRecent).
const VERIFIED_CAPACITY = 1000
const verifiedByKey = new WeakMap<SigningKey, Map<string, { tid?: unknown; jti?: unknown }>>()

function verifiedTokensOf(key: SigningKey): Map<string, { tid?: unknown; jti?: unknown }> {
  let tokens = verifiedByKey.get(key)
  if (!tokens) {
    tokens = new Map()
    verifiedByKey.set(key, tokens)
  }
  return tokens
}

function rememberVerified(
  verifiedTokens: Map<string, { tid?: unknown; jti?: unknown }>,
  token: string,
  claims: { tid?: unknown; jti?: unknown },
): void {
  if (verifiedTokens.size >= VERIFIED_CAPACITY) {
    const oldest = verifiedTokens.keys().next().value
    if (oldest !== undefined) verifiedTokens.delete(oldest)
  }
  verifiedTokens.set(token, claims)
}

function sameString(a: string, b: string): boolean {
  const left = Buffer.from(a)
  const right = Buffer.from(b)
  return left.length === right.length && timingSafeEqual(left, right)
}

/**
 * Checks a bearer token for the tenant named in the URL: signature, audience, that it was issued
 * for this tenant, and that it is the tenant's current token. Every failure says what to do.
 */
export async function verifyScimToken(
  store: Store,
  key: SigningKey,
  authorization: string | undefined,
  tenantSlug: string,
): Promise<TokenCheck> {
  if (!authorization) {
    return {
      ok: false,
      reason: `No Authorization header. Send "Authorization: Bearer <token>". ${REISSUE_HINT}`,
    }
  }
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization)
  if (!match?.[1]) {
    return {
      ok: false,
      reason: `The Authorization header is not "Bearer <token>". ${REISSUE_HINT}`,
    }
  }
  const verifiedTokens = verifiedTokensOf(key)
  let claims = verifiedTokens.get(match[1])
  if (claims === undefined) {
    try {
      const verified = await jwtVerify(match[1], key.publicKey, {
        algorithms: [ALGORITHM],
        audience: AUDIENCE,
      })
      claims = { tid: verified.payload.tid, jti: verified.payload.jti }
      rememberVerified(verifiedTokens, match[1], claims)
    } catch {
      return {
        ok: false,
        reason: `The bearer token is malformed, expired or not signed by this Rollcall. ${REISSUE_HINT}`,
      }
    }
  }
  const tenant = await store.tenants.getBySlugRecent(tenantSlug)
  // A token of another tenant and an unknown tenant answer alike: nothing about other tenants leaks.
  if (!tenant || typeof claims.tid !== 'string' || !sameString(claims.tid, tenant.id)) {
    return {
      ok: false,
      reason: `The bearer token was not issued for this tenant's SCIM base URL. ${REISSUE_HINT}`,
    }
  }
  if (tenant.scimTokenId === null) {
    return { ok: false, reason: `SCIM provisioning is disabled for this tenant. ${REISSUE_HINT}` }
  }
  if (typeof claims.jti !== 'string' || !sameString(claims.jti, tenant.scimTokenId)) {
    return {
      ok: false,
      reason: `The bearer token has been revoked: a newer token was issued. ${REISSUE_HINT}`,
    }
  }
  return { ok: true, tenant }
}
