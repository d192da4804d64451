// What both entry points (server.ts and the CLI) set up from a Config: the instance secret, the
// store (migrated), the signing key. Nothing here listens.
import { join } from 'node:path'
import type { Config } from './config.ts'
import { resolveInstanceSecret } from './credentials/instance-secret.ts'
import { createSecretBox, type SecretBox } from './credentials/secret-box.ts'
import { loadSigningKey, type SigningKey } from './credentials/scim-tokens.ts'
import type { Store } from './store/store.ts'
import { openSqliteStore } from './store/sqlite/open-sqlite.ts'

export interface Runtime {
  readonly config: Config
  readonly store: Store
  readonly secretBox: SecretBox
  readonly signingKey: SigningKey
}

export async function openStore(config: Config): Promise<Store> {
  if (config.databaseUrl !== undefined) {
    const { openPostgresStore } = await import('./store/postgres/open-postgres.ts')
    return openPostgresStore(config.databaseUrl)
  }
  return openSqliteStore(join(config.dataDir, 'rollcall.sqlite'))
}

export async function openRuntime(
  config: Config,
  notice: (message: string) => void,
): Promise<Runtime> {
  if (config.databaseUrl !== undefined && config.secret === undefined) {
    throw new Error(
      'ROLLCALL_SECRET must be set when DATABASE_URL is: every instance needs the same secret ' +
        '(generate one with `openssl rand -base64 32`).',
    )
  }
  const secret = resolveInstanceSecret(config.secret, config.dataDir, (path) =>
    notice(`ROLLCALL_SECRET is not set: generated a new secret into ${path}. Back it up; it encrypts the signing key.`),
  )
  const store = await openStore(config)
  try {
    await store.migrate()
    const secretBox = createSecretBox(secret)
    const signingKey = await loadSigningKey(store, secretBox)
    return { config, store, secretBox, signingKey }
  } catch (error) {
    await store.close()
    throw error
  }
}
