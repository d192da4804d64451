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

/** `shortLived`: a CLI command, not the server (SQLite syncs inside COMMIT, docs/durability.md). */
export async function openStore(config: Config, shortLived = false): Promise<Store> {
  if (config.databaseUrl !== undefined) {
    const { openPostgresStore } = await import('./store/postgres/open-postgres.ts')
    return openPostgresStore(config.databaseUrl, config.databasePoolSize)
  }
  return openSqliteStore(join(config.dataDir, 'rollcall.sqlite'), { syncInCommit: shortLived })
}

export async function openRuntime(
  config: Config,
  notice: (message: string) => void,
  options: { readonly shortLived?: boolean } = {},
): Promise<Runtime> {
  if (config.databaseUrl !== undefined && config.secret === undefined) {
    throw new Error(
      'ROLLCALL_SECRET must be set when DATABASE_URL is: every instance needs the same secret ' +
        '(generate one with `openssl rand -base64 32`).',
    )
  }
  const secret = resolveInstanceSecret(config.secret, config.dataDir, (path) =>
    notice(
      `ROLLCALL_SECRET is not set: generated a new secret into ${path}. Back it up; it encrypts the signing key.`,
    ),
  )
  const store = await openStore(config, options.shortLived)
  try {
    try {
      await store.migrate()
    } catch (error) {
      throw new Error(describeStartupDatabaseError(error, config), { cause: error })
    }
    const secretBox = createSecretBox(secret)
    const signingKey = await loadSigningKey(store, secretBox)
    return { config, store, secretBox, signingKey }
  } catch (error) {
    await store.close()
    throw error
  }
}

/** The service setting in which the server records the public URL it runs with. */
export const PUBLIC_URL_SETTING = 'public_url'

/**
 * What the server records at start so that the CLI, whose environment may differ (another
 * PORT, no PUBLIC_URL), prints the Base URLs and links the server actually answers on.
 */
export async function recordPublicUrl(
  store: Store,
  publicUrl: string,
  at = new Date(),
): Promise<void> {
  await store.settings.set(PUBLIC_URL_SETTING, publicUrl, at.toISOString())
}

/** The URL with any password replaced, for messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url)
    if (parsed.password) parsed.password = '****'
    return parsed.toString()
  } catch {
    return '(unparsable URL)'
  }
}

/** A start-up failure of the database, said in terms an operator can act on; never the password. */
export function describeStartupDatabaseError(error: unknown, config: Config): string {
  const code =
    (error as { code?: string }).code ?? (error as { cause?: { code?: string } }).cause?.code
  const message = (error as Error).message ?? String(error)
  if (config.databaseUrl === undefined) {
    return `Cannot open the SQLite database in ${config.dataDir}: ${message}`
  }
  const where = redactUrl(config.databaseUrl)
  switch (code) {
    case 'ECONNREFUSED':
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
      return `DATABASE_URL: cannot reach the PostgreSQL server of ${where} (${code}). Is it running, and are host and port right?`
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `DATABASE_URL: the host of ${where} does not resolve (${code}).`
    case '28P01':
    case '28000':
      return `DATABASE_URL: PostgreSQL refused the user or password of ${where} (${code}: authentication failed or no such role). Check the credentials.`
    case '3D000':
      return `DATABASE_URL: the database named in ${where} does not exist. Create it (createdb) or fix the name.`
    default:
      return `DATABASE_URL: cannot prepare the database at ${where}: ${message.replaceAll(config.databaseUrl, where)}`
  }
}
