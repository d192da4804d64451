// The SSO scope: /sso. "Sign in with SSO" (domain or email → that tenant's IdP), the login URL of
// each connection, the CLI's one-time verification links, and the callback, answered with HTML
// pages. Every refusal is a page that says what happened and what to do (pages.ts); anything
// else is rendered by plugins/page-errors.ts.
import { setEventActor } from '../../../events/context.ts'
import type { FastifyInstance } from 'fastify'
import type { Config } from '../../../config.ts'
import type { OidcClients } from '../../../sso/clients.ts'
import type { Store } from '../../../store/store.ts'
import { registerPageErrorHandler } from '../../plugins/page-errors.ts'
import { callbackRoute } from './callback.ts'
import { findConnectionRoute } from './find-connection.ts'
import { loginUrlRoute } from './login-url.ts'
import { notFoundBody } from './pages.ts'
import { verifyLinkRoute } from './verify-link.ts'

export interface SsoRouteDeps {
  readonly config: Config
  readonly store: Store
  readonly clients: OidcClients
}

export async function ssoRoutes(app: FastifyInstance, deps: SsoRouteDeps): Promise<void> {
  registerPageErrorHandler(app, {
    notFound: notFoundBody,
  })
  // Sign-ins are the person's own doing (their user id is in the event's data).
  app.addHook('onRequest', async () => setEventActor({ type: 'user' }))
  findConnectionRoute(app, deps)
  loginUrlRoute(app, deps)
  verifyLinkRoute(app, deps)
  callbackRoute(app, deps)
}
