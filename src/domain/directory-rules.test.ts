import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  decideScimClaim,
  domainOwnedElsewhereDetail,
  memberElsewhereDetail,
  type IdentityMemberships,
} from './directory-rules.ts'
import { asUserId } from './ids.ts'

function identity(overrides: Partial<IdentityMemberships> = {}): IdentityMemberships {
  return {
    userId: asUserId('u1'),
    inThisTenant: undefined,
    otherTenantCount: 0,
    scimControlledElsewhere: false,
    ...overrides,
  }
}

const internalHere = { inThisTenant: { origin: 'INTERNAL' as const } }
const internalElsewhere = { otherTenantCount: 2 }
const scimElsewhere = { otherTenantCount: 1, scimControlledElsewhere: true }

describe('decideScimClaim', () => {
  it('creates, attaches and converts when nobody else has the person (D5)', () => {
    for (const domain of ['this', 'none'] as const) {
      assert.deepEqual(decideScimClaim(undefined, domain), { kind: 'create' })
      assert.deepEqual(decideScimClaim(identity(), domain), {
        kind: 'attach',
        userId: 'u1',
        endElsewhere: false,
      })
      assert.deepEqual(decideScimClaim(identity(internalHere), domain), {
        kind: 'convert',
        userId: 'u1',
        endElsewhere: false,
      })
    }
  })

  it('answers duplicate for a person SCIM already controls here', () => {
    for (const domain of ['this', 'none', 'other'] as const) {
      assert.equal(
        decideScimClaim(identity({ inThisTenant: { origin: 'SCIM' } }), domain).kind,
        'duplicate',
      )
    }
  })

  it('refuses every person of a domain another tenant verified, existing or not (D12)', () => {
    for (const person of [
      undefined,
      identity(),
      identity(internalHere),
      identity(internalElsewhere),
      identity({ ...internalHere, ...internalElsewhere }),
      identity(scimElsewhere),
    ]) {
      assert.deepEqual(decideScimClaim(person, 'other'), { kind: 'domainOwnedElsewhere' })
    }
  })

  it('keeps first-come rules for a domain nobody verified (D2, D6)', () => {
    for (const person of [
      identity(internalElsewhere),
      identity(scimElsewhere),
      identity({ ...internalHere, ...internalElsewhere }),
    ]) {
      assert.deepEqual(decideScimClaim(person, 'none'), {
        kind: 'memberElsewhere',
        domainVerifiedHere: false,
      })
    }
  })

  it("lets the domain's owner take control, ending the memberships elsewhere (D2, D7)", () => {
    assert.deepEqual(decideScimClaim(identity({ ...internalHere, ...internalElsewhere }), 'this'), {
      kind: 'convert',
      userId: 'u1',
      endElsewhere: true,
    })
    assert.deepEqual(decideScimClaim(identity(scimElsewhere), 'this'), {
      kind: 'attach',
      userId: 'u1',
      endElsewhere: true,
    })
    // An INTERNAL member elsewhere first signs in through the login URL (D6, D7).
    assert.deepEqual(decideScimClaim(identity(internalElsewhere), 'this'), {
      kind: 'memberElsewhere',
      domainVerifiedHere: true,
    })
  })

  it('words the refusals without naming a tenant, and says what to do', () => {
    assert.match(
      domainOwnedElsewhereDetail('a@x.com', 'x.com'),
      /x\.com, which another organisation has verified/,
    )
    assert.match(memberElsewhereDetail('a@x.com', true), /login URL/)
    assert.match(memberElsewhereDetail('a@x.com', false), /verify the user's email domain/)
  })
})
