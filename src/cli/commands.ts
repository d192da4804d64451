// The CLI commands. Each parses its own flags (node:util parseArgs) and prints plain text, or
// exactly the documented JSON with --json.
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { issueScimToken } from '../credentials/scim-tokens.ts'
import {
  addInternalUser,
  createInternalGroup,
  DirectoryError,
  ensureAdmin,
  showGroup,
} from '../directory/internal.ts'
import { issueSetPasswordLink } from '../sessions/local-login.ts'
import {
  connectionView,
  createConnection,
  deleteConnection,
  hasVerifiedConnection,
  issueVerificationLink,
} from '../sso/connections.ts'
import { newId } from '../domain/ids.ts'
import type { Tenant } from '../domain/types.ts'
import type { Runtime } from '../runtime.ts'
import { UniqueViolation } from '../store/store.ts'

export interface CommandIo {
  out(text: string): void
  err(text: string): void
}

export type Command = (runtime: Runtime, args: readonly string[], io: CommandIo) => Promise<number>

function flags<T extends NonNullable<ParseArgsConfig['options']>>(args: readonly string[], options: T) {
  try {
    return parseArgs({ args: [...args], options, allowPositionals: false, strict: true }).values
  } catch (error) {
    throw new DirectoryError((error as Error).message)
  }
}

function required(value: string | boolean | undefined | (string | boolean)[], name: string): string {
  if (typeof value !== 'string' || value === '') throw new DirectoryError(`--${name} is required.`)
  return value
}

async function tenantOf(runtime: Runtime, slug: string): Promise<Tenant> {
  const tenant = await runtime.store.getTenantBySlug(slug)
  if (!tenant) throw new DirectoryError(`No tenant "${slug}". See \`npx rollcall tenant list\`.`, 404)
  return tenant
}

const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/

function json(value: unknown): string {
  return JSON.stringify(value, null, 2)
}

const tenantCreate: Command = async (runtime, args, io) => {
  const f = flags(args, { slug: { type: 'string' }, name: { type: 'string' }, json: { type: 'boolean' } })
  const slug = required(f.slug, 'slug')
  if (!SLUG.test(slug)) {
    throw new DirectoryError('--slug must be lower-case letters, digits and dashes (at most 63), e.g. "acme".')
  }
  const name = typeof f.name === 'string' && f.name !== '' ? f.name : slug
  try {
    const tenant = await runtime.store.createTenant({ id: newId(), slug, name, createdAt: new Date().toISOString() })
    io.out(f.json ? json({ id: tenant.id, slug: tenant.slug, name: tenant.name }) : `Created tenant ${tenant.slug} (${tenant.id}).`)
    return 0
  } catch (error) {
    if (error instanceof UniqueViolation) throw new DirectoryError(`A tenant "${slug}" already exists.`, 409)
    throw error
  }
}

const tenantList: Command = async (runtime, args, io) => {
  const f = flags(args, { json: { type: 'boolean' } })
  const tenants = await runtime.store.listTenants()
  if (f.json) {
    io.out(json(tenants.map((t) => ({ id: t.id, slug: t.slug, name: t.name, scimEnabled: t.scimTokenId !== null, strictProfile: t.scimStrictProfile }))))
  } else if (tenants.length === 0) {
    io.out('No tenants yet. Create one with `npx rollcall tenant create --slug S --name N`.')
  } else {
    for (const t of tenants) {
      io.out(`${t.slug}\t${t.name}\tSCIM ${t.scimTokenId ? 'enabled' : 'disabled'}${t.scimStrictProfile ? ' (strict profile)' : ''}`)
    }
  }
  return 0
}

const tenantSet: Command = async (runtime, args, io) => {
  const f = flags(args, { slug: { type: 'string' }, 'strict-profile': { type: 'string' } })
  const tenant = await tenantOf(runtime, required(f.slug, 'slug'))
  const strict = required(f['strict-profile'], 'strict-profile')
  if (strict !== 'on' && strict !== 'off') throw new DirectoryError('--strict-profile takes on or off.')
  await runtime.store.setScimStrictProfile(tenant.id, strict === 'on')
  io.out(`SCIM strict profile mode is ${strict} for ${tenant.slug}.`)
  return 0
}

