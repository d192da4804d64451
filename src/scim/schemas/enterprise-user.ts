// The Enterprise User extension of RFC 7643 §4.3, as published in RFC 7643 §8.7.2.

import { defineAttribute } from './define.ts'
import type { SchemaDefinition } from './types.ts'

export const ENTERPRISE_USER_SCHEMA_URN =
  'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'

/** The Enterprise User extension schema (RFC 7643 §8.7.2). */
export const ENTERPRISE_USER_SCHEMA: SchemaDefinition = {
  id: ENTERPRISE_USER_SCHEMA_URN,
  name: 'EnterpriseUser',
  description: 'Enterprise User',
  attributes: [
    defineAttribute(
      'employeeNumber',
      'string',
      'Numeric or alphanumeric identifier assigned to a person, typically based on order of hire or association with an organization.',
    ),
    defineAttribute('costCenter', 'string', 'Identifies the name of a cost center.'),
    defineAttribute('organization', 'string', 'Identifies the name of an organization.'),
    defineAttribute('division', 'string', 'Identifies the name of a division.'),
    defineAttribute('department', 'string', 'Identifies the name of a department.'),
    defineAttribute(
      'manager',
      'complex',
      `The User's manager. A complex type that optionally allows service providers to represent organizational hierarchy by referencing the 'id' attribute of another User.`,
      {
        subAttributes: [
          // RFC 7643 §8.7.2 types `value` as a string: it holds the manager's `id`, not a URI.
          defineAttribute(
            'value',
            'string',
            `The id of the SCIM resource representing the User's manager. REQUIRED.`,
            { caseExact: true },
          ),
          defineAttribute(
            '$ref',
            'reference',
            `The URI of the SCIM resource representing the User's manager. REQUIRED.`,
            { referenceTypes: ['User'] },
          ),
          defineAttribute(
            'displayName',
            'string',
            `The displayName of the User's manager. OPTIONAL and READ-ONLY.`,
            { mutability: 'readOnly' },
          ),
        ],
      },
    ),
  ],
}
