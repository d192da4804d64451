// Roles and Hand back in a real browser (issue #9): the IdP provisions a user and a group over
// SCIM, the Admin maps the group to Editor on the Roles page and sees the member's role "Editor,
// via group Engineering"; then, SCIM disabled, hands everything back to INTERNAL after the
// preview. Each page passes axe, fits 1280×800 and is saved as a screenshot.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Browser, Page } from 'playwright-core'
import { HandBackPage } from './pages/hand-back-page.ts'
import { RolesPage } from './pages/roles-page.ts'
import { Shell } from './pages/shell.ts'
import { setPassword, SignInPage } from './pages/sign-in-page.ts'
import { chromiumSkipReason, launchChromium } from './support/chromium.ts'
import { startRollcall, type Rollcall } from './support/rollcall.ts'
import { checkScreen, VIEWPORT } from './support/screens.ts'

const ADMIN = 'admin@contoso.com'
const PASSWORD = 'correct horse battery staple'
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User'
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group'

const skip = chromiumSkipReason()

describe('Roles and Hand back in Chromium', { skip: skip ?? false }, () => {
  let rollcall: Rollcall
  let browser: Browser
  let page: Page
  const errors: string[] = []
  let scim: (method: string, path: string, body?: unknown) => Promise<Response>

  before(async () => {
    rollcall = await startRollcall()
    browser = await launchChromium()
    await rollcall.cli('tenant', 'create', '--slug', 'acme', '--name', 'Acme Corp')
    const issued = JSON.parse(
      await rollcall.cli('scim-token', 'issue', '--tenant', 'acme', '--force', '--json'),
    ) as { baseUrl: string; token: string }
    scim = (method, path, body) =>
      fetch(`${issued.baseUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${issued.token}`,
          'content-type': 'application/scim+json',
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      })
    const context = await browser.newContext({ viewport: VIEWPORT, locale: 'en-GB' })
    page = await context.newPage()
    page.setDefaultTimeout(10_000)
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text())
    })
    page.on('pageerror', (error) => errors.push(error.message))
  })

  after(async () => {
    await browser?.close()
    await rollcall?.stop()
  })

  it('signs the Admin in and shows Roles and Hand back in the navigation', async () => {
    const created = JSON.parse(
      await rollcall.cli('admin', 'create', '--tenant', 'acme', '--email', ADMIN, '--json'),
    ) as { setPasswordUrl: string }
    await setPassword(page, created.setPasswordUrl, PASSWORD)
    const signIn = await new SignInPage(page).open(rollcall.url)
    await signIn.signIn('acme', ADMIN, PASSWORD)
    const shell = new Shell(page)
    await shell.header.waitFor()
    // The signed-out probe of /api/session answered 401 before sign-in, as it should.
    errors.length = 0
    const labels = await shell.navigationLabels()
    assert.ok(labels.includes('Roles') && labels.includes('Hand back'), labels.join(', '))
    await shell.go('Roles')
    const roles = new RolesPage(page)
    await roles.emptyState.waitFor()
    assert.equal(await page.title(), 'Roles · Rollcall')
  })

  it('maps a SCIM group to Editor and shows the role of its member, via the group', async () => {
    const user = await scim('POST', '/Users', {
      schemas: [USER],
      userName: 'ann@contoso.com',
      active: true,
    })
    assert.equal(user.status, 201)
    const ann = ((await user.json()) as { id: string }).id
    const group = await scim('POST', '/Groups', {
      schemas: [GROUP],
      displayName: 'Engineering',
      members: [{ value: ann }],
    })
    assert.equal(group.status, 201)
    await scim('POST', '/Groups', { schemas: [GROUP], displayName: 'Sales' })

    const roles = await new RolesPage(page).open(rollcall.url)
    assert.match(await roles.lookUp('ann@contoso.com'), /Viewer, the default role/)
    await roles.addRule('Engineering', 'Editor')
    await page.getByText('Members of Engineering now get Editor (1 member).').waitFor()
    const row = await roles.row('Engineering').innerText()
    assert.match(row, /Engineering\s+SCIM/)
    assert.match(row, /Editor/)
    assert.match(
      await roles.lookUp('ann@contoso.com'),
      /ann@contoso\.com: Editor, via group Engineering/,
    )

    // A second member the IdP adds later gets the role too.
    const bob = await scim('POST', '/Users', { schemas: [USER], userName: 'bob@contoso.com' })
    const bobId = ((await bob.json()) as { id: string }).id
    const patched = await scim('PATCH', `/Groups/${((await group.json()) as { id: string }).id}`, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'add', path: 'members', value: [{ value: bobId }] }],
    })
    assert.ok(patched.status < 300)
    assert.match(await roles.lookUp('bob@contoso.com'), /Editor, via group Engineering/)
    await roles.lookupResult.scrollIntoViewIfNeeded()
    await checkScreen(page, 'roles')

    await roles.addRule('Sales', 'Viewer')
    await roles.deleteRule('Sales')
    await page.getByText('The rule of Sales was deleted.').waitFor()
  })

  it('previews the hand back, refuses it while SCIM is on, and hands back once it is off', async () => {
    const handBack = await new HandBackPage(page).open(rollcall.url)
    await handBack.scimWarning.waitFor()
    assert.equal(await handBack.handBackButton.isDisabled(), true)
    assert.equal(await handBack.count('Users'), 2)
    assert.equal(await handBack.count('Groups'), 2)
    assert.equal(await handBack.count('Memberships'), 2)

    await rollcall.cli('scim-token', 'revoke', '--tenant', 'acme')
    await page.reload()
    await handBack.handBackButton.waitFor()
    assert.equal(await handBack.handBackButton.isDisabled(), false)
    await checkScreen(page, 'hand-back')
    await handBack.handBack()
    await page.getByText('Handed back to INTERNAL: 2 users, 2 groups, 2 memberships.').waitFor()
    await handBack.emptyState.waitFor()

    // Roles are untouched by the hand back.
    const roles = await new RolesPage(page).open(rollcall.url)
    assert.match(await roles.lookUp('ann@contoso.com'), /Editor, via group Engineering/)
    assert.deepEqual(errors, [])
  })
})
