// The admin console in a real browser (issue #9): Debian's Chromium through playwright-core,
// against a real Rollcall process on a throwaway SQLite database, the test OpenID Provider and a
// loopback DNS server. The path of seed 003 so far: sign in as a local Admin, verify domains
// (by DNS, and by the operator's --force), create an OpenID Connect connection, read its Setup
// URLs and verify it at the IdP; a Viewer signed in by SSO gets the admins-only page. Every page
// passes axe (no serious or critical violation), fits 1280×800, and is saved as a screenshot.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { CLIENT_ID, CLIENT_SECRET, entraAccount } from '../support/oidc-provider.ts'
import { AdminsOnlyPage } from './pages/admins-only-page.ts'
import { ConnectionPage } from './pages/connection-page.ts'
import { ConnectionsPage, NewConnectionPage } from './pages/connections-page.ts'
import { DomainsPage } from './pages/domains-page.ts'
import { Shell } from './pages/shell.ts'
import { setPassword, SignInPage } from './pages/sign-in-page.ts'
import { chromiumSkipReason, launchChromium } from './support/chromium.ts'
import { startRollcall, type Rollcall } from './support/rollcall.ts'
import { checkScreen, VIEWPORT } from './support/screens.ts'

const ADMIN = 'admin@contoso.com'
const PASSWORD = 'correct horse battery staple'

/** A browser profile of its own, with the errors its pages log (a CSP violation is one). */
async function newProfile(browser: Browser, url: string) {
  const context = await browser.newContext({ viewport: VIEWPORT, locale: 'en-GB' })
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: url })
  const page = await context.newPage()
  page.setDefaultTimeout(10_000)
  const errors: string[] = []
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text())
  })
  page.on('pageerror', (error) => errors.push(error.message))
  return { context, page, errors }
}

const skip = chromiumSkipReason()

