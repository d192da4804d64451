// `npx rollcall tenant …`: create, list and configure tenants.
import { createTenant, setScimStrictProfile, tenantBySlug } from '../../directory/tenants.ts'
import { isValidSlug } from '../../domain/slugs.ts'
import { defineCommand, UsageError } from '../command.ts'
import { json } from '../output.ts'

export const tenantCreate = defineCommand({
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
    if (!isValidSlug(slug)) {
      throw new UsageError(
        '--slug must be lower-case letters, digits and dashes (at most 63), e.g. "acme".',
      )
    }
    return { slug, name: o.string('name') ?? slug }
  },
  async run({ runtime, io, json: asJson }, { slug, name }) {
    const tenant = await createTenant(runtime.store, { slug, name })
    io.out(
      asJson
        ? json({ id: tenant.id, slug: tenant.slug, name: tenant.name })
        : `Created tenant ${tenant.slug} (${tenant.id}).`,
    )
  },
})

export const tenantList = defineCommand({
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

export const tenantSet = defineCommand({
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
    const tenant = await tenantBySlug(runtime.store, slug)
    await setScimStrictProfile(runtime.store, tenant, strict)
    io.out(
      asJson
        ? json({ slug: tenant.slug, strictProfile: strict })
        : `SCIM strict profile mode is ${strict ? 'on' : 'off'} for ${tenant.slug}.`,
    )
  },
})
