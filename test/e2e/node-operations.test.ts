// Our node in a real n8n (`n8n execute`), against the emulator: every Lead/Contact/Opportunity operation, a
// 1,000-item batch, token expiry, and a partial failure with continue-on-fail. Each scenario is one workflow;
// to add one, add a workflow to `workflows` and an `it` that executes it and checks the emulator's records.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startEmulator, type Emulator } from '../emulator/index.ts';
import {
	NODE_TYPE,
	appCredential,
	executeWorkflow,
	importCredentials,
	importWorkflows,
	itemsNode,
	linearWorkflow,
	nodeError,
	nodeOutput,
	preparedUserFolder,
} from './support.ts';

const CREDENTIAL = 'e2eSalesforce001';
type Params = Record<string, unknown>;

/** A node of our package; `extra` takes node settings such as onError. */
const sf = (name: string, resource: string, operation: string, parameters: Params = {}, extra: Params = {}) => ({
	name,
	type: NODE_TYPE,
	parameters: { resource, operation, ...parameters },
	...extra,
});
const json = (value: unknown) => ({ dataMode: 'json', recordJson: typeof value === 'string' ? value : JSON.stringify(value) });
const byId = (expression: string) => ({ __rl: true, mode: 'id', value: `={{ ${expression} }}` });

const RESOURCES = {
	lead: { sobject: 'Lead', required: { LastName: 'E2E Lead', Company: 'E2E Co' }, change: { Title: 'Countess' } },
	contact: { sobject: 'Contact', required: { LastName: 'E2E Contact' }, change: { Title: 'Engineer' } },
	opportunity: {
		sobject: 'Opportunity',
		required: { Name: 'E2E Opportunity', StageName: 'Prospecting', CloseDate: '2027-01-31' },
		change: { StageName: 'Qualification' },
	},
} as const;
type ResourceName = keyof typeof RESOURCES;

/** create → get → update → add note → upsert (new external ID) → get many (by external ID) → describe → delete. */
function crudWorkflow(resource: ResourceName) {
	const { required, change } = RESOURCES[resource];
	const externalId = `E2E-${resource.toUpperCase()}-1`;
	return linearWorkflow(
		`e2eCrud${resource}`.slice(0, 16),
		[
			sf('Create', resource, 'create', json(required)),
			sf('Get', resource, 'get', { recordId: byId("$('Create').item.json.Id") }),
			sf('Update', resource, 'update', { recordId: byId("$('Create').item.json.Id"), ...json(change) }),
			sf('Add Note', resource, 'addNote', { recordId: byId("$('Create').item.json.Id"), title: 'E2E note', body: 'written by n8n' }),
			sf('Upsert', resource, 'upsert', { externalIdField: 'External_Id__c', ...json({ ...required, External_Id__c: externalId }) }),
			sf('Get Many', resource, 'getAll', { queryMode: 'where', where: `External_Id__c = '${externalId}'`, returnAll: true }),
			sf('Describe', resource, 'describe', {}, { executeOnce: true }),
			sf('Delete', resource, 'delete', { recordId: byId("$('Create').item.json.Id") }),
		],
		{ id: CREDENTIAL },
	);
}

const BATCH = 1000;
const workflows = {
	crud: Object.fromEntries((Object.keys(RESOURCES) as ResourceName[]).map((r) => [r, crudWorkflow(r)])),
	convert: linearWorkflow(
		'e2eLeadConvert01',
		[
			sf('Create', 'lead', 'create', json({ LastName: 'Converted', Company: 'Convert Co' })),
			sf('Convert', 'lead', 'convert', { recordId: byId('$json.Id'), convertedStatus: 'Closed - Converted', createOpportunity: true, opportunityName: 'From lead' }),
		],
		{ id: CREDENTIAL },
	),
	campaign: (campaignId: string) =>
		linearWorkflow(
			'e2eCampaign00001',
			[
				sf('Create', 'lead', 'create', json({ LastName: 'Campaigner', Company: 'Campaign Co' })),
				sf('Add To Campaign', 'lead', 'addToCampaign', { recordId: byId('$json.Id'), campaignId: { __rl: true, mode: 'id', value: campaignId } }),
			],
			{ id: CREDENTIAL },
		),
	batch: linearWorkflow(
		'e2eBatch1000lead',
		[
			itemsNode(
				'Rows',
				Array.from({ length: BATCH }, (_, i) => ({ LastName: `Batch ${i}`, Company: 'Batch Co', External_Id__c: `E2E-BATCH-${i}` })),
			),
			sf('Create Many', 'lead', 'create', json('={{ JSON.stringify($json) }}')),
		],
		{ id: CREDENTIAL },
	),
	partial: linearWorkflow(
		'e2ePartialFail01',
		[
			itemsNode('Rows', [
				{ LastName: 'Good One', Company: 'Partial Co' },
				{ Company: 'Missing LastName Co' },
				{ LastName: 'Good Two', Company: 'Partial Co' },
			]),
			sf('Create', 'lead', 'create', json('={{ JSON.stringify($json) }}'), { onError: 'continueRegularOutput' }),
		],
		{ id: CREDENTIAL },
	),
	tokenExpiry: linearWorkflow(
		'e2eTokenExpiry01',
		[
			itemsNode('Rows', Array.from({ length: 450 }, (_, i) => ({ LastName: `Expiry ${i}`, Company: 'Expiry Co' }))),
			sf('Create', 'lead', 'create', json('={{ JSON.stringify($json) }}'), { onError: 'stopWorkflow' }),
		],
		{ id: CREDENTIAL },
	),
};

let emulator: Emulator;
let folder: Awaited<ReturnType<typeof preparedUserFolder>>;
const count = (sobject: string, where: (r: Record<string, unknown>) => boolean) => emulator.store.all(sobject).filter(where).length;