describe('the admin console in Chromium', { skip: skip ?? false }, () => {
  let rollcall: Rollcall
  let browser: Browser
  let admin: { context: BrowserContext; page: Page; errors: string[] }
  let connectionId = ''

  before(async () => {
    rollcall = await startRollcall()
    browser = await launchChromium()
    await rollcall.cli('tenant', 'create', '--slug', 'acme', '--name', 'Acme Corp')
    admin = await newProfile(browser, rollcall.url)
  })

  after(async () => {
    await browser?.close()
    await rollcall?.stop()
  })

  it('shows sign-in when signed out, the problem detail of a failed sign-in, and the way to SSO', async () => {
    const signIn = await new SignInPage(admin.page).open(rollcall.url)
    assert.equal(await signIn.ssoLink.getAttribute('href'), '/sso')
    await checkScreen(admin.page, 'sign-in')

    await signIn.signIn('acme', ADMIN, 'not the password')
    await signIn.error.waitFor()
    assert.match(await signIn.error.innerText(), /organisation, email or password is wrong/)

    await signIn.ssoLink.click()
    await admin.page.getByRole('heading', { name: 'Sign in with SSO' }).waitFor()
    assert.equal(new URL(admin.page.url()).pathname, '/sso')
  })

  it('signs a local Admin in with the password set through the link, into the shell', async () => {
    const created = JSON.parse(
      await rollcall.cli('admin', 'create', '--tenant', 'acme', '--email', ADMIN, '--json'),
    ) as { setPasswordUrl: string }
    await setPassword(admin.page, created.setPasswordUrl, PASSWORD)
    await admin.page.getByRole('link', { name: 'Sign in' }).click()

    const signIn = new SignInPage(admin.page)
    await signIn.heading.waitFor()
    // The first focusable element on the page is the first field; then keyboard only.
    await admin.page.keyboard.press('Tab')
    assert.equal(
      await admin.page.evaluate(() => document.activeElement?.id),
      await signIn.tenant.getAttribute('id'),
    )
    await signIn.signIn('acme', ADMIN, PASSWORD)

    const shell = new Shell(admin.page)
    await shell.header.waitFor()
    assert.match(await shell.header.innerText(), /acme/)
    assert.match(await shell.header.innerText(), /admin@contoso\.com/)
    assert.deepEqual(await shell.navigationLabels(), [
      'Users',
      'Groups',
      'Domains',
      'Roles',
      'Enterprise Connection',
      'System Settings',
      'Provisioning log',
      'Hand back',
    ])
    const domains = new DomainsPage(admin.page)
    await domains.emptyState.waitFor()
    assert.equal(new URL(admin.page.url()).pathname, '/domains')
    assert.equal(await admin.page.title(), 'Domains · Rollcall')
  })

  it('adds a domain, shows its TXT record to copy, and verifies it by DNS', async () => {
    const domains = new DomainsPage(admin.page)
    await domains.add('fabrikam.com')
    assert.equal(await domains.status('fabrikam.com'), 'Pending')
    assert.equal(await domains.txtName('fabrikam.com'), '_rollcall-challenge.fabrikam.com')
    const value = await domains.txtValue('fabrikam.com')
    assert.match(value, /^rollcall-domain-verification=\S+$/)

    // Verify before the record is published: the problem's detail, in the domain's item.
    await domains.verify('fabrikam.com')
    const problem = domains.item('fabrikam.com').getByRole('alert')
    await problem.waitFor()
    assert.match(await problem.innerText(), /_rollcall-challenge\.fabrikam\.com/)

    // Copy the value, publish it, verify.
    await domains.copyTxtValue('fabrikam.com')
    const copied = await admin.page.evaluate(() => navigator.clipboard.readText())
    assert.equal(copied, value)
    rollcall.dns.txt.set('_rollcall-challenge.fabrikam.com', [[copied]])
    await domains.verify('fabrikam.com')
    await admin.page.getByText('fabrikam.com is verified.').waitFor()
    assert.equal(await domains.status('fabrikam.com'), 'Verified')
  })

  it('shows a domain the operator verified (--force) as verified after a reload', async () => {
    const domains = new DomainsPage(admin.page)
    await domains.add('contoso.com')
    assert.equal(await domains.status('contoso.com'), 'Pending')
    await checkScreen(admin.page, 'domains')

    await rollcall.cli('domain', 'verify', '--tenant', 'acme', '--domain', 'contoso.com', '--force')
    await admin.page.reload()
    await domains.item('contoso.com').waitFor()
    assert.equal(await domains.status('contoso.com'), 'Verified')
    assert.match(await domains.item('contoso.com').innerText(), /Verified by the operator/)
  })

  it('removes a domain after confirmation', async () => {
    const domains = new DomainsPage(admin.page)
    await domains.remove('fabrikam.com')
    await admin.page.getByText('fabrikam.com was removed.').waitFor()
    assert.equal(await domains.item('contoso.com').count(), 1)
  })

  it('creates an OpenID Connect connection and shows its redirect URI and login URL on the Setup tab', async () => {
    const shell = new Shell(admin.page)
    await shell.go('Enterprise Connection')
    const connections = new ConnectionsPage(admin.page)
    await connections.heading.waitFor()
    await connections.emptyState.waitFor()
    await checkScreen(admin.page, 'connections-empty')

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
    await checkScreen(admin.page, 'new-connection')
    await form.create()

    const connection = new ConnectionPage(admin.page)
    await connection.heading('Entra ID Not verified').waitFor()
    const path = new URL(admin.page.url()).pathname
    const match = /^\/connections\/([^/]+)\/setup$/.exec(path)
    assert.ok(match?.[1], path)
    connectionId = decodeURIComponent(match[1])
    assert.equal(await connection.redirectUri(), `${rollcall.url}/sso/callback`)
    assert.equal(await connection.loginUrl(), `${rollcall.url}/sso/login/${connectionId}`)
    await connection.copyLoginUrl()
    assert.equal(
      await admin.page.evaluate(() => navigator.clipboard.readText()),
      `${rollcall.url}/sso/login/${connectionId}`,
    )
    await checkScreen(admin.page, 'connection-setup')

    await shell.go('Enterprise Connection')
    await connections.row('Entra ID').waitFor()
    assert.match(await connections.row('Entra ID').innerText(), /contoso\.com\s+Not verified/)
    await checkScreen(admin.page, 'connections')
  })

  it('verifies the connection at the identity provider and shows the outcome on the Verification tab', async () => {
    await admin.page.goto(`${rollcall.url}/connections/${connectionId}/setup`)
    const connection = new ConnectionPage(admin.page)
    await connection.setupTab.focus()
    await admin.page.keyboard.press('ArrowRight')
    assert.equal(await connection.verificationTab.getAttribute('aria-selected'), 'true')
    assert.equal(new URL(admin.page.url()).pathname, `/connections/${connectionId}/verification`)
    await admin.page.getByText('No verification yet').waitFor()

    rollcall.op.signInAs(entraAccount('admin'))
    await connection.verify()
    await admin.page.getByRole('heading', { name: 'Connection verified' }).waitFor()
    await admin.page.getByRole('link', { name: 'Back to the console' }).click()

    await connection.heading('Entra ID Verified').waitFor()
    assert.equal(await connection.verificationTab.getAttribute('aria-selected'), 'true')
    await connection.verifications().first().waitFor()
    assert.match(
      await connection.verifications().first().innerText(),
      /Verified\s+admin@contoso\.com/,
    )
    await checkScreen(admin.page, 'connection-verification')
  })

  it('shows a Viewer signed in through the login URL the admins-only page', async () => {
    const viewer = await newProfile(browser, rollcall.url)
    try {
      rollcall.op.signInAs(entraAccount('victor'))
      await viewer.page.goto(`${rollcall.url}/sso/login/${connectionId}`)
      await viewer.page.getByRole('heading', { level: 1, name: 'Signed in' }).waitFor()
      assert.match(
        await viewer.page.locator('body').innerText(),
        /You are signed in to acme as victor@contoso\.com\s+\(Viewer\)/,
      )
      await viewer.page.getByRole('link', { name: 'Continue to the console' }).click()

      const adminsOnly = new AdminsOnlyPage(viewer.page)
      await adminsOnly.heading.waitFor()
      assert.match(await viewer.page.getByRole('main').innerText(), /role Viewer/)
      assert.equal(await viewer.page.getByRole('navigation', { name: 'Console' }).count(), 0)
      await checkScreen(viewer.page, 'admins-only')

      await adminsOnly.signOutButton.click()
      await new SignInPage(viewer.page).heading.waitFor()
      assert.deepEqual(viewer.errors, [])
    } finally {
      await viewer.context.close()
    }
  })

  it('signs out: the session ends on the server and the sign-in page says so', async () => {
    const shell = new Shell(admin.page)
    await shell.signOut()
    const signIn = new SignInPage(admin.page)
    await signIn.heading.waitFor()
    assert.equal(await signIn.notice.innerText(), 'You are signed out.')
    const status = await admin.page.evaluate(async () => (await fetch('/api/session')).status)
    assert.equal(status, 401)
    await admin.page.goto(`${rollcall.url}/connections`)
    await signIn.heading.waitFor()
    assert.deepEqual(
      admin.errors.filter((e) => !/status of 401|status of 4\d\d/.test(e)),
      [],
      'errors in the page console',
    )
  })
})
