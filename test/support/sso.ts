// The SSO test bench: a Rollcall app (build(t), on either store) whose relying party talks to a
// real oidc-provider on 127.0.0.1, a cookie-jar browser, and shortcuts to create connections,
// members and Admin sessions.
import type { TestContext } from 'node:test'
import { addDomain, verifyDomain as verifyDomainAs } from '../../src/directory/domains.ts'
import { newUserId } from '../../src/domain/ids.ts'
import type { Origin } from '../../src/domain/types.ts'
import { createSession } from '../../src/sessions/sessions.ts'
import { createConnection, type ConnectionInput } from '../../src/sso/connections.ts'
import type { LoginConnectionRecord, UserRecord } from '../../src/store/store.ts'
import { build, type TestApp, type TestTenant } from '../helper.ts'
import { Browser } from './browser.ts'
import { CLIENT_ID, CLIENT_SECRET, startTestOp, type TestOp } from './oidc-provider.ts'

export interface SsoBench {
  readonly h: TestApp
  readonly op: TestOp
  readonly browser: Browser
  readonly publicUrl: string
  connection(
    tenant: TestTenant,
    overrides?: Partial<ConnectionInput>,
  ): Promise<LoginConnectionRecord>
  /** A connection already verified (as after a successful verification round trip). */
  verifiedConnection(
    tenant: TestTenant,
    overrides?: Partial<ConnectionInput>,
  ): Promise<LoginConnectionRecord>
  /** Verifies a domain for the tenant as the operator would (D10); a no-op when it already is. */
  verifyDomain(tenant: TestTenant, domain: string): Promise<void>
  member(
    tenant: TestTenant,
    email: string,
    options?: { origin?: Origin; role?: string; active?: boolean; employeeNumber?: string },
  ): Promise<UserRecord>
  /** Signs `browser` in as an Admin of the tenant (a session created directly in the store). */
  signInAdmin(tenant: TestTenant, browser?: Browser, email?: string): Promise<UserRecord>
  newBrowser(): Browser
}

export async function ssoBench(
  t: TestContext,
  env: Record<string, string> = {},
): Promise<SsoBench> {
  const publicUrl = env.PUBLIC_URL ?? 'https://rollcall.test'
  const op = await startTestOp(`${publicUrl}/sso/callback`)
  t.after(() => op.close())
  // The test OP is http:// on loopback: the operator's setting allows it, as it would in a lab.
  const h = await build(
    t,
    { PUBLIC_URL: publicUrl, SSO_ALLOW_PRIVATE_ISSUERS: 'true', ...env },
    { sso: { fetch: op.fetch } },
  )
  const browser = new Browser(h.app, publicUrl)
  let domains = 0

  const connection: SsoBench['connection'] = (tenant, overrides = {}) =>
    createConnection(
      h.store,
      h.secretBox,
      tenant.tenant,
      {
        name: 'Entra ID',
        issuer: op.issuer,
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        domain: domains++ === 0 ? 'contoso.com' : `contoso-${domains}.com`,
        ...overrides,
      },
      h.config.sso,
    )

  const member: SsoBench['member'] = async (tenant, email, options = {}) => {
    const ts = h.store.forTenant(tenant.tenant.id)
    const at = new Date().toISOString()
    const existing = await ts.users.identityByEmail(email.toLowerCase())
    const id = existing?.userId ?? newUserId()
    if (!existing) await ts.users.insertIdentity(id, email.toLowerCase(), at)
    const enterprise = options.employeeNumber
      ? {
          'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': {
            employeeNumber: options.employeeNumber,
          },
        }
      : {}
    return ts.users.insert(
      id,
      {
        userName: email,
        externalId: null,
        displayName: null,
        active: options.active ?? true,
        doc: { userName: email, active: options.active ?? true, ...enterprise },
        emails: [{ value: email, type: 'work', primary: true }],
      },
      { origin: options.origin ?? 'INTERNAL', role: options.role ?? 'Viewer' },
      at,
    )
  }

  const verifyDomain: SsoBench['verifyDomain'] = async (tenant, domain) => {
    const existing = await h.store.forTenant(tenant.tenant.id).domains.get(domain)
    if (existing?.status === 'verified') return
    if (!existing) await addDomain(h.store, tenant.tenant, domain)
    await verifyDomainAs(h.store, tenant.tenant, domain, { method: 'operator', by: 'test' })
  }

  return {
    h,
    op,
    browser,
    publicUrl,
    connection,
    verifyDomain,
    /** Verified, and its domain verified for the tenant: it routes and admits new members. */
    async verifiedConnection(tenant, overrides) {
      const created = await connection(tenant, overrides)
      await verifyDomain(tenant, created.domain)
      const at = new Date().toISOString()
      const updated = await h.store
        .forTenant(tenant.tenant.id)
        .connections.update(created.id, { status: 'verified', verifiedAt: at }, at)
      if (!updated) throw new Error('connection vanished')
      return updated
    },
    member,
    async signInAdmin(tenant, target = browser, email = `admin-${tenant.tenant.slug}@example.com`) {
      const admin = await member(tenant, email, { role: 'Admin' })
      const id = await createSession(h.store, h.config.sessions, {
        tenantId: tenant.tenant.id,
        userId: admin.id,
      })
      target.setCookie('rollcall_session', id)
      return admin
    },
    newBrowser: () => new Browser(h.app, publicUrl),
  }
}

/** Headers of a same-origin JSON request, as the console's fetch() sends them. */
export function sameOrigin(publicUrl: string): Record<string, string> {
  return {
    origin: new URL(publicUrl).origin,
    'sec-fetch-site': 'same-origin',
    'content-type': 'application/json',
  }
}
