// The Store contract (src/store/store.ts and the TSDoc of every repository method), one part per
// aggregate, run against every engine: sqlite.test.ts and postgres.test.ts. Each test opens a
// fresh, migrated store with two tenants, so tests share nothing.
import { describe } from 'node:test'
import { defineMigrateContract } from './migrate.ts'
import { defineTenantsContract } from './tenants.ts'
import { defineSigningKeysContract } from './signing-keys.ts'
import { defineUsersContract } from './users.ts'
import { defineGroupsContract } from './groups.ts'
import { defineMembersContract } from './members.ts'
import { definePagingContract } from './paging.ts'
import { defineTenantIsolationContract } from './tenant-isolation.ts'
import { defineTransactionsContract } from './transactions.ts'
import { defineProvisioningLogContract } from './provisioning-log.ts'
import { defineConnectionsContract } from './connections.ts'
import { defineAuthorizationStatesContract } from './authorization-states.ts'
import { defineOneTimeTokensContract } from './one-time-tokens.ts'
import { defineSignInLogContract } from './sign-in-log.ts'
import { definePeopleContract } from './people.ts'
import { defineLoginFailuresContract } from './login-failures.ts'
import { defineSessionsContract } from './sessions.ts'
import { defineDomainsContract } from './domains.ts'
import { defineLargeBatchesContract } from './large-batches.ts'
import { definePingContract } from './ping.ts'
import { defineSettingsContract } from './settings.ts'
import { defineRoleRulesContract } from './role-rules.ts'
import { defineOriginsContract } from './origins.ts'
import { defineEventsContract } from './events.ts'
import { defineWebhooksContract } from './webhooks.ts'
import { defineApiKeysContract } from './api-keys.ts'
import { defineOidcProviderContract } from './oidc-provider.ts'
import { defineChangeReportsContract } from './change-reports.ts'
import { freshStores, type OpenedStore } from './support.ts'

export type { OpenedStore } from './support.ts'

export function defineStoreContract(
  name: string,
  open: () => Promise<OpenedStore>,
  skip: string | false,
): void {
  const fresh = freshStores(open)
  describe(`Store contract (${name})`, { skip }, () => {
    defineMigrateContract(fresh)
    defineTenantsContract(fresh)
    defineSigningKeysContract(fresh)
    defineUsersContract(fresh)
    defineGroupsContract(fresh)
    defineMembersContract(fresh)
    definePagingContract(fresh)
    defineTenantIsolationContract(fresh)
    defineTransactionsContract(fresh)
    defineProvisioningLogContract(fresh)
    defineConnectionsContract(fresh)
    defineAuthorizationStatesContract(fresh)
    defineOneTimeTokensContract(fresh)
    defineSignInLogContract(fresh)
    definePeopleContract(fresh)
    defineLoginFailuresContract(fresh)
    defineSessionsContract(fresh)
    defineDomainsContract(fresh)
    defineLargeBatchesContract(fresh)
    definePingContract(fresh)
    defineSettingsContract(fresh)
    defineRoleRulesContract(fresh)
    defineEventsContract(fresh)
    defineWebhooksContract(fresh)
    defineChangeReportsContract(fresh)
    defineOriginsContract(fresh)
    defineApiKeysContract(fresh)
    defineOidcProviderContract(fresh)
  })
}
