// Verified domains (SPEC §1 D10–D12): the shape of a domain name, the DNS TXT record a tenant
// publishes to prove it owns one, and who owns the domain of an email. Pure: the DNS lookup and
// the storage live elsewhere.

// RFC 1035 labels (letters, digits, inner hyphens, at most 63 each), at least two labels.
const DOMAIN =
  /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/

/** Domains compare case-insensitively, without surrounding dots, spaces or a leading "@". */
export function normaliseDomain(domain: string): string {
  return domain
    .trim()
    .replace(/^@/, '')
    .replace(/^\.+|\.+$/g, '')
    .toLowerCase()
}

/** The normalised domain, or undefined when `value` is not a domain name (e.g. `contoso.com`). */
export function parseDomain(value: string): string | undefined {
  const domain = normaliseDomain(value)
  return DOMAIN.test(domain) ? domain : undefined
}

/** The domain part of a normalised email identity. */
export function domainOfEmail(email: string): string {
  return normaliseDomain(email.slice(email.lastIndexOf('@') + 1))
}

/** The DNS name the TXT record is published under. */
export function challengeRecordName(domain: string): string {
  return `_rollcall-challenge.${domain}`
}

const CHALLENGE_PREFIX = 'rollcall-domain-verification='

/** The TXT record value that proves the tenant with this challenge owns the domain. */
export function challengeRecordValue(challenge: string): string {
  return `${CHALLENGE_PREFIX}${challenge}`
}

/**
 * Whether the TXT records found at the challenge name carry this challenge. A TXT record may be
 * split in character strings of 255 bytes (RFC 1035 §3.3.14), which are joined first; DNS
 * providers' consoles sometimes keep the quotes, which are ignored.
 */
export function challengeFound(
  records: readonly (readonly string[])[],
  challenge: string,
): boolean {
  const expected = challengeRecordValue(challenge)
  return records.some((chunks) => chunks.join('').trim().replace(/^"|"$/g, '') === expected)
}

/**
 * Who owns the domain of an email: the tenant that asks ('this'), another tenant ('other'), or
 * nobody ('none') — the three cases D11 and D12 tell apart.
 */
export type DomainOwnership = 'this' | 'other' | 'none'

export function ownershipOf(ownerTenantId: string | undefined, tenantId: string): DomainOwnership {
  if (ownerTenantId === undefined) return 'none'
  return ownerTenantId === tenantId ? 'this' : 'other'
}
