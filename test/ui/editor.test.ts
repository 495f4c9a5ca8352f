// The editor as a user sees it: headless Chromium (playwright-core, the system's /usr/bin/chromium) against a real
// n8n with the package installed. Logs in as the owner, opens our credential for each grant type, runs the
// credential test from the form, opens the node and trigger panels. Screenshots go to test-results/screenshots/.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { chromium, selectors, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startEmulator, type Emulator } from '../emulator/index.ts';
import {
	CREDENTIAL_TYPE,
	N8nRest,
	NODE_TYPE,
	OWNER,
	TRIGGER_TYPE,
	appCredential,
	importCredentials,
	importWorkflows,
	packageHasNodes,
	preparedUserFolder,
	root,
	startN8n,
} from '../e2e/support.ts';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const SHOTS = join(root, 'test-results', 'screenshots');
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`ui tests skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium)`);

let emulator: Emulator;
let folder: Awaited<ReturnType<typeof preparedUserFolder>>;
let n8n: Awaited<ReturnType<typeof startN8n>>;
let browser: Browser;
let page: Page;

const credentials = () => [
	appCredential('uiClientCreds001', emulator.url),
	appCredential('uiWrongSecret001', emulator.url, { clientSecret: 'not-the-secret' }),
	appCredential('uiUnknownKey0001', emulator.url, { clientId: 'no-such-key' }),
	appCredential('uiAuthCode000001', emulator.url, { grantType: 'authorizationCode' }),
	appCredential('uiPkce0000000001', emulator.url, { grantType: 'pkce' }),
];

const workflow = {
	id: 'uiCanvas00000001',
	name: 'UI: node and trigger',
	nodes: [
		{
			id: '00000000-0000-4000-8000-0000000000b1',
			name: 'Salesforce CRM Trigger',
			type: TRIGGER_TYPE,
			typeVersion: 1,
			position: [0, 0],
			parameters: { sobject: 'Contact', event: 'created' },
			credentials: { [CREDENTIAL_TYPE]: { id: 'uiClientCreds001', name: 'Salesforce uiClientCreds001' } },
		},
		{
			id: '00000000-0000-4000-8000-0000000000b2',
			name: 'Salesforce CRM',
			type: NODE_TYPE,
			typeVersion: 1,
			position: [260, 0],
			parameters: { resource: 'lead', operation: 'create' },
			credentials: { [CREDENTIAL_TYPE]: { id: 'uiClientCreds001', name: 'Salesforce uiClientCreds001' } },
		},
	],
	connections: { 'Salesforce CRM Trigger': { main: [[{ node: 'Salesforce CRM', type: 'main', index: 0 }]] } },
};

async function shot(name: string) {
	const path = join(SHOTS, `${name}.png`);
	await page.screenshot({ path });
	return path;
}

/** Opens a saved credential's modal and returns the dialog locator. */
async function openCredential(id: string) {
	await page.goto(`${n8n.url}/home/credentials/${id}`);
	const dialog = page.getByTestId('credential-edit-dialog');
	await dialog.waitFor({ state: 'visible', timeout: 30_000 });
	await page.waitForTimeout(500);
	return dialog;
}

/** n8n tests a saved credential when its modal opens: returns the modal text once the result banner shows. */
async function testResult(dialog: ReturnType<Page['getByTestId']>) {
	const banner = dialog.getByText(/Connection tested successfully|Couldn.t connect with these settings/);
	await banner.first().waitFor({ state: 'visible', timeout: 30_000 });
	await page.waitForTimeout(300);
	return (await dialog.innerText()).replace(/\s+/g, ' ');
}

