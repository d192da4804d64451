// Starting an OpenID Connect authorization (OpenID Connect Core 1.0 §3.1.2.1) for a login
// connection: authorization code flow with PKCE (RFC 7636, S256), state and nonce. The pending
// request is stored in the database (any instance finishes it, once) and bound to the browser
// by a cookie whose sha256 the row keeps, so a callback URL replayed in another browser fails.
import * as oidc from 'openid-client'
import { hashToken, secondsAfter } from '../credentials/one-time-tokens.ts'
import type { AuthorizationPurpose, LoginConnectionRecord, Store } from '../store/store.ts'
import type { OidcClients } from './clients.ts'
import { FLOW_TTL_SECONDS, redirectUriOf } from './connections.ts'

/** The cookie that binds a pending authorization to the browser that started it. */
export const BINDING_COOKIE = 'rollcall_sso'

export interface SsoDeps {
  readonly store: Store
  readonly clients: OidcClients
  readonly publicUrl: string
}

/** Deletes expired authorization states, one-time tokens and sessions, and day-old login failures. */
async function pruneExpiredSignInState(store: Store, now: Date): Promise<void> {
  const at = now.toISOString()
  await store.authorizationStates.pruneExpired(at)
  await store.oneTimeTokens.pruneExpired(at)
  await store.sessions.pruneExpired(at)
  await store.loginFailures.pruneBefore(secondsAfter(now, -24 * 3600))
}

/** Returns the IdP authorization URL to redirect the browser to. */
export async function startAuthorization(
  deps: SsoDeps,
  connection: LoginConnectionRecord,
  purpose: AuthorizationPurpose,
  binding: string,
  now: Date = new Date(),
): Promise<URL> {
  const config = await deps.clients.configFor(connection)
  const state = oidc.randomState()
  const nonce = oidc.randomNonce()
  const codeVerifier = oidc.randomPKCECodeVerifier()
  // Expired rows of abandoned flows go here, at the rate flows start.
  await pruneExpiredSignInState(deps.store, now)
  await deps.store.forTenant(connection.tenantId).authorizationStates.insert({
    state,
    connectionId: connection.id,
    purpose,
    nonce,
    codeVerifier,
    bindingHash: hashToken(binding),
    createdAt: now.toISOString(),
    expiresAt: secondsAfter(now, FLOW_TTL_SECONDS),
  })
  return oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirectUriOf(deps.publicUrl),
    scope: 'openid email profile',
    response_type: 'code',
    state,
    nonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
  })
}
