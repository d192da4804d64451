// `npx rollcall scim-token …`: issue and revoke a tenant's SCIM bearer token.
import { issueScimToken, revokeScimToken } from '../../credentials/scim-tokens.ts'
import { tenantBySlug } from '../../directory/tenants.ts'
import { defineCommand } from '../command.ts'
import { json } from '../output.ts'
import { TENANT } from '../shared-options.ts'

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
    const tenant = await tenantBySlug(runtime.store, slug)
    // SPEC §3: refused without a verified login connection, unless the operator's --force.
    const { token, baseUrl } = await issueScimToken(
      runtime.store,
      runtime.signingKey,
      tenant,
      publicUrl,
      { force },
    )
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
    const tenant = await tenantBySlug(runtime.store, slug)
    await revokeScimToken(runtime.store, tenant)
    io.out(
      asJson
        ? json({ tenant: tenant.slug, scimEnabled: false })
        : `SCIM is disabled for ${tenant.slug}: its token no longer works.`,
    )
  },
})