describe.runIf(hasChromium && packageHasNodes)('n8n editor with the package', () => {
	beforeAll(async () => {
		mkdirSync(SHOTS, { recursive: true });
		emulator = await startEmulator({ port: 0 });
		folder = await preparedUserFolder('n8n-ui-');
		await importCredentials(folder.userFolder, credentials());
		await importWorkflows(folder.userFolder, [workflow]);
		n8n = await startN8n({ userFolder: folder.userFolder });
		await new N8nRest(n8n.url).ensureOwner();
		selectors.setTestIdAttribute('data-test-id'); // n8n's attribute
		browser = await chromium.launch({
			executablePath: CHROMIUM,
			args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
		});
		page = await browser.newPage({ viewport: { width: 1440, height: 1600 } });
	}, 600_000);

	afterAll(async () => {
		await browser?.close();
		await n8n?.stop();
		await emulator?.close();
		folder?.cleanup();
		console.log(`screenshots: ${SHOTS}`);
	});

	it('logs in as the owner', async () => {
		await page.goto(`${n8n.url}/signin`);
		await page.locator('input[type="email"]').fill(OWNER.email);
		await page.locator('input[type="password"]').fill(OWNER.password);
		await shot('01-signin');
		await page.getByTestId('form-submit-button').click();
		await page.waitForURL((url) => !url.pathname.startsWith('/signin'), { timeout: 30_000 });
		await shot('02-home');
	});

	it('client credentials: the form shows the setup notice and no redirect URL; the test succeeds', async () => {
		const dialog = await openCredential('uiClientCreds001');
		const result = await testResult(dialog);
		await shot('03-credential-client-credentials');
		console.log(`credential modal (client credentials): ${result}`);
		expect(result).toMatch(/Connection tested successfully/);
		expect(result).toMatch(/Enable Client Credentials Flow/);
		expect(result).not.toMatch(/OAuth Redirect URL/);
	});

	it.each([
		['wrong secret', 'uiWrongSecret001', /Client authentication failed/],
		['unknown key', 'uiUnknownKey0001', /client identifier invalid/],
	])('client credentials with a %s: the user sees why', async (label, id, expected) => {
		const dialog = await openCredential(id);
		const summary = await testResult(dialog);
		expect(summary).toMatch(/Couldn.t connect with these settings/);
		await dialog.getByText('More details').first().click(); // the reason is only shown after this click
		await page.waitForTimeout(500);
		const result = (await dialog.innerText()).replace(/\s+/g, ' ');
		await shot(`05-credential-${label.replace(/\s/g, '-')}`);
		console.log(`credential modal (${label}), after "More details": ${/Couldn.t connect.{0,400}/.exec(result)?.[0]}`);
		expect(result).toMatch(expected);
	});

	it.each([
		['authorization code', 'uiAuthCode000001'],
		['pkce', 'uiPkce0000000001'],
	])('%s: the form shows the OAuth Redirect URL to paste into Salesforce', async (label, id) => {
		const dialog = await openCredential(id);
		await dialog.getByText('OAuth Redirect URL').first().waitFor({ state: 'visible' });
		const text = await dialog.innerText();
		const redirect = /https?:\/\/\S+\/rest\/oauth2-credential\/callback/.exec(text)?.[0];
		console.log(`credential modal (${label}): OAuth Redirect URL ${redirect}`);
		expect(redirect).toBe(`${n8n.url}/rest/oauth2-credential/callback`);
		await shot(`06-credential-${label.replace(/\s/g, '-')}`);
	});

	it('opens the node and the trigger panels on a canvas', async () => {
		await page.goto(`${n8n.url}/workflow/${workflow.id}`);
		await page.getByTestId('canvas').waitFor({ state: 'visible', timeout: 30_000 });
		await page.waitForTimeout(1000);
		await shot('07-canvas');

		for (const [name, file] of [
			['Salesforce CRM Trigger', '08-trigger-panel'],
			['Salesforce CRM', '09-node-panel'],
		]) {
			await page.locator(`[data-node-name="${name}"]`).first().dblclick();
			const ndv = page.getByTestId('ndv');
			await ndv.waitFor({ state: 'visible', timeout: 30_000 });
			await page.waitForTimeout(2000); // options and the resource mapper load from the emulator
			await shot(file);
			const text = await ndv.innerText();
			// The node's resource mapper lists the required Lead fields it read from the emulator's describe.
			expect(text).toMatch(name === 'Salesforce CRM' ? /Company[\s\S]*Last Name \(LastName\)/ : /Object[\s\S]*Event[\s\S]*Filters/);
			await page.getByTestId('ndv-close-button').first().click().catch(() => page.keyboard.press('Escape'));
			await page.waitForTimeout(500);
		}
	});
});