async function run(id: string) {
	emulator.requests.reset();
	const result = await executeWorkflow(folder.userFolder, id);
	const calls = emulator.requests.counts();
	console.log(`${id}: ${result.ms} ms, ok=${result.ok}, API calls ${calls.data} data + ${calls.token} token ${JSON.stringify(calls.byRoute)}`);
	return { ...result, calls };
}

describe('Salesforce CRM node in n8n', () => {
	beforeAll(async () => {
		emulator = await startEmulator({ port: 0 });
		folder = await preparedUserFolder('n8n-e2e-node-');
		const campaignId = emulator.store.all('Campaign')[0].Id as string;
		await importCredentials(folder.userFolder, [appCredential(CREDENTIAL, emulator.url)]);
		await importWorkflows(folder.userFolder, [
			...Object.values(workflows.crud),
			workflows.convert,
			workflows.campaign(campaignId),
			workflows.batch,
			workflows.partial,
			workflows.tokenExpiry,
		]);
	}, 600_000);

	afterAll(async () => {
		await emulator?.close();
		folder?.cleanup();
	});

	it.each(Object.keys(RESOURCES) as ResourceName[])('%s: create, get, update, add note, upsert, get many, describe, delete', async (resource) => {
		const { sobject, required, change } = RESOURCES[resource];
		const result = await run(workflows.crud[resource].id);
		expect(result.error, result.stdout).toBeUndefined();

		const [created] = nodeOutput(result.run, 'Create');
		expect(created.Id).toMatch(/^[a-zA-Z0-9]{18}$/);
		expect(nodeOutput(result.run, 'Get')[0]).toMatchObject({ Id: created.Id, ...required });
		expect(nodeOutput(result.run, 'Update')[0]).toMatchObject({ Id: created.Id });
		const [upserted] = nodeOutput(result.run, 'Upsert');
		expect(upserted).toMatchObject({ created: true });
		const many = nodeOutput(result.run, 'Get Many');
		expect(many.map((r) => r.Id)).toEqual([upserted.Id]);
		const [description] = nodeOutput(result.run, 'Describe');
		expect(JSON.stringify(description)).toContain('External_Id__c');

		// Deleting the parent sends its notes to the Recycle Bin too, as in Salesforce.
		const notes = emulator.store.all('Note', { includeDeleted: true }).filter((n) => n.ParentId === created.Id);
		expect(notes).toMatchObject([{ Title: 'E2E note', Body: 'written by n8n' }]);
		expect(emulator.store.get(sobject, created.Id as string)).toMatchObject({ IsDeleted: true, ...change });
		expect(result.calls.token).toBe(resource === 'lead' ? 1 : 0); // the token is stored by n8n and reused
	});

	it('lead: convert into account, contact and opportunity', async () => {
		const result = await run(workflows.convert.id);
		expect(result.error, result.stdout).toBeUndefined();
		const [converted] = nodeOutput(result.run, 'Convert');
		expect(JSON.stringify(converted)).toMatch(/001[a-zA-Z0-9]{15}/);
		const [lead] = nodeOutput(result.run, 'Create');
		expect(emulator.store.get('Lead', lead.Id as string)).toMatchObject({ IsConverted: true });
	});

	it('lead: add to campaign', async () => {
		const result = await run('e2eCampaign00001');
		expect(result.error, result.stdout).toBeUndefined();
		const [lead] = nodeOutput(result.run, 'Create');
		expect(count('CampaignMember', (m) => m.LeadId === lead.Id)).toBe(1);
	});

	it(`creates ${BATCH} leads in batches, not one call per item`, async () => {
		const result = await run(workflows.batch.id);
		expect(result.error, result.stdout).toBeUndefined();
		const output = nodeOutput(result.run, 'Create Many');
		expect(output).toHaveLength(BATCH);
		expect(count('Lead', (r) => String(r.External_Id__c).startsWith('E2E-BATCH-'))).toBe(BATCH);
		expect(result.calls.data).toBeLessThanOrEqual(15); // describe + 5 Collections calls, or a Bulk 2.0 job
	});

	it('continue-on-fail: one error item for the failing item, the others created', async () => {
		const result = await run(workflows.partial.id);
		expect(result.error, result.stdout).toBeUndefined();
		const taskData = result.run.data.resultData.runData.Create[0].data.main[0];
		expect(taskData).toHaveLength(3);
		expect(taskData[0].json.Id).toBeTruthy();
		expect(taskData[1].json.error).toMatch(/LastName|REQUIRED_FIELD_MISSING/);
		expect(taskData[1].pairedItem).toMatchObject({ item: 1 });
		expect(taskData[2].json.Id).toBeTruthy();
		expect(count('Lead', (r) => r.Company === 'Partial Co')).toBe(2);
	});

	it('token expiry: a stale stored token and a 401 mid-batch are re-granted once, nothing is written twice', async () => {
		emulator.faults.expireTokens(); // the token n8n stored in earlier runs is now invalid
		emulator.faults.inject({ path: '/composite/sobjects', status: 401, errorCode: 'INVALID_SESSION_ID', message: 'Session expired or invalid', count: 1 });
		const result = await run(workflows.tokenExpiry.id);
		expect(result.error, result.stdout).toBeUndefined();
		expect(nodeError(result.run, 'Create')).toBeUndefined();
		expect(nodeOutput(result.run, 'Create')).toHaveLength(450);
		expect(count('Lead', (r) => r.Company === 'Expiry Co')).toBe(450);
		expect(result.calls.token).toBeGreaterThanOrEqual(1);
		expect(result.calls.token).toBeLessThanOrEqual(2);
	});
});
