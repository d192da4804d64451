// The discovery endpoints of RFC 7644 §4: ServiceProviderConfig (RFC 7643 §5), ResourceTypes
// (§6) and Schemas (§7), built from scim/schemas/ so they publish exactly what is implemented.

import {
  ALL_RESOURCE_TYPES,
  ALL_SCHEMAS,
  ENTRA_ADSCIM_GROUP_URN,
  LIST_RESPONSE_URN,
  RESOURCE_TYPE_SCHEMA_URN,
  SCHEMA_SCHEMA_URN,
  SERVICE_PROVIDER_CONFIG_SCHEMA_URN,
} from './schemas/index.ts'
import type {
  AttributeDefinition,
  ResourceTypeDefinition,
  SchemaDefinition,
} from './schemas/types.ts'

/** A ListResponse body (RFC 7644 §3.4.2). */
export interface ListResponse<T> {
  readonly schemas: readonly [typeof LIST_RESPONSE_URN]
  readonly totalResults: number
  readonly itemsPerPage: number
  readonly startIndex: number
  readonly Resources: readonly T[]
}

/** The `meta` of a discovery resource (RFC 7643 §3.1). */
export interface DiscoveryMeta {
  readonly resourceType: 'ServiceProviderConfig' | 'ResourceType' | 'Schema'
  readonly location: string
}

/** What Rollcall supports, as the caller configured it. */
export interface ServiceProviderConfigOptions {
  /** The tenant's SCIM base URL, e.g. `https://host/scim/v2/acme` (a trailing `/` is ignored). */
  readonly baseUrl: string
  /** The largest page a list or filter returns (RFC 7643 §5 `filter.maxResults`). */
  readonly maxResults: number
  readonly bulk: {
    readonly supported: boolean
    readonly maxOperations: number
    readonly maxPayloadSize: number
  }
  /** The tenant's strict interop-profile mode (SPEC §7). */
  readonly strictProfile: boolean
}

/**
 * The ServiceProviderConfig resource (RFC 7643 §5): its attributes and nothing else, because
 * clients that validate the document strictly refuse unknown ones (issue #7). The one addition is
 * the interop profile's registered `interopProfileConformant` (profile §4, §8).
 */
export interface ServiceProviderConfig {
  readonly schemas: readonly [typeof SERVICE_PROVIDER_CONFIG_SCHEMA_URN]
  readonly patch: { readonly supported: boolean }
  readonly bulk: {
    readonly supported: boolean
    readonly maxOperations: number
    readonly maxPayloadSize: number
  }
  readonly filter: { readonly supported: boolean; readonly maxResults: number }
  readonly changePassword: { readonly supported: boolean }
  readonly sort: { readonly supported: boolean }
  readonly etag: { readonly supported: boolean }
  readonly authenticationSchemes: readonly {
    readonly type: string
    readonly name: string
    readonly description: string
    readonly specUri: string
    readonly primary: boolean
  }[]
  /** Interop profile §4: sent, as true, only when every service-provider MUST is met. */
  readonly interopProfileConformant?: true
  readonly meta: DiscoveryMeta
}

/** A ResourceType resource (RFC 7643 §6). */
export interface ResourceTypeResource {
  readonly schemas: readonly [typeof RESOURCE_TYPE_SCHEMA_URN]
  readonly id: string
  readonly name: string
  readonly endpoint: string
  readonly description: string
  readonly schema: string
  readonly schemaExtensions: readonly { readonly schema: string; readonly required: boolean }[]
  readonly meta: DiscoveryMeta
}

/** An attribute as a Schema resource publishes it (RFC 7643 §7). */
export interface SchemaAttributeResource {
  readonly name: string
  readonly type: AttributeDefinition['type']
  readonly multiValued: boolean
  readonly description: string
  readonly required: boolean
  readonly caseExact: boolean
  readonly canonicalValues?: readonly string[]
  readonly mutability: AttributeDefinition['mutability']
  readonly returned: AttributeDefinition['returned']
  readonly uniqueness: AttributeDefinition['uniqueness']
  readonly referenceTypes?: readonly string[]
  readonly subAttributes?: readonly SchemaAttributeResource[]
}

/** A Schema resource (RFC 7643 §7). */
export interface SchemaResource {
  readonly schemas: readonly [typeof SCHEMA_SCHEMA_URN]
  readonly id: string
  readonly name: string
  readonly description: string
  readonly attributes: readonly SchemaAttributeResource[]
  readonly meta: DiscoveryMeta
}

/**
 * Builds `GET /ServiceProviderConfig` (RFC 7643 §5): PATCH, filter (with `maxResults`), sort and
 * ETags supported; no password change; bulk as configured; one `oauthbearertoken` scheme for the
 * tenant's bearer JWT. Only RFC 7643 §5 attributes are sent (no Rollcall additions such as the
 * longest filter), and `interopProfileConformant: true` only in strict profile mode: the lenient
 * mode accepts Entra's path-less PATCH and string booleans, which break the profile's MUSTs, and
 * the profile lets a non-conformant provider omit the attribute (interop profile §4; SPEC §7).
 */
