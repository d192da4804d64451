// System Settings → SCIM Provisioning and the Provisioning log in a real browser (issue #9, seed
// 003): SCIM disabled with its warning until the tenant has a verified connection; then enable,
// read the token from the dialog, provision with it (fetch from the test, as the IdP would), see
// the last use and the request in the log; re-issue and see the old token refused (401); find the
// failed requests in the log, open one, and disable. Each page passes checkScreen.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { CLIENT_ID, CLIENT_SECRET, entraAccount } from '../support/oidc-provider.ts'
import { ConnectionPage } from './pages/connection-page.ts'
import { ConnectionsPage, NewConnectionPage } from './pages/connections-page.ts'
import { ProvisioningLogPage } from './pages/provisioning-log-page.ts'
import { ScimSettingsPage } from './pages/scim-settings-page.ts'
import { Shell } from './pages/shell.ts'
import { setPassword, SignInPage } from './pages/sign-in-page.ts'
import { chromiumSkipReason, launchChromium } from './support/chromium.ts'
import { startRollcall, type Rollcall } from './support/rollcall.ts'
import { checkScreen, VIEWPORT } from './support/screens.ts'

const ADMIN = 'admin@contoso.com'
const PASSWORD = 'correct horse battery staple'

/** A SCIM request as Entra sends it, with the token an admin pasted. */
async function scim(
  baseUrl: string,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      'user-agent': 'Azure AD SCIM Client',
      ...(body === undefined ? {} : { 'content-type': 'application/scim+json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  const text = await res.text()
  return { status: res.status, body: text === '' ? {} : JSON.parse(text) }
}

const alice = {
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
  userName: 'alice@contoso.com',
  active: true,
  password: 'never-logged-secret',
  name: { givenName: 'Alice', familyName: 'Smith' },
}

const skip = chromiumSkipReason()

describe('SCIM settings and the provisioning log in Chromium', { skip: skip ?? false }, () => {
  let rollcall: Rollcall
  let browser: Browser
  let admin: { context: BrowserContext; page: Page; errors: string[] }
  let issued = { baseUrl: '', token: '' }
  let oldToken = ''

  before(async () => {
    rollcall = await startRollcall()
    browser = await launchChromium()
    await rollcall.cli('tenant', 'create', '--slug', 'acme', '--name', 'Acme Corp')
    const context = await browser.newContext({ viewport: VIEWPORT, locale: 'en-GB' })
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], {
      origin: rollcall.url,
    })
    const page = await context.newPage()
    page.setDefaultTimeout(10_000)
    const errors: string[] = []
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text())
    })
    page.on('pageerror', (error) => errors.push(error.message))
    admin = { context, page, errors }
  })

  after(async () => {
    await browser?.close()
    await rollcall?.stop()
  })

  it('shows SCIM disabled with the warning while the tenant has no verified connection', async () => {
    const created = JSON.parse(
      await rollcall.cli('admin', 'create', '--tenant', 'acme', '--email', ADMIN, '--json'),
    ) as { setPasswordUrl: string }
    await setPassword(admin.page, created.setPasswordUrl, PASSWORD)
    const signIn = await new SignInPage(admin.page).open(rollcall.url)
    await signIn.signIn('acme', ADMIN, PASSWORD)
    const shell = new Shell(admin.page)
    await shell.header.waitFor()
    const labels = await shell.navigationLabels()
    assert.ok(
      labels.includes('System Settings') && labels.includes('Provisioning log'),
      `${labels}`,
    )

    await shell.go('System Settings')
    const settings = new ScimSettingsPage(admin.page)
    await settings.heading.waitFor()
    assert.equal(await settings.status.innerText(), 'Disabled')
    assert.match(await settings.warning.innerText(), /needs a verified login connection/)
    assert.equal(await settings.enableButton.isDisabled(), true)
    assert.equal(await admin.page.title(), 'System Settings · Rollcall')
    await checkScreen(admin.page, 'scim-settings-disabled')

    await shell.go('Provisioning log')
    const log = new ProvisioningLogPage(admin.page)
    await log.emptyState.waitFor()
    await log.chart.waitFor()
    assert.match(await log.chartSummary.innerText(), /^0 requests, 0 failures in the last 24 hours/)
  })

  it('creates and verifies a connection, then SCIM can be enabled', async () => {
    await rollcall.cli('domain', 'add', '--tenant', 'acme', '--domain', 'contoso.com')
    await rollcall.cli('domain', 'verify', '--tenant', 'acme', '--domain', 'contoso.com', '--force')
    const connections = await new ConnectionsPage(admin.page).open(rollcall.url)
    await connections.newButton.click()
    const form = new NewConnectionPage(admin.page)
    await form.heading.waitFor()
    await form.chooseOpenIdConnect()
    await form.fill({
      name: 'Entra ID',
      issuer: rollcall.op.issuer,
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      domain: 'contoso.com',
    })
    await form.create()
    const connection = new ConnectionPage(admin.page)
    await connection.heading('Entra ID Not verified').waitFor()
    await connection.verificationTab.click()
    rollcall.op.signInAs(entraAccount('admin'))
    await connection.verify()
    await admin.page.getByRole('heading', { name: 'Connection verified' }).waitFor()
    await admin.page.getByRole('link', { name: 'Back to the console' }).click()
    await connection.heading('Entra ID Verified').waitFor()

    const settings = await new ScimSettingsPage(admin.page).open(rollcall.url)
    assert.equal(await settings.warning.count(), 0)
    assert.equal(await settings.enableButton.isDisabled(), false)
  })

  it('enables SCIM: the dialog shows the Base URL and the token once, and the token provisions', async () => {
    const settings = new ScimSettingsPage(admin.page)
    await settings.enableButton.click()
    issued = await settings.issued()
    assert.equal(issued.baseUrl, `${rollcall.url}/scim/v2/acme`)
    assert.match(issued.token, /^[\w-]+\.[\w-]+\.[\w-]+$/)
    assert.match(await settings.credentials.innerText(), /you will not see it again/)
    await settings.copyToken()
    assert.equal(await admin.page.evaluate(() => navigator.clipboard.readText()), issued.token)
    await settings.closeCredentials()
    assert.equal(await settings.status.innerText(), 'Enabled')
    // Shown once: not on the page any more, not after a reload.
    assert.ok(!(await admin.page.content()).includes(issued.token))

    const created = await scim(issued.baseUrl, issued.token, 'POST', '/Users', alice)
    assert.equal(created.status, 201, JSON.stringify(created.body))

    // The log is written in batches: reload until the page shows the request.
    await settings.open(rollcall.url)
    for (let i = 0; i < 20 && !/Create User/.test(await settings.lastUsed.innerText()); i++) {
      await admin.page.waitForTimeout(150)
      await settings.open(rollcall.url)
    }
    assert.ok(!(await admin.page.content()).includes(issued.token))
    assert.match(
      await settings.lastUsed.innerText(),
      /Create User · Succeeded \(201\)\s+from 127\.0\.0\.1, Azure AD SCIM Client/,
    )
    await checkScreen(admin.page, 'scim-settings')
  })

  it('re-issues the token after a warning: the old token is refused with 401, the new one works', async () => {
    const settings = new ScimSettingsPage(admin.page)
    const warning = await settings.confirm(settings.reissueButton, 'Re-issue token')
    assert.match(warning, /stops working at once/)
    assert.match(warning, /identity\s+provider/)
    const reissued = await settings.issued()
    assert.notEqual(reissued.token, issued.token)
    await settings.closeCredentials()
    oldToken = issued.token
    issued = reissued

    const refused = await scim(issued.baseUrl, oldToken, 'GET', '/Users')
    assert.equal(refused.status, 401)
    assert.match(String(refused.body.detail), /revoked/)
    assert.equal((await scim(issued.baseUrl, issued.token, 'GET', '/Users')).status, 200)
    // A duplicate: the IdP's request fails with 409.
    const duplicate = await scim(issued.baseUrl, issued.token, 'POST', '/Users', alice)
    assert.equal(duplicate.status, 409)
  })

  it('lists the requests newest first with a chart, and finds the failed ones', async () => {
    const log = new ProvisioningLogPage(admin.page)
    await log.open(rollcall.url)
    // The log is written in batches after the response, and the chart and the table are two
    // requests: reload until both show the four requests of the earlier tests.
    const settled = async () =>
      (await log.rows().count()) >= 4 && /^[4-9] requests/.test(await log.chartSummary.innerText())
    for (let i = 0; i < 20 && !(await settled()); i++) {
      await admin.page.waitForTimeout(150)
      await log.open(rollcall.url)
    }
    const rows = await log.rows().allInnerTexts()
    assert.match(rows[0] ?? '', /Create User[\s\S]*Failed\s+409/)
    assert.match(rows[1] ?? '', /List Users[\s\S]*Succeeded\s+200/)
    assert.match(rows[2] ?? '', /Authenticate[\s\S]*Failed\s+401/)
    assert.match(rows.at(-1) ?? '', /Create User[\s\S]*Succeeded\s+201/)
    assert.match(await log.chartSummary.innerText(), /^[4-9] requests, 2 failures/)
    await checkScreen(admin.page, 'provisioning-log')

    await log.outcome.selectOption('failure')
    await log.waitForRows(2, /Failed\s+40[19]/)
    await log.operation.selectOption('Authenticate')
    await log.waitForRows(1, /Authenticate[\s\S]*Failed\s+401/)
    await log.openRow(log.rows().first())
    assert.match(await log.entryField('entry-detail').innerText(), /revoked: a newer token/)
    await log.closeEntry()

    await log.operation.selectOption('Create User')
    await log.waitForRows(1, /Create User[\s\S]*Failed\s+409/)
    await log.openRow(log.rows().first())
    assert.match(await log.entryField('entry-detail').innerText(), /alice@contoso\.com/)
    const requestBody = await log.entryField('request-body').innerText()
    assert.match(requestBody, /"userName": "alice@contoso\.com"/)
    assert.doesNotMatch(requestBody, /never-logged-secret/)
    assert.match(await log.entryField('response-body').innerText(), /uniqueness/)
    await checkScreen(admin.page, 'provisioning-log-entry')
    await admin.page.keyboard.press('Escape')
    await log.entry.waitFor({ state: 'hidden' })
  })

  it('loads older requests a page at a time', async () => {
    for (let i = 0; i < 50; i++) {
      assert.equal((await scim(issued.baseUrl, issued.token, 'GET', '/Users')).status, 200)
    }
    const log = new ProvisioningLogPage(admin.page)
    const olderButton = admin.page.getByRole('button', { name: 'Load older requests' })
    await log.open(rollcall.url)
    // 54 requests so far: the newest 50, then the rest on demand.
    for (let i = 0; i < 20 && !(await olderButton.isVisible()); i++) {
      await admin.page.waitForTimeout(150)
      await log.open(rollcall.url)
    }
    assert.equal(await log.rows().count(), 50)
    await olderButton.click()
    await olderButton.waitFor({ state: 'detached' })
    const rows = await log.rows().allInnerTexts()
    assert.ok(rows.length >= 54 && rows.length < 100, `${rows.length} rows`)
    assert.match(rows.at(-1) ?? '', /Create User[\s\S]*Succeeded\s+201/)
    assert.equal(
      new Set(await log.rows().evaluateAll((r) => r.map((e) => e.getAttribute('data-entry')))).size,
      rows.length,
    )
  })

  it('shows the admin API reference at /api/docs under its Content-Security-Policy', async () => {
    const page = await admin.context.newPage()
    const errors: string[] = []
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text())
    })
    page.on('pageerror', (error) => errors.push(error.message))
    try {
      await page.goto(`${rollcall.url}/api/docs`)
      await page.getByText('Rollcall API').first().waitFor()
      await page.getByText('/api/tenants/{tenant}/scim/enable').first().waitFor()
      // The host application's API is in the same document.
      await page.getByText('/api/v1/events').first().waitFor()
      assert.deepEqual(errors, [], 'errors (CSP violations included) on /api/docs')
    } finally {
      await page.close()
    }
  })

  it('disables SCIM: the token stops working', async () => {
    const settings = await new ScimSettingsPage(admin.page).open(rollcall.url)
    await settings.confirm(settings.disableButton, 'Disable SCIM')
    await admin.page.getByText('SCIM provisioning is disabled').waitFor()
    assert.equal(await settings.status.innerText(), 'Disabled')
    assert.equal((await scim(issued.baseUrl, issued.token, 'GET', '/Users')).status, 401)
    assert.deepEqual(
      admin.errors.filter((e) => !/status of 4\d\d/.test(e)),
      [],
      'errors in the page console',
    )
  })
})
