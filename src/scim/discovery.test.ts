// Unit tests of the discovery documents (RFC 7644 §4; RFC 7643 §5–7; interop profile §4, §5.1,
// §5.4).

import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import {
  resourceTypeById,
  resourceTypes,
  schemaById,
  schemas,
  serviceProviderConfig,
} from './discovery.ts'
import type { SchemaAttributeResource, ServiceProviderConfigOptions } from './discovery.ts'
import {
  ENTERPRISE_USER_SCHEMA_URN,
  ENTRA_ADSCIM_GROUP_URN,
  GROUP_EXTENSION_SCHEMA_URN,
  LIST_RESPONSE_URN,
  SCIM_GROUP_SCHEMA_URN,
  SCIM_USER_SCHEMA_URN,
} from './schemas/index.ts'

const BASE = 'https://rollcall.example/scim/v2/acme'

const OPTIONS: ServiceProviderConfigOptions = {
  baseUrl: `${BASE}/`,
  maxResults: 200,
  bulk: { supported: true, maxOperations: 1000, maxPayloadSize: 1048576 },
  strictProfile: false,
}

// The attributes RFC 7643 defines for each discovery resource, recursively: `true` is a leaf (a
// scalar or an array of scalars); an object is the allowed keys of an object, or of every element
// of an array of objects. Anything else in a document is a Rollcall addition that strict clients
// refuse (issue #7).
type Shape = { readonly [key: string]: Shape | true }

// RFC 7643 §3.1: the sub-attributes of `meta`.
const META: Shape = {
  resourceType: true,
  created: true,
  lastModified: true,
  location: true,
  version: true,
}
// RFC 7643 §5, with the authentication scheme's `primary` of its §8.5 example.
const SERVICE_PROVIDER_CONFIG: Shape = {
  schemas: true,
  documentationUri: true,
  patch: { supported: true },
  bulk: { supported: true, maxOperations: true, maxPayloadSize: true },
  filter: { supported: true, maxResults: true },
  changePassword: { supported: true },
  sort: { supported: true },
  etag: { supported: true },
  authenticationSchemes: {
    type: true,
    name: true,
    description: true,
    specUri: true,
    documentationUri: true,
    primary: true,
  },
  meta: META,
}
// RFC 7643 §6.
const RESOURCE_TYPE: Shape = {
  schemas: true,
  id: true,
  name: true,
  description: true,
  endpoint: true,
  schema: true,
  schemaExtensions: { schema: true, required: true },
  meta: META,
}
// RFC 7643 §7: attribute characteristics, `subAttributes` holding attributes again.
const ATTRIBUTE: { [key: string]: Shape | true } = {
  name: true,
  type: true,
  multiValued: true,
  description: true,
  required: true,
  canonicalValues: true,
  caseExact: true,
  mutability: true,
  returned: true,
  uniqueness: true,
  referenceTypes: true,
}
ATTRIBUTE.subAttributes = ATTRIBUTE
const SCHEMA: Shape = {
  schemas: true,
  id: true,
  name: true,
  description: true,
  attributes: ATTRIBUTE,
  meta: META,
}
// RFC 7644 §3.4.2.
const listOf = (resource: Shape): Shape => ({
  schemas: true,
  totalResults: true,
  itemsPerPage: true,
  startIndex: true,
  Resources: resource,
})

/** The dotted paths of `value` that `shape` does not allow, e.g. `filter.maxFilterLength`. */
function keysOutside(value: unknown, shape: Shape, at = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((item) => keysOutside(item, shape, `${at}[]`))
  if (typeof value !== 'object' || value === null) return [`${at} (expected an object)`]
  return Object.entries(value).flatMap(([key, inner]) => {
    const path = at === '' ? key : `${at}.${key}`
    const allowed = shape[key]
    if (allowed === undefined) return [path]
    if (allowed === true) {
      const isScalar = (item: unknown) => typeof item !== 'object' || item === null
      const isLeaf = Array.isArray(inner) ? inner.every(isScalar) : isScalar(inner)
      return isLeaf ? [] : [`${path} (expected a scalar)`]
    }
    return keysOutside(inner, allowed, path)
  })
}

const attributeOf = (
  attributes: readonly SchemaAttributeResource[],
  name: string,
): SchemaAttributeResource => {
  const found = attributes.find((attribute) => attribute.name === name)
  assert.ok(found, `attribute ${name}`)
  return found
}

