// Unit tests of the attributes/excludedAttributes projection (RFC 7644 §3.4.2.5, §3.9).

import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import { ScimError } from '../errors.ts'
import {
  ENTERPRISE_USER_SCHEMA_URN,
  GROUP_RESOURCE_TYPE,
  SCIM_GROUP_SCHEMA_URN,
  SCIM_USER_SCHEMA_URN,
  USER_RESOURCE_TYPE,
} from '../schemas/index.ts'
import {
  MAX_ATTRIBUTE_LIST_LENGTH,
  MAX_ATTRIBUTE_PATHS,
  parseAttributeList,
  projectResource,
  wantsAttribute,
} from './project.ts'
import type { ProjectionOptions } from './project.ts'

const USER = {
  schemas: [SCIM_USER_SCHEMA_URN, ENTERPRISE_USER_SCHEMA_URN],
  id: '2819c223',
  externalId: 'bjensen',
  meta: {
    resourceType: 'User',
    created: '2024-01-01T00:00:00.000Z',
    lastModified: '2024-01-02T00:00:00.000Z',
    location: 'https://h/scim/v2/acme/Users/2819c223',
    version: 'W/"2"',
  },
  userName: 'bjensen@example.com',
  name: { familyName: 'Jensen', givenName: 'Barbara' },
  active: true,
  password: 'must never leak',
  emails: [
    { value: 'bjensen@example.com', type: 'work', primary: true },
    { value: 'babs@example.org', type: 'home' },
  ],
  [ENTERPRISE_USER_SCHEMA_URN]: { employeeNumber: '701984', department: 'Tour Operations' },
}

const GROUP = {
  schemas: [SCIM_GROUP_SCHEMA_URN],
  id: 'e9e30dba',
  displayName: 'Tour Guides',
  members: [{ value: '2819c223', type: 'User', display: 'Babs' }],
  meta: { resourceType: 'Group' },
}

const userView = (attributes?: string, excludedAttributes?: string) =>
  projectResource(USER, USER_RESOURCE_TYPE, {
    attributes: parseAttributeList(attributes, USER_RESOURCE_TYPE),
    excludedAttributes: parseAttributeList(
      excludedAttributes,
      USER_RESOURCE_TYPE,
      'excludedAttributes',
    ),
  })

describe('parseAttributeList', () => {
  it('splits on commas, trims, skips empty items and spells names canonically', () => {
    const raw = ' USERNAME, name.GIVENNAME ,,emails.value'
    assert.deepEqual(parseAttributeList(raw, USER_RESOURCE_TYPE), [
      { attr: 'userName' },
      { attr: 'name', sub: 'givenName' },
      { attr: 'emails', sub: 'value' },
    ])
  })

  it('returns no paths for an absent or empty parameter', () => {
    assert.deepEqual(parseAttributeList(undefined, USER_RESOURCE_TYPE), [])
    assert.deepEqual(parseAttributeList('', USER_RESOURCE_TYPE), [])
  })

  it('accepts URN-qualified names, keeping the URN only for extension attributes', () => {
    assert.deepEqual(
      parseAttributeList(
        `${SCIM_USER_SCHEMA_URN}:userName,${ENTERPRISE_USER_SCHEMA_URN}:manager.value,${ENTERPRISE_USER_SCHEMA_URN}`,
        USER_RESOURCE_TYPE,
      ),
      [
        { attr: 'userName' },
        { uri: ENTERPRISE_USER_SCHEMA_URN, attr: 'manager', sub: 'value' },
        { attr: ENTERPRISE_USER_SCHEMA_URN },
      ],
    )
  })

  it('accepts the common attributes, meta sub-attributes and schemas', () => {
    const raw = 'id,externalId,meta.lastModified,schemas'
    assert.deepEqual(parseAttributeList(raw, USER_RESOURCE_TYPE), [
      { attr: 'id' },
      { attr: 'externalId' },
      { attr: 'meta', sub: 'lastModified' },
      { attr: 'schemas' },
    ])
  })

  it('rejects an unknown attribute with invalidValue naming it and the parameter', () => {
    assert.throws(
      () => parseAttributeList('userName,shoeSize', USER_RESOURCE_TYPE, 'excludedAttributes'),
      (error: unknown) =>
        error instanceof ScimError &&
        error.scimType === 'invalidValue' &&
        error.detail.includes('"shoeSize"') &&
        error.detail.includes('excludedAttributes'),
    )
    assert.throws(() => parseAttributeList('members', USER_RESOURCE_TYPE), ScimError)
  })

  it('rejects a value filter', () => {
    assert.throws(
      () => parseAttributeList('emails[type eq "work"]', USER_RESOURCE_TYPE),
      (error: unknown) => error instanceof ScimError && error.scimType === 'invalidValue',
    )
  })
})

