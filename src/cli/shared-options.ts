// Options several commands declare alike: --tenant (the tenant by its slug) and --limit (the
// length of a log listing).
import { UsageError, type OptionSpec } from './command.ts'

export const TENANT: OptionSpec = {
  type: 'string',
  value: 'S',
  required: true,
  help: 'the tenant, by its slug',
}

/** The value of --limit: 1 to 10000, 50 when not given; throws UsageError. */
export function limitOf(value: string | undefined): number {
  const limit = value === undefined ? 50 : Number(value)
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) {
    throw new UsageError('--limit must be a whole number from 1 to 10000.')
  }
  return limit
}