describe('serviceProviderConfig', () => {
  it('advertises patch, filter with maxResults, sort and etag, but not changePassword', () => {
    const config = serviceProviderConfig(OPTIONS)
    assert.deepEqual(config.schemas, [
      'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig',
    ])
    assert.deepEqual(config.patch, { supported: true })
    assert.deepEqual(config.filter, { supported: true, maxResults: 200 })
    assert.deepEqual(config.changePassword, { supported: false })
    assert.deepEqual(config.sort, { supported: true })
    assert.deepEqual(config.etag, { supported: true })
    assert.deepEqual(config.bulk, { supported: true, maxOperations: 1000, maxPayloadSize: 1048576 })
  })

  it('describes one oauthbearertoken authentication scheme', () => {
    const { authenticationSchemes } = serviceProviderConfig(OPTIONS)
    assert.equal(authenticationSchemes.length, 1)
    assert.equal(authenticationSchemes[0]?.type, 'oauthbearertoken')
    assert.equal(authenticationSchemes[0]?.primary, true)
  })

  it('holds only the attributes of RFC 7643 §5, recursively', () => {
    for (const bulk of [OPTIONS.bulk, { supported: false, maxOperations: 0, maxPayloadSize: 0 }]) {
      const config = serviceProviderConfig({ ...OPTIONS, bulk })
      assert.deepEqual(keysOutside(config, SERVICE_PROVIDER_CONFIG), [])
    }
  })

  it('adds interopProfileConformant, as true, only in strict profile mode', () => {
    assert.equal('interopProfileConformant' in serviceProviderConfig(OPTIONS), false)
    const strict = serviceProviderConfig({ ...OPTIONS, strictProfile: true })
    assert.equal(strict.interopProfileConformant, true)
    assert.deepEqual(
      keysOutside(strict, { ...SERVICE_PROVIDER_CONFIG, interopProfileConformant: true }),
      [],
    )
  })

  it('finds keys outside the RFC set at any depth (the whitelist itself)', () => {
    const extra = {
      ...serviceProviderConfig(OPTIONS),
      filter: { supported: true, maxResults: 1, maxFilterLength: 4096 },
      interopProfileConformant: false,
    }
    assert.deepEqual(keysOutside(extra, SERVICE_PROVIDER_CONFIG), [
      'filter.maxFilterLength',
      'interopProfileConformant',
    ])
    assert.deepEqual(keysOutside({ attributes: [{ subAttributes: [{ x: 1 }] }] }, SCHEMA), [
      'attributes[].subAttributes[].x',
    ])
  })

  it('gives its location under the base URL without a double slash', () => {
    assert.deepEqual(serviceProviderConfig(OPTIONS).meta, {
      resourceType: 'ServiceProviderConfig',
      location: `${BASE}/ServiceProviderConfig`,
    })
  })
})

describe('resourceTypes', () => {
  it('holds only the attributes of RFC 7643 §6 in a ListResponse', () => {
    assert.deepEqual(keysOutside(resourceTypes(BASE), listOf(RESOURCE_TYPE)), [])
    assert.deepEqual(keysOutside(resourceTypeById(BASE, 'Group'), RESOURCE_TYPE), [])
  })

  it('is a ListResponse of User and Group whose ids equal their names', () => {
    const list = resourceTypes(BASE)
    assert.deepEqual(list.schemas, [LIST_RESPONSE_URN])
    assert.equal(list.totalResults, 2)
    assert.equal(list.itemsPerPage, 2)
    assert.equal(list.startIndex, 1)
    assert.deepEqual(
      list.Resources.map(({ id, name, endpoint }) => ({ id, name, endpoint })),
      [
        { id: 'User', name: 'User', endpoint: '/Users' },
        { id: 'Group', name: 'Group', endpoint: '/Groups' },
      ],
    )
  })

  it('lists the schema extensions of each type', () => {
    const user = resourceTypeById(BASE, 'User')
    assert.equal(user?.schema, SCIM_USER_SCHEMA_URN)
    assert.deepEqual(user?.schemaExtensions, [
      { schema: ENTERPRISE_USER_SCHEMA_URN, required: false },
    ])
    const group = resourceTypeById(BASE, 'Group')
    assert.equal(group?.schema, SCIM_GROUP_SCHEMA_URN)
    assert.deepEqual(group?.schemaExtensions, [
      { schema: GROUP_EXTENSION_SCHEMA_URN, required: false },
    ])
  })

  it('gives each type its schema URN and location', () => {
    assert.deepEqual(resourceTypeById(BASE, 'Group')?.meta, {
      resourceType: 'ResourceType',
      location: `${BASE}/ResourceTypes/Group`,
    })
    assert.deepEqual(resourceTypeById(BASE, 'Group')?.schemas, [
      'urn:ietf:params:scim:schemas:core:2.0:ResourceType',
    ])
  })

  it('returns undefined for an unknown id', () => {
    assert.equal(resourceTypeById(BASE, 'Device'), undefined)
  })
})

