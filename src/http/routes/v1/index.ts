// The host application's API: /api/v1 (issue #10). Every request carries an API key
// (plugins/api-key-auth.ts): no cookies, so no CSRF check. JSON bodies only; errors as RFC 9457
// problem details with the catalogue's codes, like the admin API. The routes: the event feed, the
// snapshot, and the directory (tenants, users, groups, memberships).
import type { FastifyInstance } from 'fastify'
import type { Config } from '../../../config.ts'
import { Waiters } from '../../../events/feed.ts'
import type { Store } from '../../../store/store.ts'
import { apiKeyAuth } from '../../plugins/api-key-auth.ts'
import { registerApiErrorHandler } from '../../plugins/api-errors.ts'
import { eventRoutes } from './events.ts'
import { groupRoutes } from './groups.ts'
import { snapshotRoutes } from './snapshot.ts'
import { tenantRoutes } from './tenants.ts'
import { userRoutes } from './users.ts'

export interface V1Deps {
  readonly config: Config
  readonly store: Store
  /** How many feed requests may wait for events at once (long polls beyond are refused). */
  readonly maxWaiters?: number
}

/** Long polls waiting at once, by default: each holds a socket and a subscription, no query. */
export const DEFAULT_MAX_WAITERS = 1000

export async function v1Routes(app: FastifyInstance, deps: V1Deps): Promise<void> {
  const { store } = deps
  registerApiErrorHandler(app)
  app.decorateRequest('apiPrincipal', undefined)
  const parseJson = app.getDefaultJsonParser('error', 'error')
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8')
    if (text === '') return done(null, undefined)
    return parseJson(request, text, done)
  })
  app.addHook('onRequest', apiKeyAuth(store))

  const context = { config: deps.config, store }
  eventRoutes(app, { ...context, waiters: new Waiters(deps.maxWaiters ?? DEFAULT_MAX_WAITERS) })
  snapshotRoutes(app, context)
  tenantRoutes(app, context)
  userRoutes(app, context)
  groupRoutes(app, context)
}

export interface V1RouteDeps {
  readonly config: Config
  readonly store: Store
}
