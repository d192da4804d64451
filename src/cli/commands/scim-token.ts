// `npx rollcall scim-token …`: issue and revoke a tenant's SCIM bearer token.
import { issueScimToken } from '../../credentials/scim-tokens.ts'
import { AppError } from '../../errors.ts'
import { hasVerifiedConnection } from '../../sso/connections.ts'
import { defineCommand } from '../command.ts'
import { json } from '../output.ts'
import { TENANT } from '../shared-options.ts'
import { tenantOf } from '../tenant-of.ts'

export const scimTokenIssue = defineCommand({
  name: 'scim-token issue',
  summary: "issue the tenant's SCIM token (revokes the previous one)",
  description:
    "Issues the tenant's SCIM token and prints it with the Base URL (Entra: Tenant URL and Secret " +
    'Token). The token is shown once; any previous token stops working at once. Needs a verified ' +
    'login connection, unless --force.',
  options: {
    tenant: TENANT,
    force: {
      type: 'boolean',
      help: "the operator's bypass: issue even without a verified login connection",
    },
  },
  json: 'exactly {"baseUrl": "…", "token": "…"}',
  printsUrls: true,
  check: (o) => ({ slug: o.required('tenant'), force: o.flag('force') }),
  async run({ runtime, publicUrl, io, json: asJson }, { slug, force }) {
    const tenant = await tenantOf(runtime, slug)
    // SPEC §3: SCIM needs a verified login connection (users moved by D6/D7 sign in through it).
    if (!force && !(await hasVerifiedConnection(runtime.store, tenant.id))) {
      throw AppError.conflict(
        `SCIM provisioning for ${tenant.slug} needs a verified login connection first: people ` +
          'that another tenant already has can only be moved here by signing in through this ' +
          "tenant's login URL.\n" +
          `Fix: npx rollcall connection create --tenant ${tenant.slug} --name N --issuer URL ` +
          '--client-id ID --client-secret-stdin --domain D, then npx rollcall connection verify ' +
          `--tenant ${tenant.slug} --id ID and open the link.\n` +
          'Or, as the operator, add --force to issue the token anyway.',
      )
    }
    const { token } = await issueScimToken(runtime.store, runtime.signingKey, tenant, publicUrl)
    const baseUrl = `${publicUrl}/scim/v2/${tenant.slug}`
    if (asJson) {
      // Exactly {"baseUrl": "...", "token": "..."}, for scripts.
      io.out(`{"baseUrl": ${JSON.stringify(baseUrl)}, "token": ${JSON.stringify(token)}}`)
    } else {
      io.out(`Base URL (Entra: Tenant URL):   ${baseUrl}`)
      io.out(`Token (Entra: Secret Token):    ${token}`)
      io.out('')
      io.out('The token is shown once; only its id is kept. Any previous token no longer works:')
      io.out(
        'paste this one into the IdP (Entra: Provisioning → Admin Credentials → Secret Token).',
      )
    }
  },
})

export const scimTokenRevoke = defineCommand({
  name: 'scim-token revoke',
  summary: 'disable SCIM for the tenant (its token stops working)',
  options: { tenant: TENANT },
  json: '{"tenant", "scimEnabled": false}',
  check: (o) => ({ slug: o.required('tenant') }),
  async run({ runtime, io, json: asJson }, { slug }) {
    const tenant = await tenantOf(runtime, slug)
    await runtime.store.forTenant(tenant.id).scim.setToken(null, new Date().toISOString())
    io.out(
      asJson
        ? json({ tenant: tenant.slug, scimEnabled: false })
        : `SCIM is disabled for ${tenant.slug}: its token no longer works.`,
    )
  },
})
