// The schemas and resource types Rollcall implements (RFC 7643 §4, §6, §8.7) and the URNs of the
// SCIM messages (RFC 7644 §3.4.2, §3.5.2, §3.7, §3.12). /Schemas and /ResourceTypes come from here.

import { ENTERPRISE_USER_SCHEMA } from './enterprise-user.ts'
import { GROUP_EXTENSION_SCHEMA } from './group-extension.ts'
import { SCIM_GROUP_SCHEMA } from './group.ts'
import type { ResourceTypeDefinition, SchemaDefinition } from './types.ts'
import { SCIM_USER_SCHEMA } from './user.ts'

export { SCIM_USER_SCHEMA, SCIM_USER_SCHEMA_URN } from './user.ts'
export { ENTERPRISE_USER_SCHEMA, ENTERPRISE_USER_SCHEMA_URN } from './enterprise-user.ts'
export { SCIM_GROUP_SCHEMA, SCIM_GROUP_SCHEMA_URN } from './group.ts'
export { GROUP_EXTENSION_SCHEMA, GROUP_EXTENSION_SCHEMA_URN } from './group-extension.ts'
export {
  COMMON_ATTRIBUTES,
  EXTERNAL_ID_ATTRIBUTE,
  ID_ATTRIBUTE,
  META_ATTRIBUTE,
  SCHEMAS_ATTRIBUTE,
} from './common.ts'

/** RFC 7644 §3.4.2: the body of a list or query response. */
export const LIST_RESPONSE_URN = 'urn:ietf:params:scim:api:messages:2.0:ListResponse'
/** RFC 7644 §3.5.2: the body of a PATCH request. */
export const PATCH_OP_URN = 'urn:ietf:params:scim:api:messages:2.0:PatchOp'
/** RFC 7644 §3.12: the body of an error response. */
export const ERROR_URN = 'urn:ietf:params:scim:api:messages:2.0:Error'
/** RFC 7644 §3.7: the body of a bulk request. */
export const BULK_REQUEST_URN = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest'
/** RFC 7644 §3.7: the body of a bulk response. */
export const BULK_RESPONSE_URN = 'urn:ietf:params:scim:api:messages:2.0:BulkResponse'
/** RFC 7644 §3.4.3: the body of a POST /.search request. */
export const SEARCH_REQUEST_URN = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest'

/** RFC 7643 §5: the ServiceProviderConfig resource. */
export const SERVICE_PROVIDER_CONFIG_SCHEMA_URN =
  'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'
/** RFC 7643 §6: a ResourceType resource. */
export const RESOURCE_TYPE_SCHEMA_URN = 'urn:ietf:params:scim:schemas:core:2.0:ResourceType'
/** RFC 7643 §7: a Schema resource. */
export const SCHEMA_SCHEMA_URN = 'urn:ietf:params:scim:schemas:core:2.0:Schema'

/**
 * Entra sends this non-standard URN in the `schemas` of a Group it creates (entra-provisioning.md
 * §3.11). A named quirk: tolerated in `schemas` on input, never published in /Schemas nor returned.
 */
export const ENTRA_ADSCIM_GROUP_URN =
  'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group'

/** The User resource type (RFC 7643 §6), with the optional Enterprise User extension. */
export const USER_RESOURCE_TYPE: ResourceTypeDefinition = {
  id: 'User',
  name: 'User',
  endpoint: '/Users',
  description: 'User Account',
  schema: SCIM_USER_SCHEMA,
  extensions: [{ schema: ENTERPRISE_USER_SCHEMA, required: false }],
}

/** The Group resource type (RFC 7643 §6), with the optional description extension (SPEC §1 G6). */
export const GROUP_RESOURCE_TYPE: ResourceTypeDefinition = {
  id: 'Group',
  name: 'Group',
  endpoint: '/Groups',
  description: 'Group',
  schema: SCIM_GROUP_SCHEMA,
  extensions: [{ schema: GROUP_EXTENSION_SCHEMA, required: false }],
}

/** Every resource type Rollcall serves, in /ResourceTypes order. */
export const ALL_RESOURCE_TYPES: readonly ResourceTypeDefinition[] = [
  USER_RESOURCE_TYPE,
  GROUP_RESOURCE_TYPE,
]

/** Every schema /Schemas publishes: exactly what is implemented (interop profile §5.1). */
export const ALL_SCHEMAS: readonly SchemaDefinition[] = [
  SCIM_USER_SCHEMA,
  ENTERPRISE_USER_SCHEMA,
  SCIM_GROUP_SCHEMA,
  GROUP_EXTENSION_SCHEMA,
]
