// The resource endpoints of RFC 7644 §3 for one resource type (/Users or /Groups): list and
// search, create, read, replace, patch, delete; ETags (§3.14) and attribute projection (§3.9).
import type { Readable } from 'node:stream'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { ProvisioningContext } from '../../../provisioning/context.ts'
import type { ScimResource } from '../../../provisioning/render.ts'
import { ifNoneMatchHits } from '../../../provisioning/versioning.ts'
import { etagOf } from '../../../scim/etag.ts'
import { ScimError } from '../../../scim/errors.ts'
import { validateFilter } from '../../../scim/filter/evaluate.ts'
import { parseListParams, type ListLimits } from '../../../scim/list-params.ts'
import { assertPatchOperationLimit } from '../../../scim/patch/operation-limit.ts'
import {
  parseAttributeList,
  projectResource,
  wantsAttribute,
  type ProjectionOptions,
} from '../../../scim/resources/project.ts'
import { LIST_RESPONSE_URN, SEARCH_REQUEST_URN } from '../../../scim/schemas/index.ts'
import type { ResourceTypeDefinition } from '../../../scim/schemas/types.ts'
import type { ListQuery, Page } from '../../../store/store.ts'
import { SCIM_CONTENT_TYPE } from '../../plugins/scim-errors.ts'
import { contextOf } from './scope.ts'

interface Versioned {
  readonly id: string
  readonly version: number
}

/** What a resource type plugs into the generic endpoints. */
export interface ResourceEndpoint<R extends Versioned> {
  readonly resourceType: ResourceTypeDefinition
  /** The attribute whose loading costs an extra query (`members`, `groups`). */
  readonly expensiveAttribute: string
  /** Renders records; `withExpensive` false skips loading the expensive attribute. */
  render(
    ctx: ProvisioningContext,
    records: readonly R[],
    withExpensive: boolean,
  ): Promise<ScimResource[]>
  /** `withExpensive`: the records will be rendered with it (a read may bring it along). */
  list(ctx: ProvisioningContext, query: ListQuery, withExpensive: boolean): Promise<Page<R>>
  get(ctx: ProvisioningContext, id: string, withExpensive: boolean): Promise<R>
  create(ctx: ProvisioningContext, body: unknown): Promise<R>
  replace(
    ctx: ProvisioningContext,
    id: string,
    body: unknown,
    ifMatch: string | undefined,
  ): Promise<R>
  patch(
    ctx: ProvisioningContext,
    id: string,
    body: unknown,
    ifMatch: string | undefined,
  ): Promise<R>
  remove(ctx: ProvisioningContext, id: string, ifMatch: string | undefined): Promise<void>
  /**
   * GET of one resource with its expensive attribute, when the type serves it itself (a group's
   * members, streamed when there are many: group-stream.ts); the projected body or its stream.
   */
  readOne?(
    ctx: ProvisioningContext,
    record: R,
    projection: ProjectionOptions,
  ): Promise<Record<string, unknown> | Readable>
  /** PATCH answers 204 unless attributes were asked for (Entra prefers 204 for groups). */
  readonly patchReturnsContent: boolean
}

/** The list limits, and the cap on operations per PATCH (SCIM_MAX_PATCH_OPERATIONS). */
export interface ResourceLimits extends ListLimits {
  readonly maxPatchOperations: number
}

export type Query = Record<string, unknown>

function projectionOf(source: Query, resourceType: ResourceTypeDefinition): ProjectionOptions {
  const list = (name: 'attributes' | 'excludedAttributes'): string | undefined => {
    const raw = source[name]
    if (raw === undefined || raw === null) return undefined
    if (Array.isArray(raw)) return raw.map(String).join(',')
    return String(raw)
  }
  return {
    attributes: parseAttributeList(list('attributes'), resourceType, 'attributes'),
    excludedAttributes: parseAttributeList(
      list('excludedAttributes'),
      resourceType,
      'excludedAttributes',
    ),
  }
}

function hasSelection(projection: ProjectionOptions): boolean {
  return (
    (projection.attributes?.length ?? 0) > 0 || (projection.excludedAttributes?.length ?? 0) > 0
  )
}

function idParam(request: FastifyRequest): string {
  return (request.params as { id: string }).id
}

function ifMatchOf(request: FastifyRequest): string | undefined {
  const value = request.headers['if-match']
  return Array.isArray(value) ? value.join(',') : value
}

/**
 * The parameters of a POST …/.search body (RFC 7644 §3.4.3), in the query-string form the list
 * parser reads: `attributes` and `excludedAttributes` arrays become comma-separated strings.
 *
 * @throws ScimError invalidSyntax when the body is not an object listing the SearchRequest URN.
 */
export function searchRequestSource(body: unknown): Query {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw ScimError.invalidSyntax('The search request body must be a JSON object.')
  }
  const source: Query = { ...(body as Query) }
  const schemas = source.schemas
  if (!Array.isArray(schemas) || !schemas.includes(SEARCH_REQUEST_URN)) {
    throw ScimError.invalidSyntax(`A search request must list "${SEARCH_REQUEST_URN}" in schemas.`)
  }
  for (const key of ['attributes', 'excludedAttributes'] as const) {
    if (Array.isArray(source[key])) source[key] = (source[key] as unknown[]).map(String).join(',')
  }
  return source
}

