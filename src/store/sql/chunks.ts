// IN lists and multi-row inserts are cut into chunks: SQLite caps the bound parameters of one
// statement, and a list of thousands of ids (a group's members, a user's emails) must pass it.

/** SQLite caps bound parameters per statement; chunk IN lists well below it. */
export const IN_CHUNK = 500

export function chunks<T>(items: readonly T[], size = IN_CHUNK): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}
