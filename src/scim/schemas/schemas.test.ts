// Tests of the schema data against RFC 7643 §8.7.1/§8.7.2, SPEC §1 G6 and the interop profile.

import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  ALL_RESOURCE_TYPES,
  ALL_SCHEMAS,
  COMMON_ATTRIBUTES,
  ENTERPRISE_USER_SCHEMA,
  ENTERPRISE_USER_SCHEMA_URN,
  ENTRA_ADSCIM_GROUP_URN,
  GROUP_EXTENSION_SCHEMA,
  GROUP_EXTENSION_SCHEMA_URN,
  GROUP_RESOURCE_TYPE,
  SCIM_GROUP_SCHEMA,
  SCIM_USER_SCHEMA,
  USER_RESOURCE_TYPE,
} from './index.ts'
import type { AttributeDefinition, SchemaDefinition } from './types.ts'

function attribute(schema: SchemaDefinition, name: string): AttributeDefinition {
  const found = schema.attributes.find((candidate) => candidate.name === name)
  assert.ok(found, `${schema.id} lacks ${name}`)
  return found
}

function sub(parent: AttributeDefinition, name: string): AttributeDefinition {
  const found = parent.subAttributes?.find((candidate) => candidate.name === name)
  assert.ok(found, `${parent.name} lacks ${name}`)
  return found
}

