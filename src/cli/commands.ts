// The CLI commands, in the order `npx rollcall --help` lists them. Each declares its options (with
// their help), checks its input before the database is opened, and prints plain text, or exactly
// the documented JSON with --json. To add one: defineCommand({...}) and list it in COMMANDS.
import { userInfo } from 'node:os'
import { issueScimToken } from '../credentials/scim-tokens.ts'
import { dnsTxtResolver } from '../directory/dns-resolver.ts'
import {
  addDomain,
  domainView,
  listDomains,
  removeDomain,
  verifyDomain,
  type DomainView,
} from '../directory/domains.ts'
import {
  addInternalUser,
  createInternalGroup,
  DirectoryError,
  ensureAdmin,
  showGroup,
} from '../directory/internal.ts'
import { issueSetPasswordLink } from '../sessions/local-login.ts'
import {
  connectionRoutes,
  connectionView,
  createConnection,
  deleteConnection,
  hasVerifiedConnection,
  issueVerificationLink,
} from '../sso/connections.ts'
import { newTenantId } from '../domain/ids.ts'
import type { Tenant } from '../domain/types.ts'
import type { Runtime } from '../runtime.ts'
import { UniqueViolation } from '../store/store.ts'
import {
  defineCommand,
  readSecret,
  secretOptions,
  secretSynopsis,
  UsageError,
  type Command,
  type CommandIo,
  type OptionSpec,
} from './command.ts'

async function tenantOf(runtime: Runtime, slug: string): Promise<Tenant> {
  const tenant = await runtime.store.tenants.getBySlug(slug)
  if (!tenant)
    throw new DirectoryError(`No tenant "${slug}". See \`npx rollcall tenant list\`.`, 404)
  return tenant
}

const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/

function json(value: unknown): string {
  return JSON.stringify(value, null, 2)
}

const TENANT: OptionSpec = {
  type: 'string',
  value: 'S',
  required: true,
  help: 'the tenant, by its slug',
}

function limitOf(value: string | undefined): number {
  const limit = value === undefined ? 50 : Number(value)
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) {
    throw new UsageError('--limit must be a whole number from 1 to 10000.')
  }
  return limit
}

const migrate = defineCommand({
  name: 'migrate',
  summary: 'apply the database migrations',
  description:
    'Brings the database (DATA_DIR or DATABASE_URL) to the latest version. Optional: the server ' +
    'and every command also migrate when they start, once, under a lock.',
  options: {},
  json: '{"migrated": true}',
  check: () => undefined,
  async run({ io, json }) {
    // openRuntime has already migrated; this command exists so operators can do it explicitly.
    io.out(json ? '{"migrated": true}' : 'Database is migrated to the latest version.')
  },
})

const tenantCreate = defineCommand({
  name: 'tenant create',
  summary: 'create a tenant',
  description:
    'Creates a tenant: one customer organisation, with its own SCIM Base URL, login connections ' +
    'and directory.',
  options: {
    slug: {
      type: 'string',
      value: 'S',
      required: true,
      help: 'lower-case letters, digits and dashes (at most 63), e.g. "acme"; part of its URLs',
    },
    name: { type: 'string', value: 'N', help: 'its display name (default: the slug)' },
  },
  json: '{"id", "slug", "name"}',
  check(o) {
    const slug = o.required('slug')
    if (!SLUG.test(slug)) {
      throw new UsageError(
        '--slug must be lower-case letters, digits and dashes (at most 63), e.g. "acme".',
      )
    }
    return { slug, name: o.string('name') ?? slug }
  },
  async run({ runtime, io, json: asJson }, { slug, name }) {
    try {
      const tenant = await runtime.store.tenants.create({
        id: newTenantId(),
        slug,
        name,
        createdAt: new Date().toISOString(),
      })
      io.out(
        asJson
          ? json({ id: tenant.id, slug: tenant.slug, name: tenant.name })
          : `Created tenant ${tenant.slug} (${tenant.id}).`,
      )
    } catch (error) {
      if (error instanceof UniqueViolation) {
        throw new DirectoryError(`A tenant "${slug}" already exists.`, 409)
      }
      throw error
    }
  },
})

