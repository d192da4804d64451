// JSON schemas shared by the /api/v1 route modules: the directory's shapes (directory/views.ts),
// parameters and pages. They feed the OpenAPI document.

const nullableString = { type: ['string', 'null'] } as const
const origin = { type: 'string', enum: ['INTERNAL', 'SCIM'] } as const

export const directoryUserSchema = {
  type: 'object',
  properties: {
    object: { type: 'string', enum: ['user'] },
    id: { type: 'string' },
    userName: { type: 'string' },
    email: { type: 'string' },
    displayName: nullableString,
    givenName: nullableString,
    familyName: nullableString,
    externalId: nullableString,
    active: { type: 'boolean' },
    origin,
    role: { type: 'string', description: 'The effective role (own role or one a group gives).' },
    createdAt: { type: 'string' },
    updatedAt: { type: 'string' },
  },
} as const

export const groupReferenceSchema = {
  type: 'object',
  properties: { id: { type: 'string' }, displayName: { type: 'string' } },
} as const

export const directoryGroupSchema = {
  type: 'object',
  properties: {
    object: { type: 'string', enum: ['group'] },
    id: { type: 'string' },
    displayName: { type: 'string' },
    externalId: nullableString,
    origin,
    createdAt: { type: 'string' },
    updatedAt: { type: 'string' },
  },
} as const

export const memberSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    type: { type: 'string', enum: ['user', 'group'] },
    display: nullableString,
    origin: { ...origin, description: 'Who controls the membership (SCIM ones are the IdP’s).' },
  },
} as const

export const tenantSchema = {
  type: 'object',
  properties: {
    object: { type: 'string', enum: ['tenant'] },
    id: { type: 'string' },
    slug: { type: 'string' },
    name: { type: 'string' },
    scimEnabled: { type: 'boolean' },
    createdAt: { type: 'string' },
  },
} as const

/** A page of `items` with the cursor of the next page (null on the last). */
export function pageSchema(items: object) {
  return {
    type: 'object',
    properties: {
      data: { type: 'array', items },
      after: {
        type: ['string', 'null'],
        description: 'Pass as `after` for the next page; null on the last page.',
      },
    },
  } as const
}

export const pageQuery = {
  after: { type: 'string', maxLength: 100, description: 'The `after` of the previous page.' },
  limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 },
} as const

export const filteredPageQuery = {
  type: 'object',
  properties: {
    ...pageQuery,
    filter: {
      type: 'string',
      description: 'A SCIM filter (RFC 7644 §3.4.2.2), e.g. userName eq "ann@example.com".',
    },
  },
  additionalProperties: false,
} as const

export const tenantParams = {
  type: 'object',
  properties: { tenant: { type: 'string', maxLength: 63 } },
  required: ['tenant'],
} as const

export const idParams = {
  type: 'object',
  properties: { tenant: { type: 'string', maxLength: 63 }, id: { type: 'string', maxLength: 100 } },
  required: ['tenant', 'id'],
} as const

export type TenantParams = { Params: { tenant: string } }
export type IdParams = { Params: { tenant: string; id: string } }
export type PageQuery = { after?: string; limit: number; filter?: string }
