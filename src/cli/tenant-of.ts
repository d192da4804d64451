// The tenant a command names with its --tenant (or --slug) option, looked up by slug; an unknown
// slug fails the command (exit 1) with a pointer to `tenant list`.
import { AppError } from '../errors.ts'
import type { Tenant } from '../domain/types.ts'
import type { Runtime } from '../runtime.ts'

export async function tenantOf(runtime: Runtime, slug: string): Promise<Tenant> {
  const tenant = await runtime.store.tenants.getBySlug(slug)
  if (!tenant) throw AppError.notFound(`No tenant "${slug}". See \`npx rollcall tenant list\`.`)
  return tenant
}
