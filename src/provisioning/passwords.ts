// Password hashing with scrypt (Node's crypto): the cleartext of RFC 7643 §4.1.1 `password`
// is never stored. Format: scrypt$N$r$p$salt$hash (base64url), so a hash keeps the parameters
// it was made with and can be re-made at stronger ones (needsRehash) when its owner signs in.
import {
  randomBytes,
  scrypt as scryptCallback,
  timingSafeEqual,
  type ScryptOptions,
} from 'node:crypto'

export interface ScryptParams {
  /** CPU/memory cost, a power of two. */
  readonly N: number
  readonly r: number
  readonly p: number
}

/** N = 2^17, r = 8, p = 1: OWASP's scrypt recommendation, about 128 MiB and a second per hash. */
export const SCRYPT_PARAMS: ScryptParams = Object.freeze({ N: 2 ** 17, r: 8, p: 1 })

const KEY_LENGTH = 32
// scrypt needs 128 * N * r bytes (128 MiB at the default); Node refuses above 32 MiB unless told.
const MAX_MEMORY_BYTES = 256 * 1024 * 1024
// Bounds for parameters read back from the database, so that a corrupt row cannot ask for more
// memory than MAX_MEMORY_BYTES or a run of minutes.
const MAX_N = 2 ** 20
const MAX_R = 32
const MAX_P = 16

// Each hash holds a libuv worker thread for about a second; the pool (4 threads) also serves
// DNS lookups and file I/O. Two at a time keeps the others free under a flood of sign-ins.
const MAX_CONCURRENT_HASHES = 2
let running = 0
const waiting: Array<() => void> = []

async function withHashSlot<T>(work: () => Promise<T>): Promise<T> {
  if (running >= MAX_CONCURRENT_HASHES) await new Promise<void>((resolve) => waiting.push(resolve))
  else running++
  try {
    return await work()
  } finally {
    const next = waiting.shift()
    if (next) next()
    else running--
  }
}

function scrypt(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  const options: ScryptOptions = { N: params.N, r: params.r, p: params.p, maxmem: MAX_MEMORY_BYTES }
  return withHashSlot(
    () =>
      new Promise((resolve, reject) =>
        scryptCallback(password, salt, KEY_LENGTH, options, (error, key) =>
          error ? reject(error) : resolve(key),
        ),
      ),
  )
}

function isValidParams(params: ScryptParams): boolean {
  const { N, r, p } = params
  return (
    Number.isInteger(N) &&
    N > 1 &&
    N <= MAX_N &&
    (N & (N - 1)) === 0 &&
    Number.isInteger(r) &&
    r >= 1 &&
    r <= MAX_R &&
    Number.isInteger(p) &&
    p >= 1 &&
    p <= MAX_P &&
    128 * N * r <= MAX_MEMORY_BYTES
  )
}

interface ParsedHash {
  readonly params: ScryptParams
  readonly salt: Buffer
  readonly hash: Buffer
}

function parseHash(stored: string): ParsedHash | undefined {
  const [scheme, n, r, p, salt, hash, ...rest] = stored.split('$')
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !hash || rest.length > 0) return undefined
  const params = { N: Number(n), r: Number(r), p: Number(p) }
  if (!isValidParams(params)) return undefined
  return { params, salt: Buffer.from(salt, 'base64url'), hash: Buffer.from(hash, 'base64url') }
}

/** Hashes at SCRYPT_PARAMS; tests may pass cheaper parameters. */
export async function hashPassword(
  password: string,
  params: ScryptParams = SCRYPT_PARAMS,
): Promise<string> {
  if (!isValidParams(params)) throw new RangeError('invalid scrypt parameters')
  const salt = randomBytes(16)
  const key = await scrypt(password, salt, params)
  return [
    'scrypt',
    params.N,
    params.r,
    params.p,
    salt.toString('base64url'),
    key.toString('base64url'),
  ].join('$')
}

/** Whether the password matches the stored hash, at the parameters the hash records. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored)
  if (!parsed) return false
  const key = await scrypt(password, parsed.salt, parsed.params)
  return key.length === parsed.hash.length && timingSafeEqual(key, parsed.hash)
}

/** Whether a stored hash was made at other parameters than `params` (older, weaker ones). */
export function needsRehash(stored: string, params: ScryptParams = SCRYPT_PARAMS): boolean {
  const parsed = parseHash(stored)
  if (!parsed) return true
  return (
    parsed.params.N !== params.N || parsed.params.r !== params.r || parsed.params.p !== params.p
  )
}
