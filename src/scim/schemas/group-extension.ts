// The Group description extension (SPEC §1 G6): the URN Entra admins type into the attribute
// mapping by hand. Shaped like RFC 7643 §4.3's enterprise extension, for Groups.

import { defineAttribute } from './define.ts'
import type { SchemaDefinition } from './types.ts'

/** Accepted exactly as Entra admins write it (SPEC §1 G6; entra-provisioning.md §4). */
export const GROUP_EXTENSION_SCHEMA_URN =
  'urn:ietf:params:scim:schemas:extension:enterprise:2.0:Group'

/** The Group extension schema: one attribute, `description`. */
export const GROUP_EXTENSION_SCHEMA: SchemaDefinition = {
  id: GROUP_EXTENSION_SCHEMA_URN,
  name: 'EnterpriseGroup',
  description: 'Enterprise Group',
  attributes: [
    defineAttribute('description', 'string', 'A human-readable description of the Group.'),
  ],
}