describe('schemas', () => {
  it('defines every core User attribute of RFC 7643 §8.7.1 in order', () => {
    assert.deepEqual(
      SCIM_USER_SCHEMA.attributes.map((a) => a.name),
      [
        'userName',
        'name',
        'displayName',
        'nickName',
        'profileUrl',
        'title',
        'userType',
        'preferredLanguage',
        'locale',
        'timezone',
        'active',
        'password',
        'emails',
        'phoneNumbers',
        'ims',
        'photos',
        'addresses',
        'groups',
        'entitlements',
        'roles',
        'x509Certificates',
      ],
    )
  })

  it('makes userName required, case-insensitive and unique per server', () => {
    const userName = attribute(SCIM_USER_SCHEMA, 'userName')
    assert.equal(userName.required, true)
    assert.equal(userName.caseExact, false)
    assert.equal(userName.uniqueness, 'server')
  })

  it('never returns the write-only password', () => {
    const password = attribute(SCIM_USER_SCHEMA, 'password')
    assert.equal(password.mutability, 'writeOnly')
    assert.equal(password.returned, 'never')
  })

  it('lists the canonical type values of multi-valued attributes (interop profile §5.4)', () => {
    const types = (name: string) => sub(attribute(SCIM_USER_SCHEMA, name), 'type').canonicalValues
    assert.deepEqual(types('emails'), ['work', 'home', 'other'])
    assert.deepEqual(types('phoneNumbers'), ['work', 'home', 'mobile', 'fax', 'pager', 'other'])
    assert.deepEqual(types('ims'), ['aim', 'gtalk', 'icq', 'xmpp', 'msn', 'skype', 'qq', 'yahoo'])
    assert.deepEqual(types('photos'), ['photo', 'thumbnail'])
    assert.deepEqual(types('addresses'), ['work', 'home', 'other'])
  })

  it('gives the multi-valued attributes value, display, type and primary', () => {
    const names = [
      'emails',
      'phoneNumbers',
      'ims',
      'photos',
      'entitlements',
      'roles',
      'x509Certificates',
    ]
    for (const name of names) {
      const definition = attribute(SCIM_USER_SCHEMA, name)
      assert.equal(definition.multiValued, true, name)
      assert.equal(definition.type, 'complex', name)
      assert.deepEqual(
        definition.subAttributes?.map((a) => a.name),
        ['value', 'display', 'type', 'primary'],
        name,
      )
      assert.equal(sub(definition, 'primary').type, 'boolean')
    }
    assert.equal(sub(attribute(SCIM_USER_SCHEMA, 'x509Certificates'), 'value').type, 'binary')
    assert.equal(sub(attribute(SCIM_USER_SCHEMA, 'photos'), 'value').type, 'reference')
  })

  it('describes name and addresses with their RFC sub-attributes', () => {
    assert.deepEqual(
      attribute(SCIM_USER_SCHEMA, 'name').subAttributes?.map((a) => a.name),
      ['formatted', 'familyName', 'givenName', 'middleName', 'honorificPrefix', 'honorificSuffix'],
    )
    assert.deepEqual(
      attribute(SCIM_USER_SCHEMA, 'addresses').subAttributes?.map((a) => a.name),
      [
        'formatted',
        'streetAddress',
        'locality',
        'region',
        'postalCode',
        'country',
        'type',
        'primary',
      ],
    )
  })

  it('makes groups and all its sub-attributes read-only', () => {
    const groups = attribute(SCIM_USER_SCHEMA, 'groups')
    assert.equal(groups.mutability, 'readOnly')
    for (const child of groups.subAttributes ?? []) assert.equal(child.mutability, 'readOnly')
    assert.deepEqual(
      groups.subAttributes?.map((a) => a.name),
      ['value', '$ref', 'display', 'type'],
    )
  })

  it('defines the Enterprise User extension with a complex manager', () => {
    assert.equal(ENTERPRISE_USER_SCHEMA.id, ENTERPRISE_USER_SCHEMA_URN)
    assert.deepEqual(
      ENTERPRISE_USER_SCHEMA.attributes.map((a) => a.name),
      ['employeeNumber', 'costCenter', 'organization', 'division', 'department', 'manager'],
    )
    const manager = attribute(ENTERPRISE_USER_SCHEMA, 'manager')
    assert.equal(manager.type, 'complex')
    assert.deepEqual(sub(manager, '$ref').referenceTypes, ['User'])
    assert.equal(sub(manager, 'displayName').mutability, 'readOnly')
  })

  it('makes a group displayName required and unique, and members immutable', () => {
    const displayName = attribute(SCIM_GROUP_SCHEMA, 'displayName')
    assert.equal(displayName.required, true)
    assert.equal(displayName.caseExact, false)
    assert.equal(displayName.uniqueness, 'server')
    const members = attribute(SCIM_GROUP_SCHEMA, 'members')
    assert.equal(members.multiValued, true)
    assert.equal(sub(members, 'value').mutability, 'immutable')
    assert.equal(sub(members, '$ref').mutability, 'immutable')
    assert.equal(sub(members, 'type').mutability, 'immutable')
    assert.deepEqual(sub(members, 'type').canonicalValues, ['User', 'Group'])
    assert.equal(sub(members, 'display').mutability, 'readOnly')
  })

  it('uses the exact Group description extension URN of SPEC §1 G6', () => {
    assert.equal(
      GROUP_EXTENSION_SCHEMA_URN,
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:Group',
    )
    assert.equal(GROUP_EXTENSION_SCHEMA.id, GROUP_EXTENSION_SCHEMA_URN)
    assert.deepEqual(
      GROUP_EXTENSION_SCHEMA.attributes.map((a) => a.name),
      ['description'],
    )
    assert.equal(attribute(GROUP_EXTENSION_SCHEMA, 'description').caseExact, false)
  })

  it('makes id and externalId case-exact and meta read-only (interop profile §5.2)', () => {
    const byName = new Map(COMMON_ATTRIBUTES.map((a) => [a.name, a]))
    assert.equal(byName.get('id')?.caseExact, true)
    assert.equal(byName.get('id')?.mutability, 'readOnly')
    assert.equal(byName.get('id')?.returned, 'always')
    assert.equal(byName.get('externalId')?.caseExact, true)
    const meta = byName.get('meta')
    assert.ok(meta)
    assert.deepEqual(
      meta.subAttributes?.map((a) => a.name),
      ['resourceType', 'created', 'lastModified', 'location', 'version'],
    )
    for (const child of meta.subAttributes ?? []) assert.equal(child.mutability, 'readOnly')
  })

  it('publishes exactly the four implemented schemas and never the ADSCIM URN', () => {
    assert.deepEqual(
      ALL_SCHEMAS.map((schema) => schema.id),
      [
        'urn:ietf:params:scim:schemas:core:2.0:User',
        'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
        'urn:ietf:params:scim:schemas:core:2.0:Group',
        'urn:ietf:params:scim:schemas:extension:enterprise:2.0:Group',
      ],
    )
    assert.ok(!ALL_SCHEMAS.some((schema) => schema.id === ENTRA_ADSCIM_GROUP_URN))
  })

  it('gives each resource type an id equal to its name and optional extensions', () => {
    assert.deepEqual(ALL_RESOURCE_TYPES, [USER_RESOURCE_TYPE, GROUP_RESOURCE_TYPE])
    for (const resourceType of ALL_RESOURCE_TYPES) {
      assert.equal(resourceType.id, resourceType.name)
      for (const extension of resourceType.extensions) {
        assert.equal(extension.required, false)
        assert.ok(ALL_SCHEMAS.includes(extension.schema))
      }
      assert.ok(ALL_SCHEMAS.includes(resourceType.schema))
    }
  })

  it('has no duplicate names, case-insensitively, at any level', () => {
    const check = (attributes: readonly AttributeDefinition[], where: string): void => {
      const names = attributes.map((a) => a.name.toLowerCase())
      assert.equal(new Set(names).size, names.length, where)
      for (const a of attributes) {
        if (a.subAttributes !== undefined) check(a.subAttributes, `${where}.${a.name}`)
        assert.equal(a.subAttributes !== undefined, a.type === 'complex', `${where}.${a.name}`)
      }
    }
    for (const schema of ALL_SCHEMAS) check([...COMMON_ATTRIBUTES, ...schema.attributes], schema.id)
  })

  it('serialises to JSON without losing anything (no undefined members)', () => {
    for (const schema of ALL_SCHEMAS) {
      assert.deepEqual(JSON.parse(JSON.stringify(schema)), schema)
    }
  })
})