describe('schemas', () => {
  it('holds only the attributes of RFC 7643 §7 in a ListResponse, sub-attributes included', () => {
    assert.deepEqual(keysOutside(schemas(BASE), listOf(SCHEMA)), [])
    assert.deepEqual(keysOutside(schemaById(BASE, SCIM_USER_SCHEMA_URN), SCHEMA), [])
  })

  it('is a ListResponse of exactly the implemented schemas, without the ADSCIM URN', () => {
    const list = schemas(BASE)
    assert.deepEqual(list.schemas, [LIST_RESPONSE_URN])
    assert.deepEqual(
      list.Resources.map(({ id }) => id),
      [
        SCIM_USER_SCHEMA_URN,
        ENTERPRISE_USER_SCHEMA_URN,
        SCIM_GROUP_SCHEMA_URN,
        GROUP_EXTENSION_SCHEMA_URN,
      ],
    )
    assert.equal(list.totalResults, 4)
    assert.equal(JSON.stringify(list).includes(ENTRA_ADSCIM_GROUP_URN), false)
    assert.equal(schemaById(BASE, ENTRA_ADSCIM_GROUP_URN), undefined)
  })

  it('renders each schema as a Schema resource with its location', () => {
    const user = schemaById(BASE, SCIM_USER_SCHEMA_URN)
    assert.ok(user)
    assert.deepEqual(user.schemas, ['urn:ietf:params:scim:schemas:core:2.0:Schema'])
    assert.equal(user.name, 'User')
    assert.deepEqual(user.meta, {
      resourceType: 'Schema',
      location: `${BASE}/Schemas/${SCIM_USER_SCHEMA_URN}`,
    })
  })

  it('renders the RFC 7643 §7 characteristics of every attribute', () => {
    const attributes = schemaById(BASE, SCIM_USER_SCHEMA_URN)?.attributes ?? []
    const userName = attributeOf(attributes, 'userName')
    assert.deepEqual(userName, {
      name: 'userName',
      type: 'string',
      multiValued: false,
      description: userName.description,
      required: true,
      caseExact: false,
      mutability: 'readWrite',
      returned: 'default',
      uniqueness: 'server',
    })
    const password = attributeOf(attributes, 'password')
    assert.equal(password.returned, 'never')
    assert.equal(password.mutability, 'writeOnly')
  })

  it('lists the type values of emails, phoneNumbers, ims and addresses (profile §5.4)', () => {
    const attributes = schemaById(BASE, SCIM_USER_SCHEMA_URN)?.attributes ?? []
    for (const name of ['emails', 'phoneNumbers', 'ims', 'addresses']) {
      const type = attributeOf(attributeOf(attributes, name).subAttributes ?? [], 'type')
      assert.ok((type.canonicalValues ?? []).length > 0, `${name}.type canonicalValues`)
    }
    const emailType = attributeOf(attributeOf(attributes, 'emails').subAttributes ?? [], 'type')
    assert.deepEqual(emailType.canonicalValues, ['work', 'home', 'other'])
  })

  it('renders sub-attributes and reference types of the group members', () => {
    const attributes = schemaById(BASE, SCIM_GROUP_SCHEMA_URN)?.attributes ?? []
    const members = attributeOf(attributes, 'members')
    assert.equal(members.multiValued, true)
    const ref = attributeOf(members.subAttributes ?? [], '$ref')
    assert.deepEqual(ref.referenceTypes, ['User', 'Group'])
    assert.deepEqual(attributeOf(members.subAttributes ?? [], 'type').canonicalValues, [
      'User',
      'Group',
    ])
  })

  it('finds a schema case-insensitively and returns undefined for an unknown one', () => {
    assert.equal(
      schemaById(BASE, ENTERPRISE_USER_SCHEMA_URN.toUpperCase())?.id,
      ENTERPRISE_USER_SCHEMA_URN,
    )
    assert.equal(schemaById(BASE, 'urn:example:unknown'), undefined)
  })
})
