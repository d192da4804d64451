// The core Group schema of RFC 7643 §4.2, as published in RFC 7643 §8.7.1, with Rollcall's
// rule that a group's displayName is required and unique per tenant (SPEC §1 G1).

import { defineAttribute } from './define.ts'
import type { SchemaDefinition } from './types.ts'

export const SCIM_GROUP_SCHEMA_URN = 'urn:ietf:params:scim:schemas:core:2.0:Group'

/** The core Group schema (RFC 7643 §8.7.1). */
export const SCIM_GROUP_SCHEMA: SchemaDefinition = {
  id: SCIM_GROUP_SCHEMA_URN,
  name: 'Group',
  description: 'Group',
  attributes: [
    defineAttribute('displayName', 'string', 'A human-readable name for the Group. REQUIRED.', {
      required: true,
      uniqueness: 'server',
    }),
    defineAttribute('members', 'complex', 'A list of members of the Group.', {
      multiValued: true,
      subAttributes: [
        // Member values are resource ids, which are case-exact (interop profile §5.2), so
        // `members.value eq` compares exactly and is index-backed.
        defineAttribute('value', 'string', 'Identifier of the member of this Group.', {
          mutability: 'immutable',
          caseExact: true,
        }),
        defineAttribute(
          '$ref',
          'reference',
          'The URI corresponding to a SCIM resource that is a member of this Group.',
          { mutability: 'immutable', referenceTypes: ['User', 'Group'] },
        ),
        defineAttribute(
          'display',
          'string',
          'A human-readable name, primarily used for display purposes.',
          { mutability: 'readOnly' },
        ),
        defineAttribute(
          'type',
          'string',
          `A label indicating the type of resource, e.g., 'User' or 'Group'.`,
          { mutability: 'immutable', canonicalValues: ['User', 'Group'] },
        ),
      ],
    }),
  ],
}
