// `npx rollcall connection …`: a tenant's OpenID Connect login connections (create, list,
// delete, and the one-time verification link).
import { tenantBySlug } from '../../directory/tenants.ts'
import {
  connectionRoutes,
  connectionView,
  createConnection,
  deleteConnection,
  issueVerificationLink,
} from '../../sso/connections.ts'
import { defineCommand } from '../command.ts'
import { json } from '../output.ts'
import { readSecret, secretOptions, secretSynopsis } from '../secrets.ts'
import { TENANT } from '../shared-options.ts'

export const connectionCreate = defineCommand({
  name: 'connection create',
  summary: 'create an OpenID Connect login connection (draft until verified)',
  description:
    'Creates an OpenID Connect login connection for the tenant and prints its redirect URI (to ' +
    'register at the identity provider) and its login URL. It stays a draft until `connection ' +
    'verify`. The client secret is stored encrypted and never shown again.',
  synopsis:
    '--tenant S --name N --issuer URL --client-id ID ' +
    `${secretSynopsis('client-secret')} --domain D [--no-jit] [--email-claims a,b,c]`,
  options: {
    tenant: TENANT,
    name: { type: 'string', value: 'N', required: true, help: 'its name, shown to admins' },
    issuer: {
      type: 'string',
      value: 'URL',
      required: true,
      help: 'the OpenID Provider (Entra: https://login.microsoftonline.com/<Directory (tenant) ID>/v2.0)',
    },
    'client-id': {
      type: 'string',
      value: 'ID',
      required: true,
      help: 'the client (Entra: Application (client) ID)',
    },
    ...secretOptions('client-secret', 'the client secret'),
    domain: {
      type: 'string',
      value: 'D',
      required: true,
      help: 'the email domain people type on "Sign in with SSO"',
    },
    'no-jit': {
      type: 'boolean',
      help: 'refuse people who are not members yet, instead of adding them as Viewer',
    },
    'email-claims': {
      type: 'string',
      value: 'a,b,c',
      help: 'the ID-token claims tried for the email, in order (default email,preferred_username,upn)',
    },
  },
  json: 'exactly {"id": "…", "loginUrl": "…", "redirectUri": "…"}',
  printsUrls: true,
  async check(o, io) {
    const claims = o.string('email-claims')
    return {
      slug: o.required('tenant'),
      name: o.required('name'),
      issuer: o.required('issuer'),
      clientId: o.required('client-id'),
      clientSecret: await readSecret(o, 'client-secret', io),
      domain: o.required('domain'),
      jitEnabled: o.flag('no-jit') ? false : undefined,
      emailClaims: claims === undefined ? undefined : claims.split(',').map((c) => c.trim()),
    }
  },
  async run({ runtime, publicUrl, io, json: asJson }, { slug, ...input }) {
    const tenant = await tenantBySlug(runtime.store, slug)
    const connection = await createConnection(
      runtime.store,
      runtime.secretBox,
      tenant,
      input,
      runtime.config.sso,
    )
    const view = connectionView(connection, publicUrl)
    if (asJson) {
      // Exactly {"id": "...", "loginUrl": "...", "redirectUri": "..."}, for scripts.
      io.out(
        `{"id": ${JSON.stringify(view.id)}, "loginUrl": ${JSON.stringify(view.loginUrl)}, ` +
          `"redirectUri": ${JSON.stringify(view.redirectUri)}}`,
      )
    } else {
      io.out(
        `Created login connection "${view.name}" for ${tenant.slug} (id ${view.id}), status draft.`,
      )
      io.out(
        `Redirect URI (register it at the IdP; Entra: Authentication → Web):  ${view.redirectUri}`,
      )
      io.out(`Login URL (send it to users once verified):                      ${view.loginUrl}`)
      io.out(`Next: npx rollcall connection verify --tenant ${tenant.slug} --id ${view.id}`)
      if (!(await connectionRoutes(runtime.store, connection))) {
        io.out(
          `Note: ${view.domain} is not a verified domain of ${tenant.slug} yet, so "Sign in with SSO" ` +
            'does not lead to this connection and nobody joins through it until it is: ' +
            `npx rollcall domain add --tenant ${tenant.slug} --domain ${view.domain}`,
        )
      }
    }
  },
})

export const connectionList = defineCommand({
  name: 'connection list',
  summary: "list a tenant's login connections",
  options: { tenant: TENANT },
  json: 'an array of connections (id, name, issuer, clientId, domain, status, loginUrl, …; never the secret)',
  printsUrls: true,
  check: (o) => ({ slug: o.required('tenant') }),
  async run({ runtime, publicUrl, io, json: asJson }, { slug }) {
    const tenant = await tenantBySlug(runtime.store, slug)
    const views = (await runtime.store.forTenant(tenant.id).connections.list()).map((c) =>
      connectionView(c, publicUrl),
    )
    if (asJson) io.out(json(views))
    else if (views.length === 0) {
      io.out(
        `No login connections in ${tenant.slug}. Create one with \`npx rollcall connection create\`.`,
      )
    } else {
      for (const v of views) {
        io.out(
          `${v.id}\t${v.status}\t${v.domain}\t${v.name}\t${v.issuer}\t` +
            `JIT ${v.jitEnabled ? 'on' : 'off'}\t${v.loginUrl}`,
        )
      }
    }
  },
})

export const connectionDelete = defineCommand({
  name: 'connection delete',
  summary: 'delete a login connection (its login URL stops working)',
  options: {
    tenant: TENANT,
    id: { type: 'string', value: 'ID', required: true, help: 'the connection' },
  },
  json: '{"id", "deleted": true}',
  check: (o) => ({ slug: o.required('tenant'), id: o.required('id') }),
  async run({ runtime, io, json: asJson }, { slug, id }) {
    const tenant = await tenantBySlug(runtime.store, slug)
    await deleteConnection(runtime.store, tenant, id)
    io.out(
      asJson
        ? json({ id, deleted: true })
        : `Deleted login connection ${id} of ${tenant.slug}; its login URL no longer works.`,
    )
  },
})

export const connectionVerify = defineCommand({
  name: 'connection verify',
  summary: 'print a one-time verification link (10 minutes)',
  description:
    'Prints a one-time link, valid 10 minutes. Open it in a browser: it sends you through the ' +
    'identity provider and back, shows the claims received and what a sign-in with them would ' +
    'do, and marks the connection verified.',
  options: {
    tenant: TENANT,
    id: { type: 'string', value: 'ID', required: true, help: 'the connection' },
  },
  json: '{"url"}',
  printsUrls: true,
  check: (o) => ({ slug: o.required('tenant'), id: o.required('id') }),
  async run({ runtime, publicUrl, io, json: asJson }, { slug, id }) {
    const tenant = await tenantBySlug(runtime.store, slug)
    const url = await issueVerificationLink(runtime.store, publicUrl, tenant, id)
    if (asJson) {
      io.out(json({ url }))
      return
    }
    io.out(url)
    io.err(
      'Open this link in a browser within 10 minutes (it works once): it sends you through the ' +
        'IdP and back, and shows the result.',
    )
  },
})
