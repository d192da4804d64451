// Every CLI command, in the order `npx rollcall --help` lists them; one module per noun beside this
// file. Each declares its options (with their help), checks its input before the database is opened,
// and prints plain text, or exactly the documented JSON with --json. To add one:
// defineCommand({...}) in its noun's module and list it here.
import type { Command } from '../command.ts'
import { adminCreate } from './admin.ts'
import { apiKeyCreate, apiKeyList, apiKeyRevoke } from './api-key.ts'
import {
  connectionCreate,
  connectionDelete,
  connectionList,
  connectionVerify,
} from './connection.ts'
import { domainAdd, domainList, domainRemove, domainVerify } from './domain.ts'
import { groupCreate, groupShow } from './group.ts'
import { migrate } from './migrate.ts'
import { oidcClientCreate, oidcClientDelete, oidcClientList, oidcKeyRotate } from './oidc-client.ts'
import { provisioningLog } from './provisioning-log.ts'
import { scimTokenIssue, scimTokenRevoke } from './scim-token.ts'
import { signInLog } from './sign-in-log.ts'
import { tenantCreate, tenantList, tenantSet } from './tenant.ts'
import { userAdd, userList } from './user.ts'
import {
  webhookCreate,
  webhookDelete,
  webhookDeliveriesCommand,
  webhookDisable,
  webhookEnable,
  webhookList,
  webhookRedeliver,
  webhookRotateSecret,
} from './webhook.ts'

/** Every command; `npx rollcall --help` lists them in this order. */
export const COMMANDS: readonly Command[] = [
  migrate,
  tenantCreate,
  tenantList,
  tenantSet,
  scimTokenIssue,
  scimTokenRevoke,
  provisioningLog,
  userAdd,
  userList,
  groupCreate,
  groupShow,
  connectionCreate,
  connectionList,
  connectionDelete,
  connectionVerify,
  domainAdd,
  domainVerify,
  domainList,
  domainRemove,
  adminCreate,
  signInLog,
  webhookCreate,
  webhookList,
  webhookDeliveriesCommand,
  webhookRedeliver,
  webhookRotateSecret,
  webhookEnable,
  webhookDisable,
  webhookDelete,
  apiKeyCreate,
  apiKeyList,
  apiKeyRevoke,
  oidcClientCreate,
  oidcClientList,
  oidcClientDelete,
  oidcKeyRotate,
]