const scimTokenIssue: Command = async (runtime, args, io) => {
  const f = flags(args, { tenant: { type: 'string' }, json: { type: 'boolean' }, force: { type: 'boolean' } })
  const tenant = await tenantOf(runtime, required(f.tenant, 'tenant'))
  // SPEC §3: SCIM needs a verified login connection (users moved by D6/D7 sign in through it);
  // --force is the operator's bypass.
  if (f.force !== true && !(await hasVerifiedConnection(runtime.store, tenant.id))) {
    throw new DirectoryError(
      `SCIM provisioning for ${tenant.slug} needs a verified login connection first: users that ` +
        'another tenant already has can only be moved here by signing in through this tenant\'s ' +
        'login URL (SPEC D6/D7).\n' +
        `Fix: npx rollcall connection create --tenant ${tenant.slug} --name N --issuer URL ` +
        '--client-id ID --client-secret SECRET --domain D, then npx rollcall connection verify ' +
        `--tenant ${tenant.slug} --id ID and open the link.\n` +
        'Or, as the operator, add --force to issue the token anyway.',
      409,
    )
  }
  const { token } = await issueScimToken(runtime.store, runtime.signingKey, tenant, runtime.config.publicUrl)
  const baseUrl = `${runtime.config.publicUrl}/scim/v2/${tenant.slug}`
  if (f.json) {
    // Exactly {"baseUrl": "...", "token": "..."}, for scripts.
    io.out(`{"baseUrl": ${JSON.stringify(baseUrl)}, "token": ${JSON.stringify(token)}}`)
  } else {
    io.out(`Base URL (Entra: Tenant URL):   ${baseUrl}`)
    io.out(`Token (Entra: Secret Token):    ${token}`)
    io.out('')
    io.out('The token is shown once; only its id is kept. Any previous token no longer works:')
    io.out('paste this one into the IdP (Entra: Provisioning → Admin Credentials → Secret Token).')
  }
  return 0
}

const scimTokenRevoke: Command = async (runtime, args, io) => {
  const f = flags(args, { tenant: { type: 'string' } })
  const tenant = await tenantOf(runtime, required(f.tenant, 'tenant'))
  await runtime.store.setScimToken(tenant.id, null, new Date().toISOString())
  io.out(`SCIM is disabled for ${tenant.slug}: its token no longer works.`)
  return 0
}

const provisioningLog: Command = async (runtime, args, io) => {
  const f = flags(args, {
    tenant: { type: 'string' },
    limit: { type: 'string' },
    failures: { type: 'boolean' },
    json: { type: 'boolean' },
  })
  const tenant = await tenantOf(runtime, required(f.tenant, 'tenant'))
  const limit = f.limit === undefined ? 50 : Number(f.limit)
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) {
    throw new DirectoryError('--limit must be a whole number from 1 to 10000.')
  }
  const entries = await runtime.store.listProvisioningLog(tenant.id, { limit, failuresOnly: f.failures === true })
  if (f.json) {
    io.out(json(entries))
    return 0
  }
  if (entries.length === 0) io.out('No provisioning requests recorded yet.')
  for (const e of entries) {
    const outcome = e.status < 400 ? 'ok' : `FAILED${e.scimType ? ` (${e.scimType})` : ''}`
    io.out(
      `${e.at}  ${String(e.status).padEnd(3)} ${outcome.padEnd(8)} ${e.operation.padEnd(14)} ${e.resourceId ?? ''}  ${e.durationMs.toFixed(1)}ms` +
        (e.detail ? `\n    ${e.detail}` : ''),
    )
  }
  return 0
}

const userAdd: Command = async (runtime, args, io) => {
  const f = flags(args, {
    tenant: { type: 'string' },
    email: { type: 'string' },
    role: { type: 'string' },
    name: { type: 'string' },
    json: { type: 'boolean' },
  })
  const tenant = await tenantOf(runtime, required(f.tenant, 'tenant'))
  const user = await addInternalUser(runtime.store, tenant, {
    email: required(f.email, 'email'),
    role: typeof f.role === 'string' ? f.role : undefined,
    displayName: typeof f.name === 'string' ? f.name : undefined,
  })
  io.out(
    f.json
      ? json({ id: user.id, email: user.userName, role: user.role, origin: user.origin, active: user.active })
      : `Added ${user.userName} to ${tenant.slug} as ${user.role} (INTERNAL, id ${user.id}).`,
  )
  return 0
}