describe('projectResource', () => {
  it('returns every default attribute and never the password without parameters', () => {
    const view = userView()
    assert.equal('password' in view, false)
    const { password: _password, ...rest } = USER
    assert.deepEqual(view, rest)
  })

  it('returns only the named attributes plus id and schemas for attributes=', () => {
    assert.deepEqual(userView('userName,emails'), {
      schemas: [SCIM_USER_SCHEMA_URN],
      id: '2819c223',
      userName: 'bjensen@example.com',
      emails: USER.emails,
    })
  })

  it('selects sub-attributes in every element of a multi-valued attribute', () => {
    assert.deepEqual(userView('name.givenName,emails.value'), {
      schemas: [SCIM_USER_SCHEMA_URN],
      id: '2819c223',
      name: { givenName: 'Barbara' },
      emails: [{ value: 'bjensen@example.com' }, { value: 'babs@example.org' }],
    })
  })

  it('selects one extension attribute or the whole extension, listing it in schemas', () => {
    assert.deepEqual(userView(`${ENTERPRISE_USER_SCHEMA_URN}:department`), {
      schemas: [SCIM_USER_SCHEMA_URN, ENTERPRISE_USER_SCHEMA_URN],
      id: '2819c223',
      [ENTERPRISE_USER_SCHEMA_URN]: { department: 'Tour Operations' },
    })
    assert.deepEqual(userView(ENTERPRISE_USER_SCHEMA_URN), {
      schemas: [SCIM_USER_SCHEMA_URN, ENTERPRISE_USER_SCHEMA_URN],
      id: '2819c223',
      [ENTERPRISE_USER_SCHEMA_URN]: USER[ENTERPRISE_USER_SCHEMA_URN],
    })
  })

  it('removes excluded attributes, sub-attributes and extensions', () => {
    const excluded = `emails.type,meta,name.familyName,${ENTERPRISE_USER_SCHEMA_URN}`
    const view = userView(undefined, excluded)
    assert.equal('meta' in view, false)
    assert.deepEqual(view['name'], { givenName: 'Barbara' })
    assert.deepEqual(view['emails'], [
      { value: 'bjensen@example.com', primary: true },
      { value: 'babs@example.org' },
    ])
    assert.deepEqual(view['schemas'], [SCIM_USER_SCHEMA_URN])
    assert.equal(ENTERPRISE_USER_SCHEMA_URN in view, false)
  })

  it('drops the extension from schemas when its last attribute is excluded', () => {
    const view = userView(
      undefined,
      `${ENTERPRISE_USER_SCHEMA_URN}:employeeNumber,${ENTERPRISE_USER_SCHEMA_URN}:department`,
    )
    assert.deepEqual(view['schemas'], [SCIM_USER_SCHEMA_URN])
  })

  it('never removes id or schemas', () => {
    const view = userView(undefined, 'id,schemas,userName')
    assert.equal(view['id'], '2819c223')
    assert.deepEqual(view['schemas'], USER.schemas)
    assert.equal('userName' in view, false)
  })

  it('returns no password even when asked for it', () => {
    assert.deepEqual(userView('password'), { schemas: [SCIM_USER_SCHEMA_URN], id: '2819c223' })
  })

  it('applies attributes first, then excludedAttributes', () => {
    assert.deepEqual(userView('name,userName', 'name.familyName'), {
      schemas: [SCIM_USER_SCHEMA_URN],
      id: '2819c223',
      userName: 'bjensen@example.com',
      name: { givenName: 'Barbara' },
    })
  })

  it('leaves members out of a group for excludedAttributes=members', () => {
    const view = projectResource(GROUP, GROUP_RESOURCE_TYPE, {
      excludedAttributes: parseAttributeList('members', GROUP_RESOURCE_TYPE),
    })
    assert.deepEqual(view, {
      schemas: [SCIM_GROUP_SCHEMA_URN],
      id: 'e9e30dba',
      displayName: 'Tour Guides',
      meta: { resourceType: 'Group' },
    })
  })

  it('keeps an empty members array when members are wanted', () => {
    const view = projectResource({ ...GROUP, members: [] }, GROUP_RESOURCE_TYPE)
    assert.deepEqual(view['members'], [])
  })

  it('does not modify the resource', () => {
    const copy = structuredClone(USER)
    userView('name.givenName', 'emails.type')
    assert.deepEqual(USER, copy)
  })
})

