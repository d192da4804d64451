// GET /api/v1/events — the event feed: the events after a cursor, as stored (the bytes webhooks
// sign), for the key's tenant or, with an operator key, every tenant (or `tenant=`); `wait=`
// long-polls until an event commits.
import type { FastifyInstance } from 'fastify'
import {
  DEFAULT_FEED_LIMIT,
  feedJson,
  MAX_FEED_LIMIT,
  MAX_WAIT_SECONDS,
  parseCursor,
  parseTypes,
  waitForFeed,
  type Waiters,
} from '../../../events/feed.ts'
import { principalOf, tenantForKey } from '../../plugins/api-key-auth.ts'
import type { V1RouteDeps } from './index.ts'

interface FeedQuerystring {
  after?: string
  limit: number
  wait: number
  tenant?: string
  types?: string
}

export function eventRoutes(app: FastifyInstance, deps: V1RouteDeps & { waiters: Waiters }): void {
  const { store, waiters } = deps
  app.get<{ Querystring: FeedQuerystring }>(
    '/events',
    {
      schema: {
        summary: 'The event feed',
        description:
          'Events after the cursor `after`, oldest first. Without `after`, from the beginning ' +
          "of the retained log. The answer's `after` is the cursor to pass next: the last " +
          "event's, or when there is none the highest position committed before the read (at " +
          'least the one given). With `wait`, an empty page waits up to that many seconds for ' +
          'the next event.',
        querystring: {
          type: 'object',
          properties: {
            after: { type: 'string', maxLength: 20, description: 'A cursor of this feed.' },
            limit: {
              type: 'integer',
              minimum: 1,
              maximum: MAX_FEED_LIMIT,
              default: DEFAULT_FEED_LIMIT,
            },
            wait: { type: 'integer', minimum: 0, maximum: MAX_WAIT_SECONDS, default: 0 },
            tenant: { type: 'string', maxLength: 63, description: 'Operator keys: one tenant.' },
            types: { type: 'string', maxLength: 2000, description: 'Comma-separated event types.' },
          },
          additionalProperties: false,
        },
        response: {
          200: {
            type: 'object',
            properties: {
              data: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    id: { type: 'string' },
                    type: { type: 'string' },
                    timestamp: { type: 'string' },
                    tenant: { type: 'string' },
                    data: { type: 'object' },
                  },
                },
              },
              after: { type: 'string' },
            },
          },
        },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request)
      const { query } = request
      const after = parseCursor(query.after)
      const types = parseTypes(query.types)
      let tenantId = principal.tenantId ?? undefined
      if (query.tenant !== undefined) {
        const tenant = await tenantForKey(store, principal, query.tenant)
        tenantId = tenant.id
      }
      // The client going away ends the wait (and its subscription) at once.
      const gone = new AbortController()
      const onClose = () => gone.abort()
      reply.raw.once('close', onClose)
      try {
        const page = await waitForFeed(
          store,
          { after, limit: query.limit, types, tenantId },
          { waitMs: query.wait * 1000, signal: gone.signal, waiters },
        )
        return reply
          .header('cache-control', 'no-store')
          .type('application/json; charset=utf-8')
          .send(feedJson(page))
      } finally {
        reply.raw.off('close', onClose)
      }
    },
  )
}
