// Login connections of a tenant (SPEC §4): validation, the client secret sealed with the
// SecretBox, the login URL and redirect URI, and the rule that changing what identifies the
// client at the IdP (issuer, client id, secret) sends the connection back to draft.
import { isIP } from 'node:net'
import { hashToken, newSecretToken, secondsAfter } from '../credentials/one-time-tokens.ts'
import type { SecretBox } from '../credentials/secret-box.ts'
import { AppError } from '../errors.ts'
import { isLoopbackHost, isPublicAddress } from './issuer-address.ts'
import { asConnectionId, newConnectionId, type TenantId } from '../domain/ids.ts'
import { parseDomain } from '../domain/domains.ts'
import { DEFAULT_EMAIL_CLAIMS } from '../domain/sign-in-rules.ts'
import type { Tenant } from '../domain/types.ts'
import { connectionEvent } from '../events/data.ts'
import { appendEvents } from '../events/record.ts'
import {
  UniqueViolation,
  type ConnectionChanges,
  type ConnectionStatus,
  type LoginConnectionRecord,
  type Store,
} from '../store/store.ts'

/** How long a pending authorization and a CLI verification link stay valid. */
export const FLOW_TTL_SECONDS = 600

export interface ConnectionInput {
  readonly name: string
  readonly issuer: string
  readonly clientId: string
  readonly clientSecret: string
  readonly domain: string
  readonly jitEnabled?: boolean | undefined
  readonly emailClaims?: readonly string[] | undefined
}

/** What the API and the CLI show of a connection: never the client secret. */
export interface ConnectionView {
  readonly id: string
  readonly name: string
  readonly issuer: string
  readonly clientId: string
  readonly domain: string
  readonly status: ConnectionStatus
  readonly verifiedAt: string | null
  readonly jitEnabled: boolean
  readonly emailClaims: readonly string[]
  readonly loginUrl: string
  readonly redirectUri: string
  readonly createdAt: string
  readonly updatedAt: string
}

export function loginUrlOf(publicUrl: string, connectionId: string): string {
  return `${publicUrl}/sso/login/${connectionId}`
}

/** The one redirect URI of every connection: what the admin registers at the IdP. */
export function redirectUriOf(publicUrl: string): string {
  return `${publicUrl}/sso/callback`
}

export function connectionView(
  connection: LoginConnectionRecord,
  publicUrl: string,
): ConnectionView {
  return {
    id: connection.id,
    name: connection.name,
    issuer: connection.issuer,
    clientId: connection.clientId,
    domain: connection.domain,
    status: connection.status,
    verifiedAt: connection.verifiedAt,
    jitEnabled: connection.jitEnabled,
    emailClaims: connection.emailClaims,
    loginUrl: loginUrlOf(publicUrl, connection.id),
    redirectUri: redirectUriOf(publicUrl),
    createdAt: connection.createdAt,
    updatedAt: connection.updatedAt,
  }
}

const CLAIM = /^[A-Za-z0-9_.:-]{1,64}$/

function text(value: string, name: string, max = 500): string {
  const trimmed = value.trim()
  if (trimmed === '') throw AppError.invalidRequest(`${name} is required.`)
  if (trimmed.length > max)
    throw AppError.invalidRequest(`${name} is longer than ${max} characters.`)
  return trimmed
}

/** What the operator allows of issuer URLs (config.sso). */
export interface IssuerPolicy {
  /** SSO_ALLOW_PRIVATE_ISSUERS: private and loopback addresses, and http:// for loopback. */
  readonly allowPrivateIssuers?: boolean
}

const ALLOW_PRIVATE_HINT =
  'The operator of this Rollcall can allow private and loopback providers (a lab, an IdP on the ' +
  'internal network) with SSO_ALLOW_PRIVATE_ISSUERS=true.'

/**
 * The issuer URL as typed, if acceptable: https:// (http:// only to a loopback host and with
 * SSO_ALLOW_PRIVATE_ISSUERS), and no literal private address unless allowed. Host names are
 * checked after DNS resolution when connecting (issuer-address.ts): they may change meanwhile.
 */
