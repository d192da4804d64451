import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  decideSignIn,
  describeDecision,
  emailFromClaims,
  type SignInPerson,
} from './sign-in-rules.ts'
import { asUserId } from './ids.ts'

const connection = { jitEnabled: true, emailClaims: ['email', 'preferred_username', 'upn'] }
const OID = '6e5f1b2c-3d4e-4f50-8a9b-0c1d2e3f4a5b'

function member(overrides: Partial<NonNullable<SignInPerson['here']>> = {}): SignInPerson {
  return {
    userId: asUserId('u1'),
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
    assert.deepEqual(
      decideSignIn({ domain: 'this', claims: { sub: 's' }, connection, person: undefined }),
      {
        kind: 'refuse',
        reason: 'noEmail',
        email: null,
      },
    )
  })

  it('signs an active member in with their role', () => {
    const decision = decideSignIn({
      domain: 'this',
      claims: { email: 'a@x.com' },
      connection,
      person: member(),
    })
    assert.deepEqual(decision, { kind: 'signIn', email: 'a@x.com', userId: 'u1', role: 'Editor' })
  })

  it('refuses a deactivated member (D9)', () => {
    const decision = decideSignIn({
      domain: 'this',
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
      decideSignIn({ domain: 'this', claims: { email: 'a@x.com', oid: other }, connection, person })
        .kind,
      'refuse',
    )
    assert.equal(
      decideSignIn({
        domain: 'this',
        claims: { email: 'a@x.com', oid: OID.toUpperCase() },
        connection,
        person,
      }).kind,
      'signIn',
    )
    assert.equal(
      decideSignIn({ domain: 'this', claims: { email: 'a@x.com' }, connection, person }).kind,
      'signIn',
    )
  })

  it('compares the oid with a GUID externalId, but not with a mailNickname externalId', () => {
    const other = '00000000-0000-4000-8000-000000000000'
    const guid = decideSignIn({
      domain: 'this',
      claims: { email: 'a@x.com', oid: other },
      connection,
      person: member({ externalId: OID }),
    })
    assert.equal(guid.kind === 'refuse' && guid.reason, 'differentPerson')
    const nickname = decideSignIn({
      domain: 'this',
      claims: { email: 'a@x.com', oid: other },
      connection,
      person: member({ externalId: 'ann' }),
    })
    assert.equal(nickname.kind, 'signIn')
  })

  it('brings in a person who is INTERNAL in other tenants (D7), even with JIT off', () => {
    const person: SignInPerson = {
      userId: asUserId('u1'),
      here: undefined,
      elsewhere: [{ origin: 'INTERNAL' }, { origin: 'INTERNAL' }],
    }
    const decision = decideSignIn({
      domain: 'this',
      claims: { email: 'a@x.com' },
      connection: { ...connection, jitEnabled: false },
      person,
    })
    assert.deepEqual(decision, {
      kind: 'transfer',
      email: 'a@x.com',
      userId: 'u1',
      role: 'Viewer',
      memberElsewhere: 2,
    })
  })

  it('refuses a person SCIM-controlled by another tenant (D2, D7)', () => {
    const person: SignInPerson = {
      userId: asUserId('u1'),
      here: undefined,
      elsewhere: [{ origin: 'SCIM' }],
    }
    const decision = decideSignIn({
      domain: 'this',
      claims: { email: 'a@x.com' },
      connection,
      person,
    })
    assert.deepEqual(decision, {
      kind: 'refuse',
      reason: 'scimControlledElsewhere',
      email: 'a@x.com',
    })
  })

  it('creates a new person just in time, or refuses when JIT is off', () => {
    assert.deepEqual(
      decideSignIn({
        domain: 'this',
        claims: { email: 'new@x.com' },
        connection,
        person: undefined,
      }),
      {
        kind: 'create',
        email: 'new@x.com',
        role: 'Viewer',
      },
    )
    const off = decideSignIn({
      domain: 'this',
      claims: { email: 'new@x.com' },
      connection: { ...connection, jitEnabled: false },
      person: undefined,
    })
    assert.equal(off.kind === 'refuse' && off.reason, 'jitDisabled')
  })

  it('lets a known person with no membership join just in time', () => {
    const person: SignInPerson = { userId: asUserId('u9'), here: undefined, elsewhere: [] }
    assert.equal(
      decideSignIn({ domain: 'this', claims: { email: 'a@x.com' }, connection, person }).kind,
      'join',
    )
  })

  it('describes every decision in one sentence for the admin', () => {
    const text = describeDecision({ kind: 'refuse', reason: 'noEmail', email: null })
    assert.match(text, /Email field/)
    assert.match(describeDecision({ kind: 'create', email: 'n@x.com', role: 'Viewer' }), /created/)
  })

  describe('verified domains (D11, D12)', () => {
    const internalElsewhere: SignInPerson = {
      userId: asUserId('u1'),
      here: undefined,
      elsewhere: [{ origin: 'INTERNAL' }],
    }
    const scimElsewhere: SignInPerson = {
      userId: asUserId('u1'),
      here: undefined,
      elsewhere: [{ origin: 'SCIM' }],
    }

    for (const domain of ['other', 'none'] as const) {
      it(`refuses JIT and transfer when the email domain is verified by ${domain === 'other' ? 'another tenant' : 'nobody'}`, () => {
        for (const person of [
          undefined,
          internalElsewhere,
          scimElsewhere,
          { ...internalElsewhere, elsewhere: [] },
        ]) {
          assert.deepEqual(
            decideSignIn({ domain, claims: { email: 'boss@victim.com' }, connection, person }),
            {
              kind: 'refuse',
              reason: 'domainNotVerified',
              email: 'boss@victim.com',
            },
          )
        }
      })
    }

    it('gives the same refusal whether the person exists elsewhere or not (no probing)', () => {
      const texts = [undefined, internalElsewhere, scimElsewhere].map((person) =>
        describeDecision(
          decideSignIn({
            domain: 'other',
            claims: { email: 'boss@victim.com' },
            connection,
            person,
          }),
        ),
      )
      assert.equal(new Set(texts).size, 1)
    })

    it('still signs in members of the tenant whatever their domain (login URL)', () => {
      for (const domain of ['other', 'none'] as const) {
        assert.equal(
          decideSignIn({ domain, claims: { email: 'a@x.com' }, connection, person: member() }).kind,
          'signIn',
        )
      }
    })

    it('never lets an unverified email join or transfer', () => {
      for (const emailVerified of [false, 'false', 'False']) {
        for (const person of [undefined, internalElsewhere]) {
          const decision = decideSignIn({
            domain: 'this',
            claims: { email: 'a@x.com', email_verified: emailVerified },
            connection,
            person,
          })
          assert.equal(decision.kind === 'refuse' && decision.reason, 'emailNotVerified')
        }
      }
      assert.equal(
        decideSignIn({
          domain: 'this',
          claims: { email: 'a@x.com', email_verified: true },
          connection,
          person: undefined,
        }).kind,
        'create',
      )
    })
  })
})
