// The redirect back from the IdP (OpenID Connect Core 1.0 §3.1.2.5–§3.1.3.7): consume the
// pending authorization (single use, bound to this browser), exchange the code, validate the ID
// token, then either mark the connection verified (showing what a sign-in would do) or sign the
// person in under the rules of sign-in-rules.ts, carried out in one transaction.
import * as oidc from 'openid-client'
import { hashToken } from '../credentials/one-time-tokens.ts'
import { newUserId, type UserId } from '../domain/ids.ts'
import { describeDecision, emailFromClaims, type SignInDecision } from '../domain/sign-in-rules.ts'
import type { SessionSettings } from '../sessions/sessions.ts'
import { createSession } from '../sessions/sessions.ts'
import { connectionEvent, signedInEvent, userEvent } from '../events/data.ts'
import { appendEvents } from '../events/record.ts'
import type { LoginConnectionRecord, Store, UserRecord } from '../store/store.ts'
import { decideFor } from './claims.ts'
import type { SsoDeps } from './login.ts'

export type CallbackOutcome =
  /** Unknown, expired, already used, or started in another browser. */
  | { readonly kind: 'invalidState' }
  | {
      readonly kind: 'failed'
      readonly connection: LoginConnectionRecord | undefined
      readonly purpose: 'verify' | 'login'
      readonly error: string
      readonly description: string | null
      readonly fix: string
    }
  | {
      readonly kind: 'verified'
      readonly connection: LoginConnectionRecord
      readonly claims: Readonly<Record<string, unknown>>
      readonly decision: SignInDecision
    }
  /** The connection was edited (back to draft) or never verified: nobody signs in through it. */
  | { readonly kind: 'notVerified'; readonly connection: LoginConnectionRecord }
  | {
      readonly kind: 'signedIn'
      readonly connection: LoginConnectionRecord
      readonly decision: SignInDecision & { kind: 'signIn' | 'transfer' | 'join' | 'create' }
      readonly sessionId: string
      readonly tenantSlug: string
    }
  | {
      readonly kind: 'refused'
      readonly connection: LoginConnectionRecord
      readonly decision: SignInDecision & { kind: 'refuse' }
    }

/** What to fix for an error the IdP returned (RFC 6749 §4.1.2.1, §5.2) or openid-client raised. */
export function fixFor(error: string, redirectUri: string): string {
  switch (error) {
    case 'invalid_client':
    case 'unauthorized_client':
      return (
        'The IdP did not accept the client ID or client secret. Copy the Application (client) ID ' +
        'again, create a new client secret (Entra: Certificates & secrets) and edit the connection.'
      )
    case 'access_denied':
      return (
        'The sign-in was cancelled or refused at the IdP. Check that the user is assigned to the ' +
        'application (Entra: Enterprise applications → Users and groups) and that consent was given.'
      )
    case 'invalid_request':
    case 'redirect_uri_mismatch':
      return `Register exactly this redirect URI at the IdP (Entra: Authentication → Web): ${redirectUri}`
    case 'invalid_grant':
      return 'The authorization code expired or was already used. Start the sign-in again.'
    case 'discovery':
      return (
        'Rollcall could not read the OpenID configuration at the issuer URL. For Entra ID the issuer ' +
        'is https://login.microsoftonline.com/<Directory (tenant) ID>/v2.0, without a trailing slash.'
      )
    case 'id_token':
      return (
        'The ID token did not pass validation. Check that the issuer URL and the client ID of the ' +
        "connection are those of the app registration, and that this server's clock is right."
      )
    default:
      return 'Check the connection settings against the app registration at the IdP, then verify again.'
  }
}

const DISCOVERY_CODES = new Set([
  'OAUTH_RESPONSE_IS_NOT_CONFORM',
  'OAUTH_RESPONSE_IS_NOT_JSON',
  'OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED',
  'OAUTH_HTTP_REQUEST_FORBIDDEN',
])

/** An openid-client (or fetch) error as { error, description } in the IdP's vocabulary. */
export function describeOidcError(
  error: unknown,
  stage: 'discovery' | 'exchange',
): {
  error: string
  description: string
} {
  if (error instanceof oidc.AuthorizationResponseError || error instanceof oidc.ResponseBodyError) {
    return { error: error.error, description: error.error_description ?? error.message }
  }
  if (error instanceof oidc.WWWAuthenticateChallengeError) {
    // A 401 with a WWW-Authenticate challenge: the token endpoint refused the client credentials.
    const challenge = error.cause[0]?.parameters
    return {
      error: challenge?.error ?? 'invalid_client',
      description: challenge?.error_description ?? `the token endpoint answered ${error.status}`,
    }
  }
  const cause = (error as { cause?: unknown }).cause
  const detail =
    cause instanceof Error && cause.message !== (error as Error).message ? `: ${cause.message}` : ''
  const message = `${(error as Error).message ?? String(error)}${detail}`
  if (
    stage === 'discovery' ||
    (error instanceof oidc.ClientError && DISCOVERY_CODES.has(error.code ?? ''))
  ) {
    return { error: 'discovery', description: message }
  }
  if (error instanceof TypeError) return { error: 'unreachable', description: message }
  return { error: 'id_token', description: message }
}

/** The admin-facing outcome word of the sign-in log for a decision. */
function outcomeOf(decision: SignInDecision): string {
  switch (decision.kind) {
    case 'signIn':
      return 'signed-in'
    case 'transfer':
      return 'transferred'
    case 'join':
      return 'joined'
    case 'create':
      return 'created'
    case 'refuse':
      return 'refused'
  }
}

/**
 * Carries out a sign-in decision in one transaction, deciding again on the rows the transaction
 * reads (a SCIM write between the ID token and here is taken into account).
 */
