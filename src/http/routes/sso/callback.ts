// GET /sso/callback — the IdP's answer (OIDC authorization code flow): completes the sign-in or
// the verification (sso/callback.ts) and answers with the page of its outcome.
import type { FastifyInstance } from 'fastify'
import { completeAuthorization } from '../../../sso/callback.ts'
import { BINDING_COOKIE } from '../../../sso/login.ts'
import { returnToOidc } from '../../plugins/oidc-return.ts'
import { setSessionCookie } from '../../plugins/web-session.ts'
import { callbackPage, signedInPage } from './pages.ts'
import type { SsoRouteDeps } from './index.ts'
import { sendSsoPage } from './start.ts'

export function callbackRoute(app: FastifyInstance, deps: SsoRouteDeps): void {
  const { config, store } = deps
  app.get('/callback', async (request, reply) => {
    const currentUrl = new URL(request.url, `${config.publicUrl}/`)
    // Callback URLs are resolved against PUBLIC_URL: openid-client derives the redirect_uri sent
    // to the token endpoint from it, and that must be the registered one.
    const callbackUrl = new URL(`${config.publicUrl}/sso/callback${currentUrl.search}`)
    const outcome = await completeAuthorization(
      { store, clients: deps.clients, publicUrl: config.publicUrl, sessions: config.sessions },
      callbackUrl,
      request.cookies[BINDING_COOKIE],
    )
    if (outcome.kind !== 'signedIn') return sendSsoPage(reply, callbackPage(outcome))
    setSessionCookie(reply, config, outcome.sessionId)
    // A sign-in the host application asked for (/oidc) goes back there.
    return returnToOidc(request, reply) ?? sendSsoPage(reply, signedInPage(outcome))
  })
}
