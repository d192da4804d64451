// Users and Groups in a real browser (issue #9, SPEC §1 D8, G4): an Admin invites a user and gets
// the set-password link once, changes a role; a user provisioned through SCIM (with a token from
// `scim-token issue --force`) shows origin SCIM, role Viewer, and Disable/Delete refused with the
// reason; an INTERNAL member joins a SCIM group, whose SCIM member cannot be removed. Every page
// passes axe, fits 1280×800, and is saved as a screenshot.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Browser, Page } from 'playwright-core'
import { GroupsPage } from './pages/groups-page.ts'
import { Shell } from './pages/shell.ts'
import { setPassword, SignInPage } from './pages/sign-in-page.ts'
import { UsersPage } from './pages/users-page.ts'
import { chromiumSkipReason, launchChromium } from './support/chromium.ts'
import { startRollcall, type Rollcall } from './support/rollcall.ts'
import { checkScreen, VIEWPORT } from './support/screens.ts'

const ADMIN = 'admin@contoso.com'
const PASSWORD = 'correct horse battery staple'

const skip = chromiumSkipReason()

describe('Users and Groups in Chromium', { skip: skip ?? false }, () => {
  let rollcall: Rollcall
  let browser: Browser
  let page: Page
  const errors: string[] = []
  let scim: { baseUrl: string; token: string }

  /** A SCIM request as the tenant's IdP sends it. */
  async function scimRequest(method: string, path: string, body: unknown) {
    const res = await fetch(`${scim.baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${scim.token}`,
        'content-type': 'application/scim+json',
      },
      body: JSON.stringify(body),
    })
    assert.equal(res.status, 201, await res.clone().text())
    return (await res.json()) as { id: string }
  }

  before(async () => {
    rollcall = await startRollcall()
    browser = await launchChromium()
    await rollcall.cli('tenant', 'create', '--slug', 'acme', '--name', 'Acme Corp')
    scim = JSON.parse(
      await rollcall.cli('scim-token', 'issue', '--tenant', 'acme', '--force', '--json'),
    ) as { baseUrl: string; token: string }
    const context = await browser.newContext({ viewport: VIEWPORT, locale: 'en-GB' })
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: rollcall.url })
    page = await context.newPage()
    page.setDefaultTimeout(10_000)
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text())
    })
    page.on('pageerror', (error) => errors.push(error.message))

    const created = JSON.parse(
      await rollcall.cli('admin', 'create', '--tenant', 'acme', '--email', ADMIN, '--json'),
    ) as { setPasswordUrl: string }
    await setPassword(page, created.setPasswordUrl, PASSWORD)
    await new SignInPage(page).open(rollcall.url)
    await new SignInPage(page).signIn('acme', ADMIN, PASSWORD)
    await new Shell(page).header.waitFor()
  })

  after(async () => {
    await browser?.close()
    await rollcall?.stop()
  })

  it('invites a user, shows the set-password link once with a copy button, and changes the role', async () => {
    await new Shell(page).go('Users')
    const users = new UsersPage(page)
    await users.heading.waitFor()
    await users.row(ADMIN).waitFor()

    const link = await users.invite('bob@contoso.com', 'Bob Builder', 'Editor')
    assert.match(link, new RegExp(`^${rollcall.url}/login/set-password/\\S+$`))
    assert.match(await users.dialog.innerText(), /You will not see it again/)
    await users.copyLink()
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), link)
    await users.closeDialog()
    await users.row('bob@contoso.com').waitFor()
    assert.equal(await users.origin('bob@contoso.com'), 'INTERNAL')
    assert.equal(await users.roleSelect('bob@contoso.com').inputValue(), 'Editor')

    await users.roleSelect('bob@contoso.com').selectOption('Admin')
    await page.getByText('bob@contoso.com is now Admin.').waitFor()
    await page.reload()
    await users.row('bob@contoso.com').waitFor()
    assert.equal(await users.roleSelect('bob@contoso.com').inputValue(), 'Admin')

    // An INTERNAL user can be disabled, and enabled again.
    await users.disableButton('bob@contoso.com').click()
    await page.getByText('bob@contoso.com is disabled.').waitFor()
    assert.equal(await users.status('bob@contoso.com'), 'Disabled')
    await users.row('bob@contoso.com').getByRole('button', { name: 'Enable' }).click()
    await page.getByText('bob@contoso.com is enabled.').waitFor()
  })

  it('shows a SCIM-provisioned user with origin SCIM, role Viewer, and disable refused with the reason', async () => {
    await scimRequest('POST', '/Users', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: 'sam@contoso.com',
      displayName: 'Sam Scim',
      active: true,
      emails: [{ value: 'sam@contoso.com', type: 'work', primary: true }],
    })
    const users = await new UsersPage(page).open(rollcall.url)
    await users.originFilter.selectOption('SCIM')
    await users.row('sam@contoso.com').waitFor()
    await users.row(ADMIN).waitFor({ state: 'detached' })
    assert.equal(await users.origin('sam@contoso.com'), 'SCIM')
    assert.equal(await users.roleSelect('sam@contoso.com').inputValue(), 'Viewer')
    assert.equal(await users.disableButton('sam@contoso.com').isDisabled(), true)
    assert.equal(await users.deleteButton('sam@contoso.com').isDisabled(), true)
    assert.match(await users.reason('sam@contoso.com').innerText(), /controlled by SCIM/)
    assert.match(
      (await users.disableButton('sam@contoso.com').getAttribute('title')) ?? '',
      /identity provider/,
    )
    // D8: the role stays editable.
    await users.roleSelect('sam@contoso.com').selectOption('Editor')
    await page.getByText('sam@contoso.com is now Editor.').waitFor()

    await users.originFilter.selectOption('')
    await users.search.fill('contoso')
    await users.row(ADMIN).waitFor()
    await checkScreen(page, 'users')
  })

  it('adds an INTERNAL member to a SCIM group; the SCIM member cannot be removed', async () => {
    const sam = await fetch(
      `${scim.baseUrl}/Users?filter=${encodeURIComponent('userName eq "sam@contoso.com"')}`,
      {
        headers: { authorization: `Bearer ${scim.token}` },
      },
    )
    const samId = ((await sam.json()) as { Resources: { id: string }[] }).Resources[0]?.id
    assert.ok(samId)
    await scimRequest('POST', '/Groups', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
      displayName: 'Engineering',
      members: [{ value: samId }],
    })

    await new Shell(page).go('Groups')
    const groups = new GroupsPage(page)
    await groups.heading.waitFor()
    await groups.nameInput.fill('Finance')
    await groups.createButton.click()
    await page.getByRole('heading', { level: 1, name: /^Finance/ }).waitFor()
    await new Shell(page).go('Groups')
    await groups.row('Engineering').waitFor()
    assert.match(await groups.row('Engineering').innerText(), /SCIM/)
    assert.match(await groups.row('Finance').innerText(), /INTERNAL/)
    await checkScreen(page, 'groups')

    const group = await groups.openGroup('Engineering')
    await group.member('Sam Scim').waitFor()
    await group.add('bob@contoso.com', 'Bob Builder')
    await page.getByText('bob@contoso.com was added as an INTERNAL member.').waitFor()
    assert.match(await group.member('Bob Builder').innerText(), /INTERNAL/)
    assert.match(await group.member('Sam Scim').innerText(), /SCIM/)
    assert.equal(await group.removeButton('Sam Scim').isDisabled(), true)
    assert.match(
      await group.member('Sam Scim').locator('.reason').innerText(),
      /controlled by SCIM/,
    )
    await checkScreen(page, 'group')

    // The form knows Bob is a member now, and forgets it when he is removed.
    assert.match(await (await group.candidate('bob@contoso.com')).innerText(), /Already a member/)
    await group.removeButton('Bob Builder').click()
    await group.member('Bob Builder').waitFor({ state: 'detached' })
    await (
      await group.candidate('bob@contoso.com')
    )
      .getByRole('button', { name: 'Add bob@contoso.com' })
      .waitFor()
    assert.deepEqual(
      errors.filter((e) => !/status of 4\d\d/.test(e)),
      [],
      'errors in the page console',
    )
  })
})
