// `npx rollcall oidc-client …` and `oidc-key rotate`: the host application's OIDC clients
// (registered by the operator only) and the OpenID Provider's signing keys.
import {
  createOidcClient,
  deleteOidcClient,
  listOidcClients,
} from '../../identity-provider/clients.ts'
import { DEFAULT_KEY_OVERLAP_SECONDS, rotateProviderKey } from '../../identity-provider/keys.ts'
import { issuerOf } from '../../identity-provider/provider.ts'
import { UsageError, defineCommand } from '../command.ts'
import { json } from '../output.ts'

export const oidcClientCreate = defineCommand({
  name: 'oidc-client create',
  summary: "register a client of Rollcall's OpenID Provider (the host application)",
  description:
    'Registers a first-party client of the OpenID Provider at <PUBLIC_URL>/oidc (no consent ' +
    'screen; authorization code flow, PKCE allowed; the secret by client_secret_basic or ' +
    'client_secret_post) and prints its client ID, its client secret ' +
    'and the issuer. The secret is shown once and stored encrypted. Redirect URIs are compared ' +
    'exactly.',
  options: {
    name: { type: 'string', value: 'N', required: true, help: 'its name, for the operator' },
    'redirect-uri': {
      type: 'string',
      value: 'U',
      required: true,
      multiple: true,
      help: 'a redirect URI of the application (repeat for more)',
    },
  },
  json: 'exactly {"clientId": "…", "clientSecret": "…", "issuer": "…"}',
  printsUrls: true,
  check: (o) => ({ name: o.required('name'), redirectUris: o.list('redirect-uri') }),
  async run({ runtime, publicUrl, io, json: asJson }, input) {
    const { clientId, clientSecret } = await createOidcClient(
      runtime.store,
      runtime.secretBox,
      input,
    )
    const issuer = issuerOf(publicUrl)
    if (asJson) {
      // Exactly {"clientId": "...", "clientSecret": "...", "issuer": "..."}, for scripts.
      io.out(
        `{"clientId": ${JSON.stringify(clientId)}, "clientSecret": ${JSON.stringify(clientSecret)}, "issuer": ${JSON.stringify(issuer)}}`,
      )
    } else {
      io.out(`Issuer:         ${issuer}`)
      io.out(`Client ID:      ${clientId}`)
      io.out(`Client secret:  ${clientSecret}`)
      io.out('')
      io.out('The secret is shown once. Configure the application with these three values;')
      io.out(`it discovers the rest at ${issuer}/.well-known/openid-configuration.`)
    }
  },
})

export const oidcClientList = defineCommand({
  name: 'oidc-client list',
  summary: "list the OpenID Provider's clients",
  options: {},
  json: 'an array of {"clientId", "name", "redirectUris", "createdAt"} (never the secret)',
  check: () => ({}),
  async run({ runtime, io, json: asJson }) {
    const clients = (await listOidcClients(runtime.store)).map((c) => ({
      clientId: c.id,
      name: c.name,
      redirectUris: [...c.redirectUris],
      createdAt: c.createdAt,
    }))
    if (asJson) io.out(json(clients))
    else if (clients.length === 0) {
      io.out('No OIDC clients. Register one with `npx rollcall oidc-client create`.')
    } else {
      for (const c of clients) {
        io.out(`${c.clientId}\t${c.name}\t${c.redirectUris.join(' ')}`)
      }
    }
  },
})

export const oidcClientDelete = defineCommand({
  name: 'oidc-client delete',
  summary: 'delete an OIDC client (its tokens stop being issued)',
  options: { id: { type: 'string', value: 'ID', required: true, help: 'the client ID' } },
  json: '{"clientId", "deleted": true}',
  check: (o) => ({ id: o.required('id') }),
  async run({ runtime, io, json: asJson }, { id }) {
    await deleteOidcClient(runtime.store, id)
    io.out(asJson ? json({ clientId: id, deleted: true }) : `Deleted the OIDC client ${id}.`)
  },
})

export const oidcKeyRotate = defineCommand({
  name: 'oidc-key rotate',
  summary: "rotate the OpenID Provider's signing key",
  description:
    'Creates a new signing key: ID tokens are signed with it from now on (every instance picks ' +
    'it up at its next /oidc request). The previous keys stay in the JWKS for --keep-hours, so ' +
    'tokens they signed still verify, and are deleted at a later rotation.',
  options: {
    'keep-hours': {
      type: 'string',
      value: 'H',
      help: `how long the previous keys stay published (default ${DEFAULT_KEY_OVERLAP_SECONDS / 3600})`,
    },
  },
  json: '{"kid", "previousKeysRetireAt", "published": [kid…]}',
  check(o) {
    const given = o.string('keep-hours')
    const hours = given === undefined ? DEFAULT_KEY_OVERLAP_SECONDS / 3600 : Number(given)
    if (!Number.isFinite(hours) || hours < 0 || hours > 24 * 365) {
      throw new UsageError('--keep-hours must be a number of hours from 0 to 8760.')
    }
    return { overlapSeconds: Math.round(hours * 3600) }
  },
  async run({ runtime, io, json: asJson }, { overlapSeconds }) {
    const rotation = await rotateProviderKey(runtime.store, runtime.secretBox, overlapSeconds)
    if (asJson) {
      io.out(
        json({
          kid: rotation.kid,
          previousKeysRetireAt: rotation.retiresAt,
          published: rotation.published,
        }),
      )
    } else {
      io.out(`New signing key: ${rotation.kid}`)
      io.out(`The previous keys stay published until ${rotation.retiresAt}.`)
    }
  },
})
