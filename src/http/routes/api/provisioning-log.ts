// /api/tenants/:tenant/provisioning-log — the tenant's SCIM requests (SPEC §5) for an Admin of the
// tenant: newest first, filtered by outcome, operation and resource type, paged by `beforeId`; one
// entry with its error detail and (redacted) bodies; and the activity chart's counts.
import type { FastifyInstance } from 'fastify'
import { AppError } from '../../../errors.ts'
import {
  ACTIVITY_RANGES,
  provisioningActivity,
  type ActivityRange,
} from '../../../provisioning/log-activity.ts'
import type { Store, StoredProvisioningLogEntry } from '../../../store/store.ts'
import { tenantOf } from '../../plugins/tenant.ts'

export interface ProvisioningLogRouteDeps {
  readonly store: Store
}

const DEFAULT_PAGE = 50

const summaryProperties = {
  id: { type: 'integer' },
  at: { type: 'string', format: 'date-time' },
  requestId: { type: ['string', 'null'] },
  method: { type: 'string' },
  path: { type: 'string' },
  operation: { type: 'string', examples: ['Create User', 'Patch Group', 'Authenticate'] },
  resourceType: { type: ['string', 'null'] },
  resourceId: { type: ['string', 'null'] },
  status: { type: 'integer' },
  outcome: { type: 'string', enum: ['success', 'failure'] },
  scimType: { type: ['string', 'null'] },
  detail: { type: ['string', 'null'] },
  durationMs: { type: 'number' },
  client: { type: ['string', 'null'], description: "The client's user agent." },
  address: { type: ['string', 'null'], description: "The client's address." },
} as const

const summarySchema = {
  type: 'object',
  properties: summaryProperties,
  required: Object.keys(summaryProperties),
} as const

const entrySchema = {
  type: 'object',
  properties: {
    ...summaryProperties,
    requestBody: { type: ['string', 'null'], description: 'Secrets redacted, cut to a size.' },
    responseBody: { type: ['string', 'null'], description: 'Secrets redacted, cut to a size.' },
  },
  required: [...Object.keys(summaryProperties), 'requestBody', 'responseBody'],
} as const

const tenantParams = {
  type: 'object',
  properties: { tenant: { type: 'string', maxLength: 63 } },
  required: ['tenant'],
} as const

interface ListQuery {
  outcome?: 'success' | 'failure'
  operation?: string
  resourceType?: string
  beforeId?: number
  limit?: number
}

function withOutcome<T extends StoredProvisioningLogEntry>(entry: T) {
  return { ...entry, outcome: entry.status < 400 ? 'success' : 'failure' }
}

export function provisioningLogRoutes(app: FastifyInstance, deps: ProvisioningLogRouteDeps): void {
  const { store } = deps

  app.get<{ Params: { tenant: string }; Querystring: ListQuery }>(
    '/tenants/:tenant/provisioning-log',
    {
      schema: {
        summary: "The tenant's SCIM requests, newest first",
        tags: ['Provisioning log'],
        params: tenantParams,
        querystring: {
          type: 'object',
          properties: {
            outcome: { type: 'string', enum: ['success', 'failure'] },
            operation: { type: 'string', minLength: 1, maxLength: 100 },
            resourceType: { type: 'string', enum: ['User', 'Group'] },
            beforeId: { type: 'integer', minimum: 1, description: 'The next page: older entries.' },
            limit: { type: 'integer', minimum: 1, maximum: 200, default: DEFAULT_PAGE },
          },
          additionalProperties: false,
        },
        response: {
          200: {
            type: 'object',
            properties: {
              entries: { type: 'array', items: summarySchema },
              nextBeforeId: {
                type: ['integer', 'null'],
                description: 'Pass as beforeId for the next page; null on the last page.',
              },
            },
            required: ['entries', 'nextBeforeId'],
          },
        },
      },
    },
    async (request) => {
      const q = request.query
      const limit = q.limit ?? DEFAULT_PAGE
      // One more than asked tells whether a next page exists.
      const found = await store.forTenant(tenantOf(request).id).provisioningLog.list({
        limit: limit + 1,
        beforeId: q.beforeId,
        outcome: q.outcome,
        operation: q.operation,
        resourceType: q.resourceType,
      })
      const entries = found.slice(0, limit).map(withOutcome)
      const last = entries[entries.length - 1]
      return { entries, nextBeforeId: found.length > limit && last ? last.id : null }
    },
  )

  app.get<{ Params: { tenant: string }; Querystring: { range?: ActivityRange } }>(
    '/tenants/:tenant/provisioning-log/activity',
    {
      schema: {
        summary: 'Requests and failures per time bucket, for the activity chart',
        tags: ['Provisioning log'],
        params: tenantParams,
        querystring: {
          type: 'object',
          properties: {
            range: {
              type: 'string',
              enum: [...ACTIVITY_RANGES],
              default: 'day',
              description: 'hour: 60 minutes; day: 24 hours; month: 30 days (UTC buckets).',
            },
          },
          additionalProperties: false,
        },
        response: {
          200: {
            type: 'object',
            properties: {
              range: { type: 'string', enum: [...ACTIVITY_RANGES] },
              bucket: { type: 'string', enum: ['minute', 'hour', 'day'] },
              since: { type: 'string', format: 'date-time' },
              buckets: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    start: { type: 'string', format: 'date-time' },
                    requests: { type: 'integer' },
                    failures: { type: 'integer' },
                  },
                  required: ['start', 'requests', 'failures'],
                },
              },
            },
            required: ['range', 'bucket', 'since', 'buckets'],
          },
        },
      },
    },
    async (request) =>
      provisioningActivity(store, tenantOf(request).id, request.query.range ?? 'day'),
  )

  app.get<{ Params: { tenant: string; id: number } }>(
    '/tenants/:tenant/provisioning-log/:id',
    {
      schema: {
        summary: 'One SCIM request with its error detail and bodies',
        tags: ['Provisioning log'],
        params: {
          type: 'object',
          properties: {
            tenant: { type: 'string', maxLength: 63 },
            id: { type: 'integer', minimum: 1 },
          },
          required: ['tenant', 'id'],
        },
        response: { 200: entrySchema },
      },
    },
    async (request) => {
      const entry = await store
        .forTenant(tenantOf(request).id)
        .provisioningLog.get(request.params.id)
      if (!entry) throw AppError.notFound(`No provisioning log entry ${request.params.id}.`)
      return withOutcome(entry)
    },
  )
}
