import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  decideSignIn,
  describeDecision,
  emailFromClaims,
  type SignInPerson,
} from './sign-in-rules.ts'

const connection = { jitEnabled: true, emailClaims: ['email', 'preferred_username', 'upn'] }
const OID = '6e5f1b2c-3d4e-4f50-8a9b-0c1d2e3f4a5b'

function member(overrides: Partial<NonNullable<SignInPerson['here']>> = {}): SignInPerson {
  return {
    userId: 'u1',
    here: {
      origin: 'SCIM',
      active: true,
      role: 'Editor',
      externalId: null,
      employeeNumber: null,
      ...overrides,
    },
    elsewhere: [],
  }
}

describe('emailFromClaims', () => {
  it('takes the email claim first, lower-cased', () => {
    assert.deepEqual(emailFromClaims({ email: 'Ann@Example.com', upn: 'x@y.com' }), {
      email: 'ann@example.com',
      claim: 'email',
    })
  })

  it('falls back to preferred_username, then upn, when they look like emails', () => {
    assert.equal(
      emailFromClaims({ preferred_username: 'ann@example.com' })?.claim,
      'preferred_username',
    )
    assert.equal(
      emailFromClaims({ preferred_username: 'ann', upn: 'ann@example.com' })?.claim,
      'upn',
    )
  })

  it('finds nothing when no configured claim holds an email', () => {
    assert.equal(emailFromClaims({ preferred_username: 'ann', name: 'Ann' }), undefined)
    assert.equal(emailFromClaims({ email: 'ann@example.com' }, ['upn']), undefined)
  })
})

describe('decideSignIn', () => {
  it('refuses with noEmail when the claims carry no email', () => {
    assert.deepEqual(decideSignIn({ claims: { sub: 's' }, connection, person: undefined }), {
      kind: 'refuse',
      reason: 'noEmail',
      email: null,
    })
  })

  it('signs an active member in with their role', () => {
    const decision = decideSignIn({ claims: { email: 'a@x.com' }, connection, person: member() })
    assert.deepEqual(decision, { kind: 'signIn', email: 'a@x.com', userId: 'u1', role: 'Editor' })
  })

  it('refuses a deactivated member (D9)', () => {
    const decision = decideSignIn({
      claims: { email: 'a@x.com' },
      connection,
      person: member({ active: false }),
    })
    assert.equal(decision.kind === 'refuse' && decision.reason, 'deactivated')
  })

  it('refuses when the oid differs from the employeeNumber SCIM recorded', () => {
    const person = member({ employeeNumber: OID })
    const other = '00000000-0000-4000-8000-000000000000'
    assert.equal(
      decideSignIn({ claims: { email: 'a@x.com', oid: other }, connection, person }).kind,
      'refuse',
    )
    assert.equal(
      decideSignIn({ claims: { email: 'a@x.com', oid: OID.toUpperCase() }, connection, person })
        .kind,
      'signIn',
    )
    assert.equal(decideSignIn({ claims: { email: 'a@x.com' }, connection, person }).kind, 'signIn')
  })

  it('compares the oid with a GUID externalId, but not with a mailNickname externalId', () => {
    const other = '00000000-0000-4000-8000-000000000000'
    const guid = decideSignIn({
      claims: { email: 'a@x.com', oid: other },
      connection,
      person: member({ externalId: OID }),
    })
    assert.equal(guid.kind === 'refuse' && guid.reason, 'differentPerson')
    const nickname = decideSignIn({
      claims: { email: 'a@x.com', oid: other },
      connection,
      person: member({ externalId: 'ann' }),
    })
    assert.equal(nickname.kind, 'signIn')
  })

  it('transfers a person who is INTERNAL in other tenants (D7), even with JIT off', () => {
    const person: SignInPerson = {
      userId: 'u1',
      here: undefined,
      elsewhere: [{ origin: 'INTERNAL' }, { origin: 'INTERNAL' }],
    }
    const decision = decideSignIn({
      claims: { email: 'a@x.com' },
      connection: { ...connection, jitEnabled: false },
      person,
    })
    assert.deepEqual(decision, {
      kind: 'transfer',
      email: 'a@x.com',
      userId: 'u1',
      role: 'Viewer',
      leaves: 2,
    })
  })

  it('refuses a person SCIM-controlled by another tenant (D2, D7)', () => {
    const person: SignInPerson = { userId: 'u1', here: undefined, elsewhere: [{ origin: 'SCIM' }] }
    const decision = decideSignIn({ claims: { email: 'a@x.com' }, connection, person })
    assert.deepEqual(decision, {
      kind: 'refuse',
      reason: 'scimControlledElsewhere',
      email: 'a@x.com',
    })
  })

  it('creates a new person just in time, or refuses when JIT is off', () => {
    assert.deepEqual(
      decideSignIn({ claims: { email: 'new@x.com' }, connection, person: undefined }),
      {
        kind: 'create',
        email: 'new@x.com',
        role: 'Viewer',
      },
    )
    const off = decideSignIn({
      claims: { email: 'new@x.com' },
      connection: { ...connection, jitEnabled: false },
      person: undefined,
    })
    assert.equal(off.kind === 'refuse' && off.reason, 'jitDisabled')
  })

  it('lets a known person with no membership join just in time', () => {
    const person: SignInPerson = { userId: 'u9', here: undefined, elsewhere: [] }
    assert.equal(decideSignIn({ claims: { email: 'a@x.com' }, connection, person }).kind, 'join')
  })

  it('describes every decision in one sentence for the admin', () => {
    const text = describeDecision({ kind: 'refuse', reason: 'noEmail', email: null })
    assert.match(text, /Email field/)
    assert.match(describeDecision({ kind: 'create', email: 'n@x.com', role: 'Viewer' }), /created/)
  })
})