export function serviceProviderConfig(
  options: ServiceProviderConfigOptions,
): ServiceProviderConfig {
  const base = trimBaseUrl(options.baseUrl)
  return {
    schemas: [SERVICE_PROVIDER_CONFIG_SCHEMA_URN],
    patch: { supported: true },
    bulk: {
      supported: options.bulk.supported,
      maxOperations: options.bulk.maxOperations,
      maxPayloadSize: options.bulk.maxPayloadSize,
    },
    filter: { supported: true, maxResults: options.maxResults },
    changePassword: { supported: false },
    sort: { supported: true },
    etag: { supported: true },
    authenticationSchemes: [
      {
        type: 'oauthbearertoken',
        name: 'OAuth Bearer Token',
        description:
          'A bearer JWT bound to this tenant, sent as "Authorization: Bearer <token>". An admin ' +
          'issues it with `npx rollcall scim-token issue --tenant <slug>`; it is shown ' +
          'once, and issuing a new one revokes the previous one.',
        specUri: 'https://www.rfc-editor.org/info/rfc6750',
        primary: true,
      },
    ],
    ...(options.strictProfile ? { interopProfileConformant: true as const } : {}),
    meta: { resourceType: 'ServiceProviderConfig', location: `${base}/ServiceProviderConfig` },
  }
}

/**
 * Builds `GET /ResourceTypes` (RFC 7644 §4, RFC 7643 §6): User and Group, each with `id` equal to
 * its `name` (interop profile §5.1) and its schema extensions.
 */
export function resourceTypes(baseUrl: string): ListResponse<ResourceTypeResource> {
  return listResponse(ALL_RESOURCE_TYPES.map((type) => renderResourceType(baseUrl, type)))
}

/**
 * Builds `GET /ResourceTypes/{id}`; `id` compares case-insensitively (`User`, `Group`).
 * Returns undefined for an unknown id (the route answers 404).
 */
export function resourceTypeById(baseUrl: string, id: string): ResourceTypeResource | undefined {
  const type = ALL_RESOURCE_TYPES.find((candidate) => sameId(candidate.id, id))
  return type === undefined ? undefined : renderResourceType(baseUrl, type)
}

/**
 * Builds `GET /Schemas` (RFC 7644 §4, RFC 7643 §7): every schema a resource type uses, attribute
 * for attribute, exactly as implemented (interop profile §5.1). The common attributes (`id`,
 * `externalId`, `meta`) belong to no schema and are not listed (RFC 7643 §3.1); Entra's ADSCIM
 * group URN, tolerated on input, is never published.
 */
export function schemas(baseUrl: string): ListResponse<SchemaResource> {
  return listResponse(publishedSchemas().map((schema) => renderSchema(baseUrl, schema)))
}

/**
 * Builds `GET /Schemas/{id}`; the URN compares case-insensitively.
 * Returns undefined for an unknown id (the route answers 404).
 */
export function schemaById(baseUrl: string, id: string): SchemaResource | undefined {
  const schema = publishedSchemas().find((candidate) => sameId(candidate.id, id))
  return schema === undefined ? undefined : renderSchema(baseUrl, schema)
}

function publishedSchemas(): readonly SchemaDefinition[] {
  return ALL_SCHEMAS.filter((schema) => !sameId(schema.id, ENTRA_ADSCIM_GROUP_URN))
}

function renderResourceType(baseUrl: string, type: ResourceTypeDefinition): ResourceTypeResource {
  return {
    schemas: [RESOURCE_TYPE_SCHEMA_URN],
    id: type.id,
    name: type.name,
    endpoint: type.endpoint,
    description: type.description,
    schema: type.schema.id,
    schemaExtensions: type.extensions
      .filter(({ schema }) => !sameId(schema.id, ENTRA_ADSCIM_GROUP_URN))
      .map(({ schema, required }) => ({ schema: schema.id, required })),
    meta: {
      resourceType: 'ResourceType',
      location: `${trimBaseUrl(baseUrl)}/ResourceTypes/${type.id}`,
    },
  }
}

function renderSchema(baseUrl: string, schema: SchemaDefinition): SchemaResource {
  return {
    schemas: [SCHEMA_SCHEMA_URN],
    id: schema.id,
    name: schema.name,
    description: schema.description,
    attributes: schema.attributes.map(renderAttribute),
    meta: { resourceType: 'Schema', location: `${trimBaseUrl(baseUrl)}/Schemas/${schema.id}` },
  }
}

/** RFC 7643 §7 attribute characteristics, in the order RFC 7643 §8.7.1 prints them. */
function renderAttribute(attribute: AttributeDefinition): SchemaAttributeResource {
  return {
    name: attribute.name,
    type: attribute.type,
    multiValued: attribute.multiValued,
    description: attribute.description,
    required: attribute.required,
    caseExact: attribute.caseExact,
    ...(attribute.canonicalValues === undefined
      ? {}
      : { canonicalValues: attribute.canonicalValues }),
    mutability: attribute.mutability,
    returned: attribute.returned,
    uniqueness: attribute.uniqueness,
    ...(attribute.referenceTypes === undefined ? {} : { referenceTypes: attribute.referenceTypes }),
    ...(attribute.subAttributes === undefined
      ? {}
      : { subAttributes: attribute.subAttributes.map(renderAttribute) }),
  }
}

function listResponse<T>(resources: readonly T[]): ListResponse<T> {
  return {
    schemas: [LIST_RESPONSE_URN],
    totalResults: resources.length,
    itemsPerPage: resources.length,
    startIndex: 1,
    Resources: resources,
  }
}

function trimBaseUrl(baseUrl: string): string {
  return baseUrl.replace(/\/+$/, '')
}

function sameId(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase()
}