function issuerOf(value: string, policy: IssuerPolicy = {}): string {
  const issuer = text(value, 'The issuer URL', 2000)
  let url: URL
  try {
    url = new URL(issuer)
  } catch {
    throw AppError.invalidRequest(
      `The issuer URL "${issuer}" is not a URL. For Entra ID it is https://login.microsoftonline.com/<tenant ID>/v2.0.`,
    )
  }
  const allowPrivate = policy.allowPrivateIssuers === true
  const loopback = isLoopbackHost(url.hostname)
  if (url.protocol === 'http:' && loopback && !allowPrivate) {
    throw AppError.invalidRequest(
      `The issuer URL must start with https://; http:// is accepted for a loopback provider only. ${ALLOW_PRIVATE_HINT}`,
    )
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw AppError.invalidRequest('The issuer URL must start with https://.')
  }
  const host = url.hostname.replace(/^\[|\]$/g, '')
  if (!allowPrivate && (loopback || (isIP(host) !== 0 && !isPublicAddress(host)))) {
    throw AppError.invalidRequest(
      `The issuer URL points to a private, loopback or reserved address (${host}). ${ALLOW_PRIVATE_HINT}`,
    )
  }
  if (url.search || url.hash) {
    throw AppError.invalidRequest('The issuer URL takes no query or fragment.')
  }
  if (url.username || url.password) {
    throw AppError.invalidRequest('The issuer URL takes no user name or password.')
  }
  // Kept as typed: OpenID Connect Discovery compares the issuer exactly, trailing slash included.
  return issuer
}

function domainOf(value: string): string {
  const typed = text(value, 'The identity provider domain', 253).replace(/^@/, '')
  if (parseDomain(typed) === undefined) {
    throw AppError.invalidRequest(
      `"${value.trim().slice(0, 253)}" is not a domain name. Use the email domain of the ` +
        "organisation's users, e.g. contoso.com.",
    )
  }
  // Kept as typed (shown back to the admin); compared case-insensitively.
  return typed
}

/**
 * D11, D12: a connection may name a domain that nobody verified yet (it routes once this tenant
 * verifies it), but not one that another tenant verified.
 */
async function checkDomainClaim(store: Store, tenant: Tenant, domain: string): Promise<void> {
  const owner = await store.domains.owner(domain)
  if (owner !== undefined && owner !== tenant.id) {
    throw AppError.domainTaken(
      `The domain ${domain} is verified by another organisation, so a login connection of this ` +
        'tenant cannot use it. Use a domain of your own, verified for this tenant (domain add).',
    )
  }
}

/** D11: whether "Sign in with SSO" routes the connection's domain to it (its tenant verified it). */
export async function connectionRoutes(
  store: Store,
  connection: LoginConnectionRecord,
): Promise<boolean> {
  return (await store.domains.owner(connection.domain)) === connection.tenantId
}

function emailClaimsOf(value: readonly string[] | undefined): readonly string[] | undefined {
  if (value === undefined) return undefined
  if (value.length === 0 || value.length > 10 || !value.every((c) => CLAIM.test(c))) {
    throw AppError.invalidRequest(
      'emailClaims must list 1 to 10 claim names, e.g. ["email","preferred_username","upn"].',
    )
  }
  return [...value]
}

function domainTaken(domain: string): AppError {
  return AppError.conflict(
    `Another login connection of this tenant already uses the domain "${domain}"; ` +
      'each domain leads to one connection only. Edit that connection instead.',
  )
}

export async function createConnection(
  store: Store,
  box: SecretBox,
  tenant: Tenant,
  input: ConnectionInput,
  policy: IssuerPolicy = {},
): Promise<LoginConnectionRecord> {
  const at = new Date().toISOString()
  const domain = domainOf(input.domain)
  await checkDomainClaim(store, tenant, domain)
  try {
    return await store.transaction(async (tx) => {
      const created = await tx.forTenant(tenant.id).connections.create({
        id: newConnectionId(),
        name: text(input.name, 'The name', 200),
        issuer: issuerOf(input.issuer, policy),
        clientId: text(input.clientId, 'The client ID'),
        clientSecretEncrypted: box.seal(text(input.clientSecret, 'The client secret', 2000)),
        domain,
        status: 'draft',
        verifiedAt: null,
        jitEnabled: input.jitEnabled ?? true,
        emailClaims: emailClaimsOf(input.emailClaims) ?? DEFAULT_EMAIL_CLAIMS,
        createdAt: at,
        updatedAt: at,
      })
      await appendEvents(tx, tenant.id, [connectionEvent('connection.created', created)])
      return created
    })
  } catch (error) {
    if (error instanceof UniqueViolation) throw domainTaken(domain)
    throw error
  }
}

