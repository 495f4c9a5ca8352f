// The package as n8n installs it (packed, installed into a nodes folder without dependencies, jsforce bundled in
// dist/vendor) run through n8n-core against the emulator: the node, both triggers and the credential, loaded from the
// installed dist by package.json's "n8n" section as n8n loads them, with n8n-workflow provided from outside as n8n
// provides it. The e2e suite runs this file on Node 24 (n8n 2.x); its last test runs it again on Node 20
// (/usr/bin/node, or $NODE20: the Node of n8n 1.x) against the same installed package and emulator.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

import type { ICredentialType, IDataObject, INodeType } from 'n8n-workflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createHarness, type Harness } from '../integration/harness.ts';
import { PACKAGE_NAME, preparedUserFolder, root } from './support.ts';

/** Set when this file runs itself on Node 20: the installed package and the emulator to use. */
const CHILD = { packageDir: process.env.BUNDLE_TEST_PACKAGE_DIR, emulatorUrl: process.env.BUNDLE_TEST_EMULATOR_URL };
const inChild = CHILD.packageDir !== undefined;
const NODE20 = process.env.NODE20 ?? '/usr/bin/node';
const node20Version = !inChild && existsSync(NODE20) ? execFileSync(NODE20, ['--version'], { encoding: 'utf8' }).trim() : '';

let packageDir: string;
let emulatorUrl: string;
let cleanup = async () => {};
let harness: Harness;
const types = new Map<string, INodeType>();
let credentialType: ICredentialType;

/** Loads every node and credential package.json's "n8n" section lists, from the installed package. */
function loadInstalled(dir: string) {
	const load = createRequire(join(dir, 'package.json'));
	const { n8n } = load('./package.json') as { n8n: { nodes: string[]; credentials: string[] } };
	const instance = <T>(file: string) => new (Object.values(load(`./${file}`) as Record<string, new () => T>)[0])();
	for (const file of n8n.nodes) {
		const type = instance<INodeType>(file);
		types.set(type.description.name, type);
	}
	[credentialType] = n8n.credentials.map((file) => instance<ICredentialType>(file));
}

beforeAll(async () => {
	if (inChild) {
		packageDir = CHILD.packageDir!;
		emulatorUrl = CHILD.emulatorUrl!;
	} else {
		const { startEmulator } = await import('../emulator/index.ts');
		const emulator = await startEmulator({ port: 0 });
		const folder = await preparedUserFolder('n8n-e2e-bundle-');
		const nodeModules = join(folder.userFolder, '.n8n', 'nodes', 'node_modules');
		packageDir = join(nodeModules, PACKAGE_NAME);
		// The peer dependency, as n8n provides it to the packages it loads (n8n puts its own modules on the path).
		symlinkSync(join(root, 'node_modules', 'n8n-workflow'), join(nodeModules, 'n8n-workflow'), 'dir');
		emulatorUrl = emulator.url;
		cleanup = async () => {
			await emulator.close();
			folder.cleanup();
		};
	}
	loadInstalled(packageDir);
	harness = await createHarness({ url: emulatorUrl }, { credentialType });
}, 600_000);

afterAll(async () => await cleanup());

const node = () => types.get('salesforceCrm')!;
const byId = (value: string) => ({ __rl: true, mode: 'id', value });
const columns = (value: IDataObject) => ({ mappingMode: 'defineBelow', value, matchingColumns: [], schema: [], attemptToConvertTypes: false, convertFieldsToString: false });
const label = `Bundle ${process.version}`;

async function json(parameters: IDataObject, items?: IDataObject[]) {
	const result = await harness.runNode({ nodeType: node(), parameters: parameters as never, items });
	if (result.error) throw result.error;
	return result.items.map((item) => item.json);
}

async function createLeads(names: string[], options: IDataObject = {}) {
	const created = await json(
		{ resource: 'lead', operation: 'create', columns: columns({ LastName: '={{ $json.name }}', Company: label }), options },
		names.map((name) => ({ name: `${label} ${name}` })),
	);
	return created.map((record) => record.Id as string);
}

