// The editor as a user sees it: headless Chromium (playwright-core, the system's /usr/bin/chromium) against a real
// n8n with the package installed. Logs in as the owner, opens our credential for each grant type, runs the
// credential test from the form, opens the node and trigger panels and the workflows of examples/. Screenshots go to
// test-results/screenshots/; the README's pictures, cropped to their panel, to test-results/screenshots/readme/, and
// with UPDATE_SCREENSHOTS=1 (`npm run screenshots`) to docs/images/ as well.
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

import { chromium, selectors, type Browser, type ElementHandle, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
	CREDENTIAL_TYPE,
	type N8nUnderTest,
	NODE_TYPE,
	OWNER,
	TRIGGER_TYPE,
	appCredential,
	importCredentials,
	importWorkflows,
	root,
	useN8n,
} from '../e2e/support.ts';
import { MAX_PICTURE_BYTES, PICTURES } from './pictures.ts';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const SHOTS = join(root, 'test-results', 'screenshots');
const README_SHOTS = join(SHOTS, 'readme');
const UPDATE_PICTURES = process.env.UPDATE_SCREENSHOTS === '1';
/** The README's pictures are taken at this window size (device scale 1). */
const PICTURE_VIEWPORT = { width: 1280, height: 900 };
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`ui tests skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium)`);
if (UPDATE_PICTURES && !hasChromium) throw new Error(`npm run screenshots needs Chromium at ${CHROMIUM} (apt-get install -y chromium)`);

/** Set while the suite is collected (see the describe block below): no n8n starts where the suite skips. */
let live: N8nUnderTest;
let browser: Browser;
let page: Page;
const VIEWPORT = { width: 1440, height: 1600 };

/** The workflows of examples/, with the credentials they reference by name (see test/e2e/examples.test.ts). */
const EXAMPLES = readdirSync(join(root, 'examples'))
	.filter((file) => file.endsWith('.json'))
	.map((file, index) => ({ ...JSON.parse(readFileSync(join(root, 'examples', file), 'utf8')), id: `uiExample0000${index + 1}`, file }));

const credentials = (domain: string) => [
	{ ...appCredential('uiExampleCc00001', domain), name: 'Salesforce (client credentials)' },
	{ ...appCredential('uiExampleAc00001', domain), name: 'Salesforce (authorization code)' },
	appCredential('uiClientCreds001', domain),
	appCredential('uiWrongSecret001', domain, { clientSecret: 'not-the-secret' }),
	appCredential('uiUnknownKey0001', domain, { clientId: 'no-such-key' }),
	appCredential('uiAuthCode000001', domain, { grantType: 'authorizationCode' }),
	appCredential('uiPkce0000000001', domain, { grantType: 'pkce' }),
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
			credentials: { [CREDENTIAL_TYPE]: { id: 'uiExampleCc00001', name: 'Salesforce (client credentials)' } },
		},
		{
			id: '00000000-0000-4000-8000-0000000000b2',
			name: 'Salesforce CRM',
			type: NODE_TYPE,
			typeVersion: 1,
			position: [260, 0],
			parameters: { resource: 'lead', operation: 'create' },
			credentials: { [CREDENTIAL_TYPE]: { id: 'uiExampleCc00001', name: 'Salesforce (client credentials)' } },
		},
	],
	connections: { 'Salesforce CRM Trigger': { main: [[{ node: 'Salesforce CRM', type: 'main', index: 0 }]] } },
};

async function shot(name: string) {
	const path = join(SHOTS, `${name}.png`);
	await page.screenshot({ path });
	return path;
}

/**
 * A README picture: `target` cropped to its bounding box, after the window has grown (and the element's own
 * scrolling areas have opened up) so that all of its content shows. Written to test-results/, and to docs/images/
 * when updating; returns its size in bytes.
 */