function notFound(id: string): AppError {
  return AppError.notFound(`This tenant has no login connection ${id}.`)
}

export async function getConnection(
  store: Store,
  tenant: Tenant,
  id: string,
): Promise<LoginConnectionRecord> {
  const connection = await store.connections.get(asConnectionId(id))
  if (!connection || connection.tenantId !== tenant.id) throw notFound(id)
  return connection
}

/**
 * Edits a connection. Changing the issuer, the client id or the client secret resets it to
 * draft: it must be verified again before anybody signs in through it.
 */
export async function editConnection(
  store: Store,
  box: SecretBox,
  tenant: Tenant,
  id: string,
  input: Partial<ConnectionInput>,
  policy: IssuerPolicy = {},
): Promise<LoginConnectionRecord> {
  const existing = await getConnection(store, tenant, id)
  const changes: { -readonly [K in keyof ConnectionChanges]: ConnectionChanges[K] } = {}
  if (input.name !== undefined) changes.name = text(input.name, 'The name', 200)
  if (input.domain !== undefined) {
    changes.domain = domainOf(input.domain)
    await checkDomainClaim(store, tenant, changes.domain)
  }
  if (input.jitEnabled !== undefined) changes.jitEnabled = input.jitEnabled
  const claims = emailClaimsOf(input.emailClaims)
  if (claims !== undefined) changes.emailClaims = claims
  let resetsVerification = false
  if (input.issuer !== undefined && issuerOf(input.issuer, policy) !== existing.issuer) {
    changes.issuer = issuerOf(input.issuer, policy)
    resetsVerification = true
  }
  if (input.clientId !== undefined && text(input.clientId, 'The client ID') !== existing.clientId) {
    changes.clientId = text(input.clientId, 'The client ID')
    resetsVerification = true
  }
  if (input.clientSecret !== undefined) {
    changes.clientSecretEncrypted = box.seal(text(input.clientSecret, 'The client secret', 2000))
    resetsVerification = true
  }
  if (resetsVerification) {
    changes.status = 'draft'
    changes.verifiedAt = null
  }
  try {
    return await store.transaction(async (tx) => {
      const updated = await tx
        .forTenant(tenant.id)
        .connections.update(existing.id, changes, new Date().toISOString())
      if (!updated) throw notFound(id)
      await appendEvents(tx, tenant.id, [connectionEvent('connection.updated', updated)])
      return updated
    })
  } catch (error) {
    if (error instanceof UniqueViolation) throw domainTaken(changes.domain ?? '')
    throw error
  }
}

export async function deleteConnection(store: Store, tenant: Tenant, id: string): Promise<void> {
  await store.transaction(async (tx) => {
    const existing = await tx.connections.get(asConnectionId(id))
    if (!existing || existing.tenantId !== tenant.id) throw notFound(id)
    if (!(await tx.forTenant(tenant.id).connections.delete(existing.id))) throw notFound(id)
    await appendEvents(tx, tenant.id, [connectionEvent('connection.deleted', existing)])
  })
}

/** `connection verify`: a one-time link, valid 10 minutes, that starts the verification round trip. */
export async function issueVerificationLink(
  store: Store,
  publicUrl: string,
  tenant: Tenant,
  id: string,
  now: Date = new Date(),
): Promise<string> {
  const connection = await getConnection(store, tenant, id)
  const token = newSecretToken()
  await store.forTenant(tenant.id).oneTimeTokens.insert({
    tokenHash: hashToken(token),
    purpose: 'verify-connection',
    subjectId: connection.id,
    createdAt: now.toISOString(),
    expiresAt: secondsAfter(now, FLOW_TTL_SECONDS),
  })
  return `${publicUrl}/sso/verify/${token}`
}

/** SPEC §3: SCIM can be enabled only once the tenant has a verified login connection. */
export async function hasVerifiedConnection(store: Store, tenantId: TenantId): Promise<boolean> {
  return (await store.forTenant(tenantId).connections.list()).some((c) => c.status === 'verified')
}
