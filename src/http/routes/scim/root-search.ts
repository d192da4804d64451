// Queries at the service root: `GET /?filter=…` (RFC 7644 §3.4.2.1) and `POST /.search`
// (§3.4.3), one ListResponse across Users and Groups (interop profile §6.1: the root endpoint may
// return mixed types).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { ProvisioningContext } from '../../../provisioning/context.ts'
import { ScimError } from '../../../scim/errors.ts'
import type { AttributePath, Filter } from '../../../scim/filter/ast.ts'
import { definesAttribute, filtersForResourceTypes } from '../../../scim/filter/root-query.ts'
import type { TypeFilter } from '../../../scim/filter/root-query.ts'
import { parseListParams, type ListLimits, type ListParams } from '../../../scim/list-params.ts'
import {
  parseAttributeList,
  projectResource,
  wantsAttribute,
  type ProjectionOptions,
} from '../../../scim/resources/project.ts'
import { LIST_RESPONSE_URN } from '../../../scim/schemas/index.ts'
import type { ResourceTypeDefinition } from '../../../scim/schemas/types.ts'
import { SCIM_CONTENT_TYPE } from '../../plugins/scim-errors.ts'
import { groupEndpoint, userEndpoint } from './endpoints.ts'
import { searchRequestSource, type Query, type ResourceEndpoint } from './resources.ts'
import { contextOf } from './scope.ts'

type Resource = Record<string, unknown>

/** One resource type's share of a root query: its filter, sort and projection. */
interface TypeSearch {
  readonly filter: TypeFilter
  readonly sortBy: AttributePath | undefined
  readonly projection: ProjectionOptions
}

/**
 * Registers `GET /` and `POST /.search` under the tenant's SCIM base.
 *
 * The result lists the matching Users, then the matching Groups: `totalResults` is the sum, and
 * `startIndex`/`count` (RFC 7644 §3.4.2.4) page through that concatenation. `sortBy` orders each
 * type's part (RFC 7644 §3.4.2.3) on the types that define the attribute (the others keep their
 * default order); it does not interleave the types. `filter`, `attributes`, `excludedAttributes`
 * and `sortBy` may name attributes of one type only: the other type treats them as absent
 * (scim/filter/root-query.ts), and only a name no type defines is refused.
 */
export function registerRootSearchRoutes(app: FastifyInstance, limits: ListLimits): void {
  app.get('/', (request, reply) => runRootSearch(request, reply, request.query as Query, limits))
  app.post('/.search', (request, reply) =>
    runRootSearch(request, reply, searchRequestSource(request.body), limits),
  )
}

async function runRootSearch(
  request: FastifyRequest,
  reply: FastifyReply,
  source: Query,
  limits: ListLimits,
): Promise<FastifyReply> {
  const ctx = contextOf(request)
  request.scim.operation = 'Search root'
  const params = parseListParams(source, limits, ctx.quirks)
  const types = [userEndpoint.resourceType, groupEndpoint.resourceType]
  const filters: readonly TypeFilter[] =
    params.filter === undefined
      ? types.map(() => ({ kind: 'all' }))
      : filtersForResourceTypes(params.filter, types)
  const sortBy = sortByPerType(params.sortBy, types)
  const attributes = attributesPerType(source, 'attributes', types)
  const excluded = attributesPerType(source, 'excludedAttributes', types)
  const [userSearch, groupSearch] = types.map((_, index): TypeSearch => ({
    filter: filters[index] as TypeFilter,
    sortBy: sortBy[index],
    projection: { attributes: attributes[index], excludedAttributes: excluded[index] },
  })) as [TypeSearch, TypeSearch]

  // `skip`: how many resources of the concatenation come before the page and are not yet passed;
  // `room`: how many more the page takes.
  let skip = params.startIndex - 1
  let room = params.count
  let totalResults = 0
  const resources: Resource[] = []
  const add = (part: { totalResults: number; resources: Resource[] }) => {
    totalResults += part.totalResults
    resources.push(...part.resources)
    room -= part.resources.length
    skip = Math.max(0, skip - part.totalResults)
  }
  add(await searchType(ctx, userEndpoint, userSearch, params, skip, room))
  add(await searchType(ctx, groupEndpoint, groupSearch, params, skip, room))
  return reply
    .code(200)
    .type(SCIM_CONTENT_TYPE)
    .send({
      schemas: [LIST_RESPONSE_URN],
      totalResults,
      itemsPerPage: resources.length,
      startIndex: params.startIndex,
      Resources: resources,
    })
}