async function picture(name: string, target: ElementHandle<Element>) {
	const overflow = await target.evaluate((element) =>
		Math.max(0, ...[element, ...element.querySelectorAll('*')].map((node) => node.scrollHeight - node.clientHeight)),
	);
	if (overflow > 0) await page.setViewportSize({ ...PICTURE_VIEWPORT, height: Math.min(PICTURE_VIEWPORT.height + overflow, 2400) });
	await target.evaluate((element) => {
		for (const scroller of [element as HTMLElement, ...element.querySelectorAll<HTMLElement>('*')]) {
			if (!/auto|scroll/.test(getComputedStyle(scroller).overflowY) || scroller.scrollHeight <= scroller.clientHeight) continue;
			scroller.style.overflowY = 'visible';
			for (let node: HTMLElement | null = scroller; node && node !== element.parentElement; node = node.parentElement) {
				node.style.height = 'auto';
				node.style.maxHeight = 'none';
			}
		}
	});
	await settled(page.locator('body'));
	const path = join(README_SHOTS, `${name}.png`);
	await target.screenshot({ path, animations: 'disabled', caret: 'hide' });
	if (UPDATE_PICTURES) copyFileSync(path, join(PICTURES, `${name}.png`));
	return statSync(path).size;
}

/**
 * The node details view's middle panel (Parameters / Settings tabs and the parameters): the widest element around
 * the parameter list that is still about as wide as it. Found in the page, so it follows the layout.
 */
async function parametersPanel(ndv: Locator): Promise<ElementHandle<Element>> {
	await ndv.getByTestId('node-parameters').first().waitFor({ state: 'visible', timeout: 30_000 });
	return await element(ndv, (root) => {
		let panel = root.querySelector('[data-test-id="node-parameters"]');
		const width = panel?.getBoundingClientRect().width ?? 0;
		while (panel?.parentElement && panel.parentElement !== root && panel.parentElement.getBoundingClientRect().width <= width * 1.15) {
			panel = panel.parentElement;
		}
		return panel;
	});
}

/** The element `find` picks in the page, starting from `scope`. */
async function element(scope: Locator, find: (root: Element) => Element | null | undefined): Promise<ElementHandle<Element>> {
	const found = (await scope.evaluateHandle(find)).asElement();
	if (!found) throw new Error('no element to picture');
	return found;
}

/** Waits until the editor has no spinner or skeleton left in `scope` (options and fields load from Salesforce). */
async function settled(scope: Locator) {
	await scope.locator('.el-loading-mask, .n8n-loading, [class*="skeleton"], [class*="Skeleton"]').first().waitFor({ state: 'detached', timeout: 30_000 }).catch(() => undefined);
	await page.evaluate(() => document.fonts.ready);
	await page.waitForTimeout(300);
}

