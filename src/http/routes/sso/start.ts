// Starting a sign-in or a verification round trip: redirect the browser to the connection's IdP
// (binding the flow to this browser), or send the page that says why it cannot start.
import type { FastifyReply, FastifyRequest } from 'fastify'
import { describeOidcError, fixFor } from '../../../sso/callback.ts'
import { redirectUriOf } from '../../../sso/connections.ts'
import { startAuthorization } from '../../../sso/login.ts'
import type { AuthorizationPurpose, LoginConnectionRecord } from '../../../store/store.ts'
import { sendPage } from '../../pages.ts'
import { ssoBinding } from '../../plugins/web-session.ts'
import type { SsoRouteDeps } from './index.ts'
import { idpUnreachablePage, notReadyPage, type SsoPage } from './pages.ts'

export function sendSsoPage(reply: FastifyReply, page: SsoPage): FastifyReply {
  return sendPage(reply, page.status, page.title, page.body)
}

/** Redirects the browser to the connection's IdP, or explains why not. */
export async function startAt(
  deps: SsoRouteDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  connection: LoginConnectionRecord,
  purpose: AuthorizationPurpose,
): Promise<FastifyReply> {
  const { config, store } = deps
  if (purpose === 'login' && connection.status !== 'verified') {
    return sendSsoPage(reply, notReadyPage(connection))
  }
  const binding = ssoBinding(request, reply, config)
  let url: URL
  try {
    url = await startAuthorization(
      { store, clients: deps.clients, publicUrl: config.publicUrl },
      connection,
      purpose,
      binding,
    )
  } catch (error) {
    const described = describeOidcError(error, 'discovery')
    await store.forTenant(connection.tenantId).signInLog.append({
      connectionId: connection.id,
      at: new Date().toISOString(),
      outcome: purpose === 'verify' ? 'verification-failed' : 'failed',
      email: null,
      detail: `${described.error}: ${described.description}`,
    })
    return sendSsoPage(
      reply,
      idpUnreachablePage(
        described.description,
        fixFor('discovery', redirectUriOf(config.publicUrl)),
      ),
    )
  }
  return reply.code(302).header('cache-control', 'no-store').redirect(url.toString())
}