async function applySignIn(
  store: Store,
  connection: LoginConnectionRecord,
  claims: Readonly<Record<string, unknown>>,
): Promise<{ decision: SignInDecision; userId: UserId | undefined }> {
  return store.transaction(async (tx) => {
    const decision = await decideFor(tx, connection, claims)
    const here = tx.forTenant(connection.tenantId)
    const at = new Date().toISOString()
    const displayName = typeof claims.name === 'string' && claims.name !== '' ? claims.name : null
    const membership = (email: string) => ({
      userName: email,
      externalId: null,
      displayName,
      active: true,
      doc: {
        userName: email,
        emails: [{ value: email, type: 'work', primary: true }],
        active: true,
        ...(displayName ? { displayName } : {}),
      },
      emails: [{ value: email, type: 'work', primary: true }],
    })
    const signedIn = async (user: UserRecord | undefined, created: boolean) => {
      if (!user) return
      const how = { method: 'sso' as const, connectionId: connection.id }
      await appendEvents(tx, connection.tenantId, [
        ...(created ? [userEvent('user.created', user)] : []),
        signedInEvent(user, how),
      ])
    }
    switch (decision.kind) {
      case 'refuse':
        return { decision, userId: undefined }
      case 'signIn':
        await signedIn(await here.users.get(decision.userId), false)
        return { decision, userId: decision.userId }
      // D7: a member here too; the memberships elsewhere stay until SCIM here takes control.
      case 'transfer':
      case 'join': {
        const user = await here.users.insert(
          decision.userId,
          membership(decision.email),
          { origin: 'INTERNAL', role: decision.role },
          at,
        )
        await signedIn(user, true)
        return { decision, userId: decision.userId }
      }
      case 'create': {
        const userId = newUserId()
        await here.users.insertIdentity(userId, decision.email, at)
        const user = await here.users.insert(
          userId,
          membership(decision.email),
          { origin: 'INTERNAL', role: decision.role },
          at,
        )
        await signedIn(user, true)
        return { decision, userId }
      }
    }
  })
}

/**
 * Finishes the round trip for the callback URL the browser requested (`currentUrl`, built on
 * PUBLIC_URL), with the value of the browser's binding cookie.
 */
export async function completeAuthorization(
  deps: SsoDeps & { readonly sessions: SessionSettings },
  currentUrl: URL,
  binding: string | undefined,
): Promise<CallbackOutcome> {
  const { store } = deps
  const state = currentUrl.searchParams.get('state')
  if (!state || state.length > 200) return { kind: 'invalidState' }
  const pending = await store.authorizationStates.consume(state, new Date().toISOString())
  if (!pending || !binding || hashToken(binding) !== pending.bindingHash)
    return { kind: 'invalidState' }
  const connection = await store.connections.get(pending.connectionId)
  const log = (outcome: string, email: string | null, detail: string | null) =>
    store.forTenant(pending.tenantId).signInLog.append({
      connectionId: pending.connectionId,
      at: new Date().toISOString(),
      outcome,
      email,
      detail,
    })
  const redirectUri = `${deps.publicUrl}/sso/callback`
  const fail = async (error: string, description: string | null): Promise<CallbackOutcome> => {
    await log(
      pending.purpose === 'verify' ? 'verification-failed' : 'failed',
      null,
      `${error}: ${description ?? ''}`,
    )
    return {
      kind: 'failed',
      connection,
      purpose: pending.purpose,
      error,
      description,
      fix: fixFor(error, redirectUri),
    }
  }
  if (!connection) return fail('connection_deleted', 'The login connection was deleted meanwhile.')

  const idpError = currentUrl.searchParams.get('error')
  if (idpError) return fail(idpError, currentUrl.searchParams.get('error_description'))

  let claims: Readonly<Record<string, unknown>>
  try {
    claims = (
      await deps.clients.exchange(connection, currentUrl, {
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        pkceCodeVerifier: pending.codeVerifier,
      })
    ).claims
  } catch (error) {
    const described = describeOidcError(error, 'exchange')
    return fail(described.error, described.description)
  }

  if (pending.purpose === 'verify') {
    const found = emailFromClaims(claims, connection.emailClaims)
    const decision = await decideFor(store, connection, claims)
    const verified =
      (await store.transaction(async (tx) => {
        const updated = await tx
          .forTenant(connection.tenantId)
          .connections.update(
            connection.id,
            { status: 'verified', verifiedAt: new Date().toISOString() },
            new Date().toISOString(),
          )
        // Verifying again what is verified changes nothing an app would act on.
        if (updated && connection.status !== 'verified') {
          await appendEvents(tx, connection.tenantId, [
            connectionEvent('connection.verified', updated),
          ])
        }
        return updated
      })) ?? connection
    await log('verified', found?.email ?? null, describeDecision(decision))
    return { kind: 'verified', connection: verified, claims, decision }
  }

  // The connection may have gone back to draft (edited) since the flow started.
  const current = await store.connections.get(connection.id)
  if (!current || current.status !== 'verified') return { kind: 'notVerified', connection }
  const { decision, userId } = await applySignIn(store, current, claims)
  await log(
    outcomeOf(decision),
    decision.email,
    decision.kind === 'signIn' ? null : describeDecision(decision),
  )
  if (decision.kind === 'refuse' || userId === undefined) {
    return {
      kind: 'refused',
      connection: current,
      decision: decision as SignInDecision & { kind: 'refuse' },
    }
  }
  const sessionId = await createSession(store, deps.sessions, {
    tenantId: current.tenantId,
    userId,
  })
  const tenant = await store.tenants.getById(current.tenantId)
  return {
    kind: 'signedIn',
    connection: current,
    decision,
    sessionId,
    tenantSlug: tenant?.slug ?? '',
  }
}
