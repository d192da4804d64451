// GET /oidc/interaction/:uid — the sign-in step of the host application's authorization request.
// Routes the request to a tenant (tenant= or login_hint's verified domain), signs the person in
// through the existing flows (that tenant's SSO connection, or the local password form), which
// come back here (plugins/oidc-return.ts), and finishes with the account of that membership.
// A Rollcall session of the same tenant is reused unless the app asked for a fresh sign-in.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { accountIdOf } from '../../../identity-provider/accounts.ts'
import type { IdentityProvider } from '../../../identity-provider/provider.ts'
import { routeSignIn } from '../../../identity-provider/routing.ts'
import { resolveSession, SESSION_COOKIE } from '../../../sessions/sessions.ts'
import { clearedOidcReturn, readOidcReturn, setOidcReturn } from '../../plugins/oidc-return.ts'
import type { SsoRouteDeps } from '../sso/index.ts'
import { sendSsoPage, startAt } from '../sso/start.ts'
import { expiredInteractionPage, noTenantPage, wrongTenantPage } from './pages.ts'

export interface InteractionDeps extends SsoRouteDeps {
  readonly identityProvider: IdentityProvider
}

const param = (value: unknown): string | undefined =>
  typeof value === 'string' && value.length <= 320 ? value : undefined

/** Reasons (oidc-provider's) for which an existing session must not be reused. */
const FRESH_SIGN_IN = new Set(['login_prompt', 'max_age', 'id_token_hint'])

export function interactionRoute(app: FastifyInstance, deps: InteractionDeps): void {
  const { config, store } = deps
  app.get<{ Params: { uid: string } }>(
    '/interaction/:uid',
    {
      schema: {
        params: { type: 'object', properties: { uid: { type: 'string', maxLength: 64 } } },
      },
    },
    async (request, reply) => {
      const provider = await deps.identityProvider.provider()
      const details = await provider.interactionDetails(request.raw, reply.raw).catch(() => null)
      if (!details || details.uid !== request.params.uid) {
        return sendSsoPage(reply, expiredInteractionPage)
      }
      const finish = async (
        result: Record<string, unknown>,
        merge = false,
      ): Promise<FastifyReply> => {
        // oidc-provider writes the redirect itself (keeping this header).
        reply.hijack()
        reply.raw.setHeader('set-cookie', clearedOidcReturn(request, config))
        await provider.interactionFinished(request.raw, reply.raw, result, {
          mergeWithLastSubmission: merge,
        })
        return reply
      }

      if (details.prompt.name === 'consent') {
        // First-party clients: no consent screen. Only an explicit prompt=consent (asked with
        // offline_access, for a refresh token) gets here; the grant covers what was requested.
        const accountId = details.session?.accountId
        const clientId =
          typeof details.params.client_id === 'string' ? details.params.client_id : ''
        if (!accountId) return sendSsoPage(reply, expiredInteractionPage)
        const existing = details.grantId ? await provider.Grant.find(details.grantId) : undefined
        const grant = existing ?? new provider.Grant({ accountId, clientId })
        grant.addOIDCScope(
          typeof details.params.scope === 'string' ? details.params.scope : 'openid',
        )
        return finish({ consent: { grantId: await grant.save() } }, true)
      }
      await store.oidcModels.pruneExpired(new Date().toISOString())
      const route = await routeSignIn(store, {
        tenant: param(details.params.tenant),
        loginHint: param(details.params.login_hint),
      })
      if (route.kind === 'unknown') return sendSsoPage(reply, noTenantPage(route.reason))

      const session = await resolveSession(store, config.sessions, request.cookies[SESSION_COOKIE])
      // A session made after this interaction sent the person to sign in is the sign-in it asked
      // for; an older one is reused unless the app asked for a fresh sign-in (prompt=login,
      // max_age).
      const sent = readOidcReturn(request)
      const signedInHere =
        session !== undefined &&
        sent?.uid === details.uid &&
        Date.parse(session.createdAt) >= sent.sentAt
      const fresh = details.prompt.reasons.some((r) => FRESH_SIGN_IN.has(r))
      if (session && session.tenantId === route.tenant.id && (signedInHere || !fresh)) {
        return finish({
          login: {
            accountId: accountIdOf(session.tenantId, session.userId),
            ts: Math.floor(Date.parse(session.createdAt) / 1000),
          },
        })
      }
      if (session && signedInHere) {
        return sendSsoPage(reply, wrongTenantPage(session.tenantSlug, route.tenant.slug))
      }
      return startSignIn(deps, request, reply, route, details.uid)
    },
  )
}

async function startSignIn(
  deps: InteractionDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  route: Exclude<Awaited<ReturnType<typeof routeSignIn>>, { kind: 'unknown' }>,
  uid: string,
): Promise<FastifyReply> {
  setOidcReturn(reply, deps.config, uid)
  if (route.kind === 'sso') return startAt(deps, request, reply, route.connection, 'login')
  const query = new URLSearchParams({ tenant: route.tenant.slug })
  if (route.email) query.set('email', route.email)
  return reply.code(303).header('cache-control', 'no-store').redirect(`/login?${query}`)
}