const tenantList = defineCommand({
  name: 'tenant list',
  summary: 'list the tenants',
  options: {},
  json: 'an array of {"id", "slug", "name", "scimEnabled", "strictProfile"}',
  check: () => undefined,
  async run({ runtime, io, json: asJson }) {
    const tenants = await runtime.store.tenants.list()
    if (asJson) {
      io.out(
        json(
          tenants.map((t) => ({
            id: t.id,
            slug: t.slug,
            name: t.name,
            scimEnabled: t.scimTokenId !== null,
            strictProfile: t.scimStrictProfile,
          })),
        ),
      )
    } else if (tenants.length === 0) {
      io.out('No tenants yet. Create one with `npx rollcall tenant create --slug S --name N`.')
    } else {
      for (const t of tenants) {
        const strict = t.scimStrictProfile ? ' (strict profile)' : ''
        io.out(`${t.slug}\t${t.name}\tSCIM ${t.scimTokenId ? 'enabled' : 'disabled'}${strict}`)
      }
    }
  },
})

const tenantSet = defineCommand({
  name: 'tenant set',
  summary: "change a tenant's settings",
  description:
    "Changes a tenant's settings. --strict-profile on makes its SCIM endpoint refuse the forms " +
    'outside the SCIM interoperability profile that Entra ID sends (PATCH without a path, ' +
    'booleans as strings, the ADSCIM extension URN); off (the default) accepts them.',
  options: {
    slug: { type: 'string', value: 'S', required: true, help: 'the tenant, by its slug' },
    'strict-profile': {
      type: 'string',
      value: 'on|off',
      required: true,
      help: 'strict SCIM interoperability-profile mode',
    },
  },
  json: '{"slug", "strictProfile"}',
  check(o) {
    const strict = o.required('strict-profile')
    if (strict !== 'on' && strict !== 'off')
      throw new UsageError('--strict-profile takes on or off.')
    return { slug: o.required('slug'), strict: strict === 'on' }
  },
  async run({ runtime, io, json: asJson }, { slug, strict }) {
    const tenant = await tenantOf(runtime, slug)
    await runtime.store.forTenant(tenant.id).scim.setStrictProfile(strict)
    io.out(
      asJson
        ? json({ slug: tenant.slug, strictProfile: strict })
        : `SCIM strict profile mode is ${strict ? 'on' : 'off'} for ${tenant.slug}.`,
    )
  },
})