async function searchType<R extends { readonly id: string; readonly version: number }>(
  ctx: ProvisioningContext,
  endpoint: ResourceEndpoint<R>,
  search: TypeSearch,
  params: ListParams,
  skip: number,
  room: number,
): Promise<{ totalResults: number; resources: Resource[] }> {
  if (search.filter.kind === 'none') return { totalResults: 0, resources: [] }
  const filter: Filter | undefined =
    search.filter.kind === 'filter' ? search.filter.filter : undefined
  const withExpensive = wantsAttribute(endpoint.expensiveAttribute, search.projection)
  const page = await endpoint.list(
    ctx,
    {
      filter,
      sortBy: search.sortBy,
      sortOrder: params.sortOrder,
      startIndex: skip + 1,
      count: room,
    },
    withExpensive,
  )
  if (page.items.length === 0) return { totalResults: page.totalResults, resources: [] }
  const rendered = await endpoint.render(ctx, page.items, withExpensive)
  const { resourceType } = endpoint
  return {
    totalResults: page.totalResults,
    resources: rendered.map((resource) =>
      keepResourceType(projectResource(resource, resourceType, search.projection), resourceType),
    ),
  }
}

// In a list of mixed types, `schemas` and `meta.resourceType` are what tell a client which type
// each resource is (RFC 7643 §3.1), so they stay whatever `attributes` selects; `schemas` is
// returned always anyway (RFC 7643 §3).
function keepResourceType(resource: Resource, resourceType: ResourceTypeDefinition): Resource {
  const meta = resource.meta as Resource | undefined
  if (meta?.resourceType !== undefined) return resource
  return { ...resource, meta: { resourceType: resourceType.name, ...meta } }
}

// RFC 7644 §3.4.2.3 sorts by an attribute; on a type that lacks it every resource would have no
// value, so that type keeps its default order. A name no type defines is refused.
function sortByPerType(
  sortBy: AttributePath | undefined,
  types: readonly ResourceTypeDefinition[],
): (AttributePath | undefined)[] {
  if (sortBy === undefined) return types.map(() => undefined)
  const perType = types.map((type) => (definesAttribute(sortBy, type) ? sortBy : undefined))
  if (perType.every((path) => path === undefined)) {
    const label = sortBy.sub === undefined ? sortBy.attr : `${sortBy.attr}.${sortBy.sub}`
    throw ScimError.invalidValue(
      `sortBy "${sortBy.uri === undefined ? label : `${sortBy.uri}:${label}`}" is an attribute ` +
        `of no resource type (${types.map((type) => type.name).join(', ')}; see /Schemas)`,
    )
  }
  return perType
}

/**
 * Splits an `attributes`/`excludedAttributes` list (RFC 7644 §3.4.2.5) per resource type: each
 * name goes to the types that define it; a name no type defines is refused as on a resource-type
 * endpoint. A type left with no name of a non-empty `attributes` gets only what is always
 * returned (`id`, `schemas`), since the client asked for attributes it does not have.
 */
function attributesPerType(
  source: Query,
  parameter: 'attributes' | 'excludedAttributes',
  types: readonly ResourceTypeDefinition[],
): (AttributePath[] | undefined)[] {
  const raw = source[parameter]
  if (raw === undefined || raw === null) return types.map(() => undefined)
  const names = (Array.isArray(raw) ? raw.map(String).join(',') : String(raw))
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '')
  const perType: AttributePath[][] = types.map(() => [])
  for (const name of names) {
    let firstError: unknown
    let isDefined = false
    for (const [index, type] of types.entries()) {
      try {
        perType[index]?.push(...parseAttributeList(name, type, parameter))
        isDefined = true
      } catch (error) {
        firstError ??= error
      }
    }
    if (!isDefined) throw firstError
  }
  if (parameter === 'attributes' && names.length > 0) {
    return perType.map((paths) => (paths.length === 0 ? [{ attr: 'id' }] : paths))
  }
  return perType
}