export function registerResourceRoutes<R extends Versioned>(
  app: FastifyInstance,
  endpoint: ResourceEndpoint<R>,
  limits: ResourceLimits,
): void {
  const { resourceType } = endpoint
  const path = resourceType.endpoint
  const name = resourceType.name

  const sendOne = async (
    request: FastifyRequest,
    reply: FastifyReply,
    record: R,
    status: number,
    projection: ProjectionOptions,
  ) => {
    const ctx = contextOf(request)
    const withExpensive = wantsAttribute(endpoint.expensiveAttribute, projection)
    const [resource] = await endpoint.render(ctx, [record], withExpensive)
    const meta = (resource?.meta ?? {}) as { location?: string }
    reply.header('etag', etagOf(record.version))
    if (status === 201 && meta.location) reply.header('location', meta.location)
    return reply
      .code(status)
      .type(SCIM_CONTENT_TYPE)
      .send(projectResource(resource ?? {}, resourceType, projection))
  }

  const runList = async (request: FastifyRequest, reply: FastifyReply, source: Query) => {
    const ctx = contextOf(request)
    request.scim.operation = `List ${name}s`
    const params = parseListParams(source, limits, ctx.quirks)
    if (params.filter) validateFilter(params.filter, resourceType)
    const projection = projectionOf(source, resourceType)
    const withExpensive = wantsAttribute(endpoint.expensiveAttribute, projection)
    const page = await endpoint.list(ctx, params, withExpensive)
    const resources = await endpoint.render(ctx, page.items, withExpensive)
    return reply
      .code(200)
      .type(SCIM_CONTENT_TYPE)
      .send({
        schemas: [LIST_RESPONSE_URN],
        totalResults: page.totalResults,
        itemsPerPage: resources.length,
        startIndex: params.startIndex,
        Resources: resources.map((r) => projectResource(r, resourceType, projection)),
      })
  }

  // Microsoft's SCIMReferenceCode Postman collection queries `GET /Users/?filter=…`
  // (AzureAD/SCIMReferenceCode#44): with a trailing slash the URL still names the collection
  // (RFC 7644 §3.2 endpoints), not a resource whose id is empty, so each collection route is
  // also served with one.
  for (const collection of [path, `${path}/`]) {
    app.get(collection, (request, reply) => runList(request, reply, request.query as Query))

    app.post(collection, async (request, reply) => {
      const ctx = contextOf(request)
      request.scim.operation = `Create ${name}`
      const projection = projectionOf(request.query as Query, resourceType)
      const record = await endpoint.create(ctx, request.body)
      request.scim.resourceId = record.id
      return sendOne(request, reply, record, 201, projection)
    })

    // RFC 7644 §3.4.3: the same query in a POST body, so filters stay out of URLs and logs.
    app.post(`${path}/.search${collection === path ? '' : '/'}`, (request, reply) =>
      runList(request, reply, searchRequestSource(request.body)),
    )
  }

  app.get(`${path}/:id`, async (request, reply) => {
    const ctx = contextOf(request)
    request.scim.operation = `Get ${name}`
    request.scim.resourceId = idParam(request)
    const projection = projectionOf(request.query as Query, resourceType)
    const withExpensive = wantsAttribute(endpoint.expensiveAttribute, projection)
    const record = await endpoint.get(ctx, idParam(request), withExpensive)
    const ifNoneMatch = request.headers['if-none-match']
    if (
      ifNoneMatchHits(
        Array.isArray(ifNoneMatch) ? ifNoneMatch.join(',') : ifNoneMatch,
        record.version,
      )
    ) {
      return reply.code(304).header('etag', etagOf(record.version)).send()
    }
    if (endpoint.readOne && wantsAttribute(endpoint.expensiveAttribute, projection)) {
      const body = await endpoint.readOne(ctx, record, projection)
      return reply
        .code(200)
        .header('etag', etagOf(record.version))
        .type(SCIM_CONTENT_TYPE)
        .send(body)
    }
    return sendOne(request, reply, record, 200, projection)
  })

  app.put(`${path}/:id`, async (request, reply) => {
    const ctx = contextOf(request)
    request.scim.operation = `Replace ${name}`
    request.scim.resourceId = idParam(request)
    const projection = projectionOf(request.query as Query, resourceType)
    const record = await endpoint.replace(ctx, idParam(request), request.body, ifMatchOf(request))
    return sendOne(request, reply, record, 200, projection)
  })

  app.patch(`${path}/:id`, async (request, reply) => {
    const ctx = contextOf(request)
    request.scim.operation = `Patch ${name}`
    request.scim.resourceId = idParam(request)
    const projection = projectionOf(request.query as Query, resourceType)
    assertPatchOperationLimit(request.body, limits.maxPatchOperations)
    const record = await endpoint.patch(ctx, idParam(request), request.body, ifMatchOf(request))
    if (!endpoint.patchReturnsContent && !hasSelection(projection)) {
      return reply.code(204).header('etag', etagOf(record.version)).send()
    }
    return sendOne(request, reply, record, 200, projection)
  })

  app.delete(`${path}/:id`, async (request, reply) => {
    const ctx = contextOf(request)
    request.scim.operation = `Delete ${name}`
    request.scim.resourceId = idParam(request)
    await endpoint.remove(ctx, idParam(request), ifMatchOf(request))
    return reply.code(204).send()
  })
}
