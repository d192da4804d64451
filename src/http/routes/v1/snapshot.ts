// GET /api/v1/tenants/{tenant}/snapshot — the tenant's directory as NDJSON, streamed page by page,
// headed by the feed cursor to follow from (directory/snapshot.ts).
import { Readable } from 'node:stream'
import type { FastifyInstance } from 'fastify'
import { snapshotLines } from '../../../directory/snapshot.ts'
import { cursorOf } from '../../../events/feed.ts'
import { keyTenantOf } from '../../plugins/api-key-auth.ts'
import type { V1RouteDeps } from './index.ts'
import { tenantParams, type TenantParams } from './schemas.ts'

export function snapshotRoutes(app: FastifyInstance, deps: V1RouteDeps): void {
  const { store } = deps
  app.get<TenantParams>(
    '/tenants/:tenant/snapshot',
    {
      schema: {
        summary: "A snapshot of the tenant's directory (NDJSON)",
        description:
          'Lines of JSON (application/x-ndjson): a first line {"object":"snapshot","after":…} ' +
          'with the feed cursor to follow from, then every user, group and membership, then ' +
          '{"object":"snapshot_end",…} with the counts. Reconcile from it, then read ' +
          '/api/v1/events?after=<that cursor>.',
        params: tenantParams,
        produces: ['application/x-ndjson'],
        response: {
          200: {
            description: 'One JSON object per line.',
            content: { 'application/x-ndjson': { schema: { type: 'string' } } },
          },
        },
      },
    },
    async (request, reply) => {
      const tenant = await keyTenantOf(store, request)
      const lines = snapshotLines(store, tenant, cursorOf)
      // Read before answering, so a failure before the first line is still a problem response.
      const first = await lines.next()
      async function* all() {
        if (!first.done) yield first.value
        yield* lines
      }
      return reply
        .header('cache-control', 'no-store')
        .type('application/x-ndjson; charset=utf-8')
        .send(Readable.from(all(), { objectMode: false }))
    },
  )
}