const scimTokenIssue = defineCommand({
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
      throw new DirectoryError(
        `SCIM provisioning for ${tenant.slug} needs a verified login connection first: people ` +
          'that another tenant already has can only be moved here by signing in through this ' +
          "tenant's login URL.\n" +
          `Fix: npx rollcall connection create --tenant ${tenant.slug} --name N --issuer URL ` +
          '--client-id ID --client-secret-stdin --domain D, then npx rollcall connection verify ' +
          `--tenant ${tenant.slug} --id ID and open the link.\n` +
          'Or, as the operator, add --force to issue the token anyway.',
        409,
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

const scimTokenRevoke = defineCommand({
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

const provisioningLog = defineCommand({
  name: 'provisioning-log',
  summary: "the tenant's SCIM requests, newest first",
  options: {
    tenant: TENANT,
    limit: { type: 'string', value: 'N', help: 'at most N entries, 1 to 10000 (default 50)' },
    failures: { type: 'boolean', help: 'failed requests only' },
  },
  json: 'an array of entries (time, method, path, operation, status, scimType, detail, …)',
  check: (o) => ({
    slug: o.required('tenant'),
    limit: limitOf(o.string('limit')),
    failuresOnly: o.flag('failures'),
  }),
  async run({ runtime, io, json: asJson }, { slug, limit, failuresOnly }) {
    const tenant = await tenantOf(runtime, slug)
    const entries = await runtime.store
      .forTenant(tenant.id)
      .provisioningLog.list({ limit, failuresOnly })
    if (asJson) {
      io.out(json(entries))
      return
    }
    if (entries.length === 0) io.out('No provisioning requests recorded yet.')
    for (const e of entries) {
      const outcome = e.status < 400 ? 'ok' : `FAILED${e.scimType ? ` (${e.scimType})` : ''}`
      io.out(
        `${e.at}  ${String(e.status).padEnd(3)} ${outcome.padEnd(8)} ${e.operation.padEnd(14)} ` +
          `${e.resourceId ?? ''}  ${e.durationMs.toFixed(1)}ms` +
          (e.detail ? `\n    ${e.detail}` : ''),
      )
    }
  },
})

const userAdd = defineCommand({
  name: 'user add',
  summary: 'add a person to a tenant as an INTERNAL member',
  options: {
    tenant: TENANT,
    email: { type: 'string', value: 'E', required: true, help: 'their email (identifies them)' },
    role: { type: 'string', value: 'R', help: 'Admin, Editor or Viewer (default Viewer)' },
    name: { type: 'string', value: 'DISPLAY', help: 'their display name' },
  },
  json: '{"id", "email", "role", "origin", "active"}',
  check: (o) => ({
    slug: o.required('tenant'),
    email: o.required('email'),
    role: o.string('role'),
    displayName: o.string('name'),
  }),
  async run({ runtime, io, json: asJson }, { slug, email, role, displayName }) {
    const tenant = await tenantOf(runtime, slug)
    const user = await addInternalUser(runtime.store, tenant, { email, role, displayName })
    io.out(
      asJson
        ? json({
            id: user.id,
            email: user.userName,
            role: user.role,
            origin: user.origin,
            active: user.active,
          })
        : `Added ${user.userName} to ${tenant.slug} as ${user.role} (INTERNAL, id ${user.id}).`,
    )
  },
})

const userList = defineCommand({
  name: 'user list',
  summary: "list a tenant's users",
  options: { tenant: TENANT },
  json: 'an array of {"id", "userName", "displayName", "role", "origin", "active"}',
  check: (o) => ({ slug: o.required('tenant') }),
  async run({ runtime, io, json: asJson }, { slug }) {
    const tenant = await tenantOf(runtime, slug)
    const tenantStore = runtime.store.forTenant(tenant.id)
    const rows = []
    for (let start = 1; ; start += 1000) {
      const page = await tenantStore.users.list({
        sortOrder: 'ascending',
        startIndex: start,
        count: 1000,
      })
      rows.push(...page.items)
      if (page.items.length < 1000) break
    }
    const view = rows.map((u) => ({
      id: u.id,
      userName: u.userName,
      displayName: u.displayName,
      role: u.role,
      origin: u.origin,
      active: u.active,
    }))
    if (asJson) io.out(json(view))
    else if (view.length === 0) io.out(`No users in ${tenant.slug}.`)
    else {
      for (const u of view) {
        io.out(
          `${u.userName}\t${u.origin}\t${u.role}\t${u.active ? 'active' : 'inactive'}\t${u.id}`,
        )
      }
    }
  },
})

const groupCreate = defineCommand({
  name: 'group create',
  summary: 'create an INTERNAL group',
  options: {
    tenant: TENANT,
    name: { type: 'string', value: 'N', required: true, help: 'its name (unique in the tenant)' },
    member: { type: 'string', value: 'E', multiple: true, help: 'the email of a member' },
  },
  json: '{"id", "displayName", "origin", "members"}',
  check: (o) => ({
    slug: o.required('tenant'),
    name: o.required('name'),
    members: o.list('member'),
  }),
  async run({ runtime, io, json: asJson }, { slug, name, members }) {
    const tenant = await tenantOf(runtime, slug)
    const group = await createInternalGroup(runtime.store, tenant, { name, memberEmails: members })
    io.out(
      asJson
        ? json({
            id: group.id,
            displayName: group.displayName,
            origin: group.origin,
            members: members.length,
          })
        : `Created group "${group.displayName}" in ${tenant.slug} (INTERNAL, id ${group.id}) ` +
            `with ${members.length} member(s).`,
    )
  },
})

const groupShow = defineCommand({
  name: 'group show',
  summary: 'show a group and its members',
  options: {
    tenant: TENANT,
    name: { type: 'string', value: 'N', required: true, help: 'its name (any case)' },
  },
  json: '{"id", "displayName", "externalId", "origin", "members": [{"id", "type", "display", "origin"}]}',
  check: (o) => ({ slug: o.required('tenant'), name: o.required('name') }),
  async run({ runtime, io, json: asJson }, { slug, name }) {
    const tenant = await tenantOf(runtime, slug)
    const { group, members } = await showGroup(runtime.store, tenant, name)
    const view = {
      id: group.id,
      displayName: group.displayName,
      externalId: group.externalId,
      origin: group.origin,
      members: members.map((m) => ({
        id: m.memberId,
        type: m.memberType,
        display: m.display,
        origin: m.origin,
      })),
    }
    if (asJson) {
      io.out(json(view))
    } else {
      io.out(`${view.displayName} (${view.origin}, id ${view.id})`)
      for (const m of view.members) io.out(`  ${m.display ?? m.id}\t${m.type}\t${m.origin}`)
    }
  },
})

const connectionCreate = defineCommand({
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
    const tenant = await tenantOf(runtime, slug)
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

const connectionList = defineCommand({
  name: 'connection list',
  summary: "list a tenant's login connections",
  options: { tenant: TENANT },
  json: 'an array of connections (id, name, issuer, clientId, domain, status, loginUrl, …; never the secret)',
  printsUrls: true,
  check: (o) => ({ slug: o.required('tenant') }),
  async run({ runtime, publicUrl, io, json: asJson }, { slug }) {
    const tenant = await tenantOf(runtime, slug)
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

const connectionDelete = defineCommand({
  name: 'connection delete',
  summary: 'delete a login connection (its login URL stops working)',
  options: {
    tenant: TENANT,
    id: { type: 'string', value: 'ID', required: true, help: 'the connection' },
  },
  json: '{"id", "deleted": true}',
  check: (o) => ({ slug: o.required('tenant'), id: o.required('id') }),
  async run({ runtime, io, json: asJson }, { slug, id }) {
    const tenant = await tenantOf(runtime, slug)
    await deleteConnection(runtime.store, tenant, id)
    io.out(
      asJson
        ? json({ id, deleted: true })
        : `Deleted login connection ${id} of ${tenant.slug}; its login URL no longer works.`,
    )
  },
})

const connectionVerify = defineCommand({
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
    const tenant = await tenantOf(runtime, slug)
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

const adminCreate = defineCommand({
  name: 'admin create',
  summary: 'make a person an Admin and print a set-password link',
  description:
    'Makes the person an Admin of the tenant (adding them as an INTERNAL member if needed) and ' +
    'prints a one-time set-password link, valid 24 hours, for local sign-in at /login ' +
    '(bootstrap and break-glass).',
  options: {
    tenant: TENANT,
    email: { type: 'string', value: 'E', required: true, help: 'their email' },
  },
  json: '{"id", "email", "promoted", "setPasswordUrl"}',
  printsUrls: true,
  check: (o) => ({ slug: o.required('tenant'), email: o.required('email') }),
  async run({ runtime, publicUrl, io, json: asJson }, { slug, email }) {
    const tenant = await tenantOf(runtime, slug)
    const { user, promoted } = await ensureAdmin(runtime.store, tenant, email)
    const link = await issueSetPasswordLink(runtime.store, publicUrl, {
      tenantId: tenant.id,
      userId: user.id,
    })
    if (asJson) {
      io.out(json({ id: user.id, email: user.userName, promoted, setPasswordUrl: link }))
      return
    }
    io.out(
      `${user.userName} is ${promoted ? 'now' : 'created as'} an Admin of ${tenant.slug} (id ${user.id}).`,
    )
    io.out(`Set-password link (valid 24 hours, works once): ${link}`)
  },
})

const signInLog = defineCommand({
  name: 'sign-in-log',
  summary: "the tenant's sign-ins and verifications, newest first",
  options: {
    tenant: TENANT,
    limit: { type: 'string', value: 'N', help: 'at most N entries, 1 to 10000 (default 50)' },
  },
  json: 'an array of entries (at, connectionId, outcome, email, detail)',
  check: (o) => ({ slug: o.required('tenant'), limit: limitOf(o.string('limit')) }),
  async run({ runtime, io, json: asJson }, { slug, limit }) {
    const tenant = await tenantOf(runtime, slug)
    const entries = await runtime.store.forTenant(tenant.id).signInLog.list({ limit })
    if (asJson) {
      io.out(json(entries))
      return
    }
    if (entries.length === 0) io.out('No sign-ins recorded yet.')
    for (const e of entries) {
      io.out(
        `${e.at}  ${e.outcome.padEnd(20)} ${e.email ?? '-'}  ${e.connectionId ?? 'local'}` +
          (e.detail ? `\n    ${e.detail}` : ''),
      )
    }
  },
})

/** Every command; `npx rollcall --help` lists them in this order. */
const DOMAIN: OptionSpec = {
  type: 'string',
  value: 'D',
  required: true,
  help: 'the email domain, e.g. contoso.com',
}

function printDomain(io: CommandIo, view: DomainView): void {
  const how =
    view.status === 'verified'
      ? `verified ${view.verifiedAt ?? ''} (${view.verifiedMethod === 'operator' ? `vouched for by ${view.verifiedBy ?? 'the operator'}` : 'DNS'})`
      : 'pending'
  io.out(`${view.domain}\t${how}`)
  if (view.status === 'pending') {
    io.out(`  TXT record name:   ${view.txtName}`)
    io.out(`  TXT record value:  ${view.txtValue}`)
  }
}

const domainAdd = defineCommand({
  name: 'domain add',
  summary: 'add an email domain to a tenant (prints the DNS TXT record that proves it)',
  description:
    "Adds a pending domain and prints the DNS TXT record to publish at the domain's DNS " +
    'provider; then `domain verify` looks it up. Refused when another tenant verified the domain.',
  options: { tenant: TENANT, domain: DOMAIN },
  json: 'exactly {"domain": "…", "txtName": "…", "txtValue": "…"}',
  check: (o) => ({ slug: o.required('tenant'), domain: o.required('domain') }),
  async run({ runtime, io, json: asJson }, { slug, domain }) {
    const tenant = await tenantOf(runtime, slug)
    const view = domainView(await addDomain(runtime.store, tenant, domain))
    if (asJson) {
      // Exactly {"domain": "...", "txtName": "...", "txtValue": "..."}, for scripts.
      io.out(
        `{"domain": ${JSON.stringify(view.domain)}, "txtName": ${JSON.stringify(view.txtName)}, ` +
          `"txtValue": ${JSON.stringify(view.txtValue)}}`,
      )
      return
    }
    io.out(`Added ${view.domain} to ${tenant.slug}. Publish this DNS TXT record:`)
    io.out(`  name:   ${view.txtName}`)
    io.out(`  value:  ${view.txtValue}`)
    io.out(`then: npx rollcall domain verify --tenant ${tenant.slug} --domain ${view.domain}`)
  },
})

const domainVerify = defineCommand({
  name: 'domain verify',
  summary: "verify a tenant's domain by its DNS TXT record (or, as the operator, --force)",
  description:
    'Looks up the TXT record `domain add` printed and marks the domain verified. With --force the ' +
    'operator vouches for the domain without DNS; that is recorded with --by (default: the ' +
    'operating-system user) and the time.',
  options: {
    tenant: TENANT,
    domain: DOMAIN,
    force: { type: 'boolean', help: 'vouch for the domain as the operator, without DNS' },
    by: { type: 'string', value: 'NAME', help: 'who vouches (with --force), recorded' },
  },
  json: 'the domain {"domain", "status", "txtName", "txtValue", "verifiedAt", "verifiedMethod", "verifiedBy", "createdAt"}',
  check: (o) => {
    const by = o.string('by')
    if (by !== undefined && !o.flag('force')) throw new UsageError('--by goes with --force.')
    if (by !== undefined && (by.trim() === '' || by.length > 200)) {
      throw new UsageError('--by takes a name of 1 to 200 characters.')
    }
    return { slug: o.required('tenant'), domain: o.required('domain'), force: o.flag('force'), by }
  },
  async run({ runtime, io, json: asJson }, { slug, domain, force, by }) {
    const tenant = await tenantOf(runtime, slug)
    const verified = await verifyDomain(
      runtime.store,
      tenant,
      domain,
      force
        ? { method: 'operator', by: by?.trim() ?? `${userInfo().username} (CLI)` }
        : { method: 'dns', resolve: dnsTxtResolver(runtime.config.domainVerification) },
    )
    const view = domainView(verified)
    if (asJson) io.out(json(view))
    else printDomain(io, view)
  },
})

const domainList = defineCommand({
  name: 'domain list',
  summary: "list a tenant's domains, with their status and TXT records",
  options: { tenant: TENANT },
  json: 'an array of domains (domain, status, txtName, txtValue, verifiedAt, verifiedMethod, verifiedBy, createdAt)',
  check: (o) => ({ slug: o.required('tenant') }),
  async run({ runtime, io, json: asJson }, { slug }) {
    const tenant = await tenantOf(runtime, slug)
    const views = (await listDomains(runtime.store, tenant)).map(domainView)
    if (asJson) io.out(json(views))
    else if (views.length === 0) {
      io.out(`No domains in ${tenant.slug}. Add one with \`npx rollcall domain add\`.`)
    } else for (const view of views) printDomain(io, view)
  },
})

const domainRemove = defineCommand({
  name: 'domain remove',
  summary: 'remove a domain from a tenant (it stops routing and admitting people)',
  options: { tenant: TENANT, domain: DOMAIN },
  json: '{"domain", "removed": true}',
  check: (o) => ({ slug: o.required('tenant'), domain: o.required('domain') }),
  async run({ runtime, io, json: asJson }, { slug, domain }) {
    const tenant = await tenantOf(runtime, slug)
    await removeDomain(runtime.store, tenant, domain)
    io.out(
      asJson
        ? json({ domain: domain.trim().toLowerCase(), removed: true })
        : `Removed ${domain} from ${tenant.slug}.`,
    )
  },
})

export const COMMANDS: readonly Command[] = [
  migrate,
  tenantCreate,
  tenantList,
  tenantSet,
  scimTokenIssue,
  scimTokenRevoke,
  provisioningLog,
  userAdd,
  userList,
  groupCreate,
  groupShow,
  connectionCreate,
  connectionList,
  connectionDelete,
  connectionVerify,
  domainAdd,
  domainVerify,
  domainList,
  domainRemove,
  adminCreate,
  signInLog,
]