const userList: Command = async (runtime, args, io) => {
  const f = flags(args, { tenant: { type: 'string' }, json: { type: 'boolean' } })
  const tenant = await tenantOf(runtime, required(f.tenant, 'tenant'))
  const tenantStore = runtime.store.forTenant(tenant.id)
  const rows = []
  for (let start = 1; ; start += 1000) {
    const page = await tenantStore.listUsers({ sortOrder: 'ascending', startIndex: start, count: 1000 })
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
  if (f.json) io.out(json(view))
  else if (view.length === 0) io.out(`No users in ${tenant.slug}.`)
  else for (const u of view) io.out(`${u.userName}\t${u.origin}\t${u.role}\t${u.active ? 'active' : 'inactive'}\t${u.id}`)
  return 0
}

const groupCreate: Command = async (runtime, args, io) => {
  const f = flags(args, {
    tenant: { type: 'string' },
    name: { type: 'string' },
    member: { type: 'string', multiple: true },
    json: { type: 'boolean' },
  })
  const tenant = await tenantOf(runtime, required(f.tenant, 'tenant'))
  const members = Array.isArray(f.member) ? f.member.filter((m): m is string => typeof m === 'string') : []
  const group = await createInternalGroup(runtime.store, tenant, { name: required(f.name, 'name'), memberEmails: members })
  io.out(
    f.json
      ? json({ id: group.id, displayName: group.displayName, origin: group.origin, members: members.length })
      : `Created group "${group.displayName}" in ${tenant.slug} (INTERNAL, id ${group.id}) with ${members.length} member(s).`,
  )
  return 0
}

const groupShow: Command = async (runtime, args, io) => {
  const f = flags(args, { tenant: { type: 'string' }, name: { type: 'string' }, json: { type: 'boolean' } })
  const tenant = await tenantOf(runtime, required(f.tenant, 'tenant'))
  const { group, members } = await showGroup(runtime.store, tenant, required(f.name, 'name'))
  const view = {
    id: group.id,
    displayName: group.displayName,
    externalId: group.externalId,
    origin: group.origin,
    members: members.map((m) => ({ id: m.memberId, type: m.memberType, display: m.display, origin: m.origin })),
  }
  if (f.json) {
    io.out(json(view))
  } else {
    io.out(`${view.displayName} (${view.origin}, id ${view.id})`)
    for (const m of view.members) io.out(`  ${m.display ?? m.id}\t${m.type}\t${m.origin}`)
  }
  return 0
}

const connectionCreate: Command = async (runtime, args, io) => {
  const f = flags(args, {
    tenant: { type: 'string' },
    name: { type: 'string' },
    issuer: { type: 'string' },
    'client-id': { type: 'string' },
    'client-secret': { type: 'string' },
    domain: { type: 'string' },
    'no-jit': { type: 'boolean' },
    'email-claims': { type: 'string' },
    json: { type: 'boolean' },
  })
  const tenant = await tenantOf(runtime, required(f.tenant, 'tenant'))
  const claims = typeof f['email-claims'] === 'string' ? f['email-claims'].split(',').map((c) => c.trim()) : undefined
  const connection = await createConnection(runtime.store, runtime.secretBox, tenant, {
    name: required(f.name, 'name'),
    issuer: required(f.issuer, 'issuer'),
    clientId: required(f['client-id'], 'client-id'),
    clientSecret: required(f['client-secret'], 'client-secret'),
    domain: required(f.domain, 'domain'),
    jitEnabled: f['no-jit'] === true ? false : undefined,
    emailClaims: claims,
  })
  const view = connectionView(connection, runtime.config.publicUrl)
  if (f.json) {
    // Exactly {"id": "...", "loginUrl": "...", "redirectUri": "..."}, for scripts.
    io.out(`{"id": ${JSON.stringify(view.id)}, "loginUrl": ${JSON.stringify(view.loginUrl)}, "redirectUri": ${JSON.stringify(view.redirectUri)}}`)
  } else {
    io.out(`Created login connection "${view.name}" for ${tenant.slug} (id ${view.id}), status draft.`)
    io.out(`Redirect URI (register it at the IdP; Entra: Authentication → Web):  ${view.redirectUri}`)
    io.out(`Login URL (send it to users once verified):                      ${view.loginUrl}`)
    io.out(`Next: npx rollcall connection verify --tenant ${tenant.slug} --id ${view.id}`)
  }
  return 0
}

const connectionList: Command = async (runtime, args, io) => {
  const f = flags(args, { tenant: { type: 'string' }, json: { type: 'boolean' } })
  const tenant = await tenantOf(runtime, required(f.tenant, 'tenant'))
  const views = (await runtime.store.listConnections(tenant.id)).map((c) => connectionView(c, runtime.config.publicUrl))
  if (f.json) io.out(json(views))
  else if (views.length === 0) io.out(`No login connections in ${tenant.slug}. Create one with \`npx rollcall connection create\`.`)
  else {
    for (const v of views) {
      io.out(`${v.id}\t${v.status}\t${v.domain}\t${v.name}\t${v.issuer}\tJIT ${v.jitEnabled ? 'on' : 'off'}\t${v.loginUrl}`)
    }
  }
  return 0
}

const connectionDelete: Command = async (runtime, args, io) => {
  const f = flags(args, { tenant: { type: 'string' }, id: { type: 'string' } })
  const tenant = await tenantOf(runtime, required(f.tenant, 'tenant'))
  const id = required(f.id, 'id')
  await deleteConnection(runtime.store, tenant, id)
  io.out(`Deleted login connection ${id} of ${tenant.slug}; its login URL no longer works.`)
  return 0
}

const connectionVerify: Command = async (runtime, args, io) => {
  const f = flags(args, { tenant: { type: 'string' }, id: { type: 'string' } })
  const tenant = await tenantOf(runtime, required(f.tenant, 'tenant'))
  const url = await issueVerificationLink(runtime.store, runtime.config.publicUrl, tenant, required(f.id, 'id'))
  io.out(url)
  io.err('Open this link in a browser within 10 minutes (it works once): it sends you through the IdP and back, and shows the result.')
  return 0
}

const adminCreate: Command = async (runtime, args, io) => {
  const f = flags(args, { tenant: { type: 'string' }, email: { type: 'string' } })
  const tenant = await tenantOf(runtime, required(f.tenant, 'tenant'))
  const { user, promoted } = await ensureAdmin(runtime.store, tenant, required(f.email, 'email'))
  const link = await issueSetPasswordLink(runtime.store, runtime.config.publicUrl, { tenantId: tenant.id, userId: user.id })
  io.out(`${user.userName} is ${promoted ? 'now' : 'created as'} an Admin of ${tenant.slug} (id ${user.id}).`)
  io.out(`Set-password link (valid 24 hours, works once): ${link}`)
  return 0
}

const signInLog: Command = async (runtime, args, io) => {
  const f = flags(args, { tenant: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean' } })
  const tenant = await tenantOf(runtime, required(f.tenant, 'tenant'))
  const limit = f.limit === undefined ? 50 : Number(f.limit)
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) {
    throw new DirectoryError('--limit must be a whole number from 1 to 10000.')
  }
  const entries = await runtime.store.listSignInLog(tenant.id, { limit })
  if (f.json) {
    io.out(json(entries))
    return 0
  }
  if (entries.length === 0) io.out('No sign-ins recorded yet.')
  for (const e of entries) {
    io.out(`${e.at}  ${e.outcome.padEnd(20)} ${e.email ?? '-'}  ${e.connectionId ?? 'local'}` + (e.detail ? `\n    ${e.detail}` : ''))
  }
  return 0
}

const migrate: Command = async (_runtime, _args, io) => {
  // openRuntime has already migrated; this command exists so operators can do it explicitly.
  io.out('Database is migrated to the latest version.')
  return 0
}

export const COMMANDS: Record<string, Command> = {
  migrate,
  'tenant create': tenantCreate,
  'tenant list': tenantList,
  'tenant set': tenantSet,
  'scim-token issue': scimTokenIssue,
  'scim-token revoke': scimTokenRevoke,
  'provisioning-log': provisioningLog,
  'user add': userAdd,
  'user list': userList,
  'group create': groupCreate,
  'group show': groupShow,
  'connection create': connectionCreate,
  'connection list': connectionList,
  'connection delete': connectionDelete,
  'connection verify': connectionVerify,
  'admin create': adminCreate,
  'sign-in-log': signInLog,
}
