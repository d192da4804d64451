// The attributes every resource has but no schema defines: `schemas` (RFC 7643 §3) and the common
// attributes of RFC 7643 §3.1 (`id`, `externalId`, `meta`). /Schemas does not publish them;
// scim/schemas/resolve.ts consults them so filters such as `meta.lastModified gt "…"` resolve.

import { defineAttribute } from './define.ts'
import type { AttributeDefinition } from './types.ts'

/** `id`: issued by the service provider, case-exact (interop profile §5.2), always returned. */
export const ID_ATTRIBUTE: AttributeDefinition = defineAttribute(
  'id',
  'string',
  'A unique identifier for a SCIM resource as defined by the service provider.',
  { caseExact: true, mutability: 'readOnly', returned: 'always', uniqueness: 'server' },
)

/** `externalId`: the client's identifier, case-exact (interop profile §5.2). */
export const EXTERNAL_ID_ATTRIBUTE: AttributeDefinition = defineAttribute(
  'externalId',
  'string',
  'A String that is an identifier for the resource as defined by the provisioning client.',
  { caseExact: true },
)

/** `meta`: resource metadata, all read-only (RFC 7643 §3.1). */
export const META_ATTRIBUTE: AttributeDefinition = defineAttribute(
  'meta',
  'complex',
  'A complex attribute containing resource metadata.',
  {
    mutability: 'readOnly',
    subAttributes: [
      defineAttribute('resourceType', 'string', 'The name of the resource type of the resource.', {
        caseExact: true,
        mutability: 'readOnly',
      }),
      defineAttribute(
        'created',
        'dateTime',
        'The "DateTime" that the resource was added to the service provider.',
        { mutability: 'readOnly' },
      ),
      defineAttribute(
        'lastModified',
        'dateTime',
        'The most recent DateTime that the details of this resource were updated at the service provider.',
        { mutability: 'readOnly' },
      ),
      defineAttribute('location', 'reference', 'The URI of the resource being returned.', {
        caseExact: true,
        mutability: 'readOnly',
        referenceTypes: ['uri'],
      }),
      defineAttribute('version', 'string', 'The version of the resource being returned.', {
        caseExact: true,
        mutability: 'readOnly',
      }),
    ],
  },
)

/**
 * `schemas`: the URNs of the schemas a resource uses (RFC 7643 §3). Resolvable so the RFC 7644
 * §3.4.2.2 example `schemas eq "urn:…:enterprise:2.0:User"` works; body validation treats it
 * apart (unknown URNs are invalidSyntax, Entra's ADSCIM URN is tolerated).
 */
export const SCHEMAS_ATTRIBUTE: AttributeDefinition = defineAttribute(
  'schemas',
  'reference',
  'The URIs of the schemas used to define the attributes present in the resource.',
  { multiValued: true, required: true, returned: 'always', referenceTypes: ['uri'] },
)

/** `schemas`, then the common attributes in the order RFC 7643 §3.1 lists them. */
export const COMMON_ATTRIBUTES: readonly AttributeDefinition[] = [
  SCHEMAS_ATTRIBUTE,
  ID_ATTRIBUTE,
  EXTERNAL_ID_ATTRIBUTE,
  META_ATTRIBUTE,
]
