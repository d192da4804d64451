// RFC 7644 §3.7 POST /Bulk: runs each operation through the same provisioning services as the
// single-resource routes, each in its own transaction (a bulk job is not atomic), creating a
// resource before its bulkId is used (§3.7.2), and answers a BulkResponse (§3.7.3).
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { ProvisioningContext } from '../../../provisioning/context.ts'
import { etagOf } from '../../../scim/etag.ts'
import {
  parseBulkRequest,
  planBulkOperations,
  resolveBulkOperation,
  type BulkEndpoint,
  type BulkOperation,
  type ValidBulkOperation,
} from '../../../scim/bulk.ts'
import { ScimError } from '../../../scim/errors.ts'
import { assertPatchOperationLimit } from '../../../scim/patch/operation-limit.ts'
import { BULK_RESPONSE_URN } from '../../../scim/schemas/index.ts'
import { SCIM_CONTENT_TYPE, scimErrorBody, toScimError } from '../../plugins/scim-errors.ts'
import { groupEndpoint, userEndpoint } from './endpoints.ts'
import type { ResourceEndpoint } from './resources.ts'
import { contextOf } from './scope.ts'

export interface BulkLimits {
  /** Operations per request; more is 413 (§3.7.4). */
  readonly maxOperations: number
  /** Body bytes; enforced by the SCIM scope's content-type parser, named in its 413. */
  readonly maxPayloadSize: number
  /** Operations per PATCH, as for a single PATCH request (SCIM_MAX_PATCH_OPERATIONS). */
  readonly maxPatchOperations: number
}

/** One entry of the BulkResponse Operations (RFC 7644 §3.7.3); `status` is a string. */
interface BulkOperationResult {
  readonly method?: string
  readonly bulkId?: string
  readonly version?: string
  readonly location?: string
  readonly status: string
  readonly response?: Record<string, unknown>
}

interface Versioned {
  readonly id: string
  readonly version: number
}

const ENDPOINTS: Record<BulkEndpoint, ResourceEndpoint<Versioned>> = {
  '/Users': userEndpoint,
  '/Groups': groupEndpoint,
}

function echoed(operation: BulkOperation): { method?: string; bulkId?: string } {
  return {
    ...(operation.method === undefined ? {} : { method: operation.method }),
    ...(operation.bulkId === undefined ? {} : { bulkId: operation.bulkId }),
  }
}

function failure(
  operation: BulkOperation,
  error: ScimError,
  location: string | undefined,
): BulkOperationResult {
  return {
    ...echoed(operation),
    ...(location === undefined ? {} : { location }),
    status: String(error.status),
    response: scimErrorBody(error),
  }
}

function locationOf(ctx: ProvisioningContext, endpoint: BulkEndpoint, id: string): string {
  return `${ctx.baseUrl}${endpoint}/${encodeURIComponent(id)}`
}

async function runOperation(
  request: FastifyRequest,
  ctx: ProvisioningContext,
  operation: BulkOperation,
  created: Map<string, string>,
  limits: BulkLimits,
): Promise<BulkOperationResult> {
  if (operation.kind === 'invalid') return failure(operation, operation.error, undefined)
  const resolved = resolveBulkOperation(operation, created)
  if (resolved.kind === 'unresolved') return failure(operation, resolved.error, undefined)
  const endpoint = ENDPOINTS[operation.endpoint]
  const { id, data } = resolved
  // §3.7.3: every result but a failed POST carries the location of the resource it addressed.
  const target = id === undefined ? undefined : locationOf(ctx, operation.endpoint, id)
  const success = (status: string, record?: Versioned): BulkOperationResult => {
    const location = record === undefined ? target : locationOf(ctx, operation.endpoint, record.id)
    return {
      ...echoed(operation),
      ...(record === undefined ? {} : { version: etagOf(record.version) }),
      ...(location === undefined ? {} : { location }),
      status,
    }
  }
  try {
    switch (operation.method) {
      case 'POST': {
        const record = await endpoint.create(ctx, data)
        if (operation.bulkId !== undefined) created.set(operation.bulkId, record.id)
        return success('201', record)
      }
      case 'PUT':
        return success(
          '200',
          await endpoint.replace(ctx, requireId(operation, id), data, operation.version),
        )
      case 'PATCH': {
        assertPatchOperationLimit(data, limits.maxPatchOperations)
        const record = await endpoint.patch(ctx, requireId(operation, id), data, operation.version)
        // The status the single PATCH would have answered (§3.7.3), 204 for groups.
        return success(endpoint.patchReturnsContent ? '200' : '204', record)
      }
      case 'DELETE':
        await endpoint.remove(ctx, requireId(operation, id), operation.version)
        return success('204')
    }
  } catch (error) {
    const scimError = toScimError(error, limits.maxPayloadSize)
    if (scimError.status >= 500 && !(error instanceof ScimError)) {
      request.log.error(
        { err: error, bulkOperation: operation.index },
        'SCIM bulk operation failed',
      )
    }
    return failure(operation, scimError, target)
  }
}

function requireId(operation: ValidBulkOperation, id: string | undefined): string {
  // parseBulkOperation guarantees an id for every method but POST.
  if (id === undefined) throw new Error(`Operations[${operation.index}] has no resource id`)
  return id
}

export function registerBulkRoute(app: FastifyInstance, limits: BulkLimits): void {
  app.post('/Bulk', async (request, reply) => {
    const ctx = contextOf(request)
    request.scim.operation = 'Bulk'
    const bulk = parseBulkRequest(request.body, limits)
    const created = new Map<string, string>()
    const results = new Map<number, BulkOperationResult>()
    let errors = 0
    for (const operation of planBulkOperations(bulk.operations)) {
      // §3.7: with failOnErrors, the remaining operations are not run nor reported.
      if (bulk.failOnErrors !== undefined && errors >= bulk.failOnErrors) break
      const result = await runOperation(request, ctx, operation, created, limits)
      results.set(operation.index, result)
      if (result.response !== undefined) errors++
    }
    request.log.info(
      { bulkOperations: bulk.operations.length, processed: results.size, failed: errors },
      'SCIM bulk request processed',
    )
    return reply
      .code(200)
      .type(SCIM_CONTENT_TYPE)
      .send({
        schemas: [BULK_RESPONSE_URN],
        Operations: [...results.entries()].sort(([a], [b]) => a - b).map(([, result]) => result),
      })
  })
}