describe('wantsAttribute', () => {
  const options = (attributes?: string, excludedAttributes?: string): ProjectionOptions => ({
    attributes: parseAttributeList(attributes, GROUP_RESOURCE_TYPE),
    excludedAttributes: parseAttributeList(excludedAttributes, GROUP_RESOURCE_TYPE),
  })

  it('wants members by default', () => {
    assert.equal(wantsAttribute('members', {}), true)
    assert.equal(wantsAttribute('members', options()), true)
  })

  it('does not want members for excludedAttributes=members', () => {
    assert.equal(wantsAttribute('members', options(undefined, 'members')), false)
    assert.equal(wantsAttribute('MEMBERS', options(undefined, 'Members')), false)
  })

  it('still wants members when only one of their sub-attributes is excluded', () => {
    assert.equal(wantsAttribute('members', options(undefined, 'members.display')), true)
  })

  it('wants members only when an attributes list names them or one of their sub-attributes', () => {
    assert.equal(wantsAttribute('members', options('displayName')), false)
    assert.equal(wantsAttribute('members', options('displayName,members.value')), true)
  })

  it('always wants id and schemas', () => {
    assert.equal(wantsAttribute('id', options('displayName', 'id')), true)
    assert.equal(wantsAttribute('schemas', options('displayName')), true)
  })

  it('answers for extension URNs', () => {
    const user = (attributes: string): ProjectionOptions => ({
      attributes: parseAttributeList(attributes, USER_RESOURCE_TYPE),
    })
    assert.equal(
      wantsAttribute(ENTERPRISE_USER_SCHEMA_URN, user(`${ENTERPRISE_USER_SCHEMA_URN}:manager`)),
      true,
    )
    assert.equal(wantsAttribute(ENTERPRISE_USER_SCHEMA_URN, user('userName')), false)
  })
})

describe('parseAttributeList: bounds (issue #7)', () => {
  const rejects = (raw: string, parameter: 'attributes' | 'excludedAttributes', pattern: RegExp) =>
    assert.throws(
      () => parseAttributeList(raw, USER_RESOURCE_TYPE, parameter),
      (error: unknown) =>
        error instanceof ScimError &&
        error.status === 400 &&
        error.scimType === 'invalidValue' &&
        pattern.test(error.detail),
    )

  it(`accepts ${MAX_ATTRIBUTE_PATHS} paths, every attribute of a User fully qualified among them`, () => {
    const qualified = USER_RESOURCE_TYPE.schema.attributes.map(
      (a) => `${SCIM_USER_SCHEMA_URN}:${a.name}`,
    )
    const list = [...qualified, ...Array(MAX_ATTRIBUTE_PATHS - qualified.length).fill('userName')]
    assert.equal(parseAttributeList(list.join(','), USER_RESOURCE_TYPE).length, MAX_ATTRIBUTE_PATHS)
  })

  it(`refuses more than ${MAX_ATTRIBUTE_PATHS} paths with invalidValue, before resolving any`, () => {
    const list = Array(MAX_ATTRIBUTE_PATHS + 1)
      .fill('noSuchAttribute')
      .join(',')
    rejects(list, 'excludedAttributes', /excludedAttributes names 101 attribute paths; at most 100/)
  })

  it(`refuses a list longer than ${MAX_ATTRIBUTE_LIST_LENGTH} characters with invalidValue`, () => {
    const list = `userName,${'x'.repeat(MAX_ATTRIBUTE_LIST_LENGTH)}`
    rejects(list, 'attributes', /attributes is 8201 characters long; at most 8192/)
    // Empty items count towards the characters, not the paths.
    assert.deepEqual(parseAttributeList(`${','.repeat(500)}userName`, USER_RESOURCE_TYPE), [
      { attr: 'userName' },
    ])
  })
})