describe(`the installed package through n8n-core on Node ${process.version}`, () => {
	it('loads the node, both triggers and the credential from dist, with no jsforce to resolve outside it', () => {
		if (inChild) expect(process.version).toMatch(/^v20\./);
		expect([...types.keys()].sort()).toEqual(['salesforceCrm', 'salesforceCrmInstantTrigger', 'salesforceCrmTrigger']);
		expect(credentialType.name).toBe('salesforceAppOAuth2Api');
		expect(() => createRequire(join(packageDir, 'package.json')).resolve('jsforce')).toThrow(/Cannot find module 'jsforce'/);
	});

	it('creates leads (sObject Collections) and reads them back (describe, SOQL)', async () => {
		const ids = await createLeads(['Ada', 'Grace']);
		expect(ids).toHaveLength(2);
		const read = await json(
			{ resource: 'lead', operation: 'get', recordId: byId('={{ $json.id }}') },
			ids.map((id) => ({ id })),
		);
		expect(read.map((record) => [record.Id, record.LastName])).toEqual([
			[ids[0], `${label} Ada`],
			[ids[1], `${label} Grace`],
		]);
	});

	it('creates leads through Bulk API 2.0', async () => {
		const ids = await createLeads(['Bulk 1', 'Bulk 2'], { bulkMode: 'always' });
		expect(ids).toEqual([expect.stringMatching(/^00Q/), expect.stringMatching(/^00Q/)]);
	});

	it('converts a lead (SOAP API)', async () => {
		const [leadId] = await createLeads(['Convert']);
		const [result] = await json({ resource: 'lead', operation: 'convert', recordId: byId(leadId), convertedStatus: 'Closed - Converted', createOpportunity: false });
		expect(result).toMatchObject({ leadId, accountId: expect.stringMatching(/^001/), contactId: expect.stringMatching(/^003/) });
	});

	it("the polling trigger's Fetch Test Event returns the newest lead", async () => {
		const [newest] = await createLeads(['Newest']);
		const { items } = await harness.poll({ nodeType: types.get('salesforceCrmTrigger')!, parameters: { sobject: 'Lead', event: 'created' }, mode: 'manual' });
		expect(items?.[0]?.[0]?.json).toMatchObject({ Id: newest, $event: { type: 'created' } });
	});

	it('the instant trigger subscribes (faye, CometD) and emits the lead created next', async () => {
		const live = await harness.activateTrigger({ nodeType: types.get('salesforceCrmInstantTrigger')!, parameters: { sobject: 'Lead', events: ['created'] } });
		try {
			const [id] = await createLeads(['Instant']);
			const [item] = await live.waitForItems(1);
			expect(item.json).toMatchObject({ Id: id, $event: { type: 'created', object: 'Lead' } });
		} finally {
			await live.close();
		}
	});

	it.runIf(!inChild)('passes the same tests on Node 20, the Node of n8n 1.x', async (context) => {
		if (!node20Version.startsWith('v20.')) {
			console.log(`no Node 20 at ${NODE20} (${node20Version || 'missing'}): set NODE20 to a Node 20 binary to run this test`);
			context.skip();
		}
		// Vitest runs on Node 20 too; the emulator stays in this process (it needs Node 22's JSON.rawJSON).
		const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('VITEST') && key !== 'NODE_OPTIONS'));
		const child = spawn(
			NODE20,
			[join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--config', 'test/vitest.config.ts', '--project', 'e2e', '--reporter=verbose', 'test/e2e/bundle.test.ts'],
			{ cwd: root, env: { ...env, NO_COLOR: '1', BUNDLE_TEST_PACKAGE_DIR: packageDir, BUNDLE_TEST_EMULATOR_URL: emulatorUrl }, stdio: ['ignore', 'pipe', 'pipe'] },
		);
		let output = '';
		child.stdout.on('data', (chunk) => (output += chunk));
		child.stderr.on('data', (chunk) => (output += chunk));
		const code = await new Promise((resolve) => child.on('close', resolve));
		console.log(`Node 20 (${node20Version}) run:\n${output}`);
		expect(code, output).toBe(0);
		expect(output).toMatch(new RegExp(`on Node ${node20Version.replace(/\./g, '\\.')}`));
		expect(output).toMatch(/Tests +6 passed/);
	});
});
