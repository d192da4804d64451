// Local sign-in for bootstrap and break-glass admins: /login (tenant + email + password, as a
// form or JSON) and /login/set-password/:token (the one-time link of `admin create`). Failed
// attempts are throttled per account and client address, per address, and slowed down per
// account (429 + Retry-After; see sessions/local-login.ts); unknown set-password links count per
// address. State-changing requests pass the same-origin check (plugins/web-session.ts). Errors
// are problem details for JSON requests and pages for browsers.
import formbody from '@fastify/formbody'
import type { FastifyInstance } from 'fastify'
import type { Config } from '../../../config.ts'
import { AppError } from '../../../errors.ts'
import { setEventActor } from '../../../events/context.ts'
import type { ScryptParams } from '../../../provisioning/passwords.ts'
import type { LocalLoginOptions } from '../../../sessions/local-login.ts'
import type { Store } from '../../../store/store.ts'
import { html, sendPage } from '../../pages.ts'
import { apiNotFound, renderApiError, sendProblem } from '../../plugins/api-errors.ts'
import { renderPageError } from '../../plugins/page-errors.ts'
import { crossSiteReason } from '../../plugins/web-session.ts'
import { setPasswordRoutes } from './set-password.ts'
import { signInRoutes } from './sign-in.ts'
import { wantsJson } from './wants-json.ts'

export interface LoginDeps {
  readonly config: Config
  readonly store: Store
  /** scrypt parameters of new password hashes; tests only (cheaper than the default). */
  readonly passwordHashing?: ScryptParams | undefined
}

export async function loginRoutes(app: FastifyInstance, deps: LoginDeps): Promise<void> {
  const { config, store } = deps
  const options: LocalLoginOptions = {
    localLogin: config.localLogin,
    passwordHashing: deps.passwordHashing,
  }
  await app.register(formbody, { bodyLimit: 16_384 })

  app.setErrorHandler((error: unknown, request, reply) => {
    return wantsJson(request)
      ? renderApiError(error, request, reply)
      : renderPageError(error, request, reply)
  })
  app.setNotFoundHandler((request, reply) =>
    wantsJson(request)
      ? sendProblem(reply, apiNotFound(request))
      : sendPage(
          reply,
          404,
          'Not found',
          html`<p>There is no page here. <a href="/login">Sign in</a>.</p>`,
        ),
  )

  app.addHook('onRequest', async (request) => {
    setEventActor({ type: 'user' })
    const refused = crossSiteReason(request, config.publicUrl)
    if (refused) throw AppError.crossSiteRequest(refused)
  })

  signInRoutes(app, { config, store, options })
  setPasswordRoutes(app, { store, options })
}