/** Opens a saved credential's modal and returns the dialog locator. */
async function openCredential(id: string) {
	await page.goto(`${live.n8n.url}/home/credentials/${id}`);
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

describe.runIf(hasChromium)('n8n editor with the package', () => {
	live = useN8n('n8n-ui-', {
		prepare: async ({ emulator, folder }) => {
			await importCredentials(folder.userFolder, credentials(emulator.url));
			await importWorkflows(folder.userFolder, [workflow, ...EXAMPLES.map(({ file: _file, ...example }) => example)]);
		},
	});

	beforeAll(async () => {
		mkdirSync(README_SHOTS, { recursive: true });
		if (UPDATE_PICTURES) mkdirSync(PICTURES, { recursive: true });
		selectors.setTestIdAttribute('data-test-id'); // n8n's attribute
		browser = await chromium.launch({
			executablePath: CHROMIUM,
			args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
		});
		page = await browser.newPage({ viewport: VIEWPORT, deviceScaleFactor: 1 });
	}, 600_000);

	afterAll(async () => {
		await browser?.close();
		console.log(`screenshots: ${SHOTS}`);
	});

	it('logs in as the owner', async () => {
		await page.goto(`${live.n8n.url}/signin`);
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

	it('README picture: the credential form, tested, as a user names it', async () => {
		await page.setViewportSize(PICTURE_VIEWPORT);
		const dialog = await openCredential('uiExampleCc00001');
		expect(await testResult(dialog)).toMatch(/Connection tested successfully/);
		// The whole modal (its header with the name and Save), not only the form inside it.
		const modal = await element(dialog, (root) => root.closest('.el-dialog') ?? root);
		const bytes = await picture('credential-client-credentials', modal);
		await page.setViewportSize(VIEWPORT);
		expect(bytes).toBeLessThanOrEqual(MAX_PICTURE_BYTES);
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
		expect(redirect).toBe(`${live.n8n.url}/rest/oauth2-credential/callback`);
		await shot(`06-credential-${label.replace(/\s/g, '-')}`);
	});

	it('opens the node and the trigger panels on a canvas', async () => {
		await page.goto(`${live.n8n.url}/workflow/${workflow.id}`);
		await page.getByTestId('canvas').waitFor({ state: 'visible', timeout: 30_000 });
		await page.waitForTimeout(1000);
		await shot('07-canvas');

		for (const [name, file, readmePicture] of [
			['Salesforce CRM Trigger', '08-trigger-panel', 'trigger'],
			['Salesforce CRM', '09-node-panel', undefined],
		] as const) {
			await page.locator(`[data-node-name="${name}"]`).first().dblclick();
			const ndv = page.getByTestId('ndv');
			await ndv.waitFor({ state: 'visible', timeout: 30_000 });
			// The node's resource mapper lists the required Lead fields it read from the emulator's describe.
			const loaded = name === 'Salesforce CRM' ? /Company[\s\S]*Last Name \(LastName\)/ : /Object[\s\S]*Event[\s\S]*Filters/;
			await expect.poll(() => ndv.innerText(), { timeout: 30_000 }).toMatch(loaded);
			await settled(ndv);
			await shot(file);

			if (readmePicture) {
				await page.setViewportSize(PICTURE_VIEWPORT);
				const bytes = await picture(readmePicture, await parametersPanel(ndv));
				await page.setViewportSize(VIEWPORT);
				expect(bytes).toBeLessThanOrEqual(MAX_PICTURE_BYTES);
			}

			await page.getByTestId('ndv-close-button').first().click().catch(() => page.keyboard.press('Escape'));
			await ndv.waitFor({ state: 'hidden', timeout: 10_000 }).catch(() => page.keyboard.press('Escape'));
		}
	});

	it.each(EXAMPLES.map((example) => [example.file, example] as const))('examples/%s opens on the canvas with its credentials found by name', async (file, example) => {
		await page.setViewportSize({ width: PICTURE_VIEWPORT.width, height: 720 });
		await page.goto(`${live.n8n.url}/workflow/${example.id}`);
		const canvas = page.getByTestId('canvas');
		await canvas.waitFor({ state: 'visible', timeout: 30_000 });
		for (const node of example.nodes.filter((node: { type: string }) => node.type !== 'n8n-nodes-base.stickyNote')) {
			await page.locator(`[data-node-name="${node.name}"]`).first().waitFor({ state: 'visible', timeout: 30_000 });
		}
		// No node shows an issue (a missing credential or parameter would put a warning on it).
		await expect.poll(() => canvas.locator('[data-test-id="node-issues"], [data-test-id="node-setup-required"]').count()).toBe(0);
		await page.getByTestId('zoom-to-fit').click();
		await settled(canvas);
		// The whole window: the workflow's name in the header, the canvas fitted to its nodes.
		const name = `example-${file.replace(/\.json$/, '')}.png`;
		await page.screenshot({ path: join(README_SHOTS, name) });
		if (UPDATE_PICTURES) copyFileSync(join(README_SHOTS, name), join(PICTURES, name));
		expect(statSync(join(README_SHOTS, name)).size).toBeLessThanOrEqual(MAX_PICTURE_BYTES);

		if (file.startsWith('sync-contacts')) {
			// The node, as the example fills it in: the field mapper with expressions.
			await page.setViewportSize(PICTURE_VIEWPORT);
			await page.locator('[data-node-name="Create or update contacts"]').first().dblclick();
			const ndv = page.getByTestId('ndv');
			await ndv.waitFor({ state: 'visible', timeout: 30_000 });
			await expect.poll(() => ndv.innerText(), { timeout: 30_000 }).toMatch(/External Id \(External_Id__c\)[\s\S]*Title/);
			const nodeBytes = await picture('node', await parametersPanel(ndv));
			expect(nodeBytes).toBeLessThanOrEqual(MAX_PICTURE_BYTES);
			await page.getByTestId('ndv-close-button').first().click().catch(() => page.keyboard.press('Escape'));
		}
		await page.setViewportSize(VIEWPORT);
	});
});
