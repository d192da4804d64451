// ROLLCALL_SECRET: taken from the environment, or (embedded mode) read from DATA_DIR/secret,
// created there with 256 random bits on first start.
import { randomBytes } from 'node:crypto'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

export function resolveInstanceSecret(
  configured: string | undefined,
  dataDir: string,
  onGenerated: (path: string) => void,
): string {
  if (configured !== undefined) return configured
  const path = join(dataDir, 'secret')
  try {
    return readFileSync(path, 'utf8').trim()
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
  mkdirSync(dataDir, { recursive: true })
  const secret = randomBytes(32).toString('base64url')
  try {
    // 'wx': if another process created it first, use theirs.
    writeFileSync(path, `${secret}\n`, { mode: 0o600, flag: 'wx' })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return readFileSync(path, 'utf8').trim()
    throw error
  }
  onGenerated(path)
  return secret
}
