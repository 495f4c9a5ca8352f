// Figures of the Salesforce CRM node against the emulator, counted from the emulator's request log:
// API calls for 1,000-item create/update/upsert/delete (Collections), for a 10,000-item upsert (Bulk API 2.0), and
// the wall time of a 1,000-item create at 50 ms latency next to one request per item (the built-in node's way).
import type { IDataObject, IExecuteFunctions, INodeParameters, INodeType } from 'n8n-workflow';

import { SalesforceCrm } from '../../nodes/Salesforce/SalesforceCrm.node';
import { CREDENTIAL_TYPE, SalesforceClient, retryPolicy } from '../../nodes/Salesforce/transport';
import { startEmulator, type Emulator } from '../emulator/index.ts';
import { createHarness, type Harness } from '../integration/harness.ts';
import { mapped } from '../integration/node-fixture.ts';

const leadColumns = mapped({ LastName: '={{ $json.last }}', Company: '={{ $json.company }}', External_Id__c: '={{ $json.ext }}' });
const leads = (count: number, prefix: string) =>
	Array.from({ length: count }, (_, index) => ({ last: `${prefix} ${index}`, company: `${prefix} Co`, ext: `${prefix}-${index}` }));

/** One POST per item through the same transport: how n8n's built-in Salesforce node writes. */
const onePerItem: INodeType = {
	description: {
		displayName: 'One Request per Item',
		name: 'onePerItem',
		group: ['transform'],
		version: 1,
		description: 'Creates leads one request at a time',
		defaults: { name: 'One Request per Item' },
		inputs: ['main'],
		outputs: ['main'],
		credentials: [{ name: CREDENTIAL_TYPE, required: true }],
		properties: [],
	},
	async execute(this: IExecuteFunctions) {
		const client = await SalesforceClient.for(this);
		const output = [];
		for (const [index, item] of this.getInputData().entries()) {
			const record = { LastName: item.json.last, Company: item.json.company, External_Id__c: item.json.ext };
			output.push({ json: await client.request<IDataObject>('POST', '/sobjects/Lead', record), pairedItem: { item: index } });
		}
		return [output];
	},
};

interface Measure {
	calls: number;
	ms: number;
	items: number;
}

async function measure(emulator: Emulator, harness: Harness, nodeType: INodeType, parameters: INodeParameters, items: IDataObject[]): Promise<Measure> {
	emulator.requests.reset();
	const started = performance.now();
	const result = await harness.runNode({ nodeType, parameters, items });
	const ms = performance.now() - started;
	if (result.error) throw result.error;
	return { calls: emulator.requests.counts().data, ms, items: result.items.length };
}

export default async function nodeBench(): Promise<void> {
	const baseDelayMs = retryPolicy.baseDelayMs;
	retryPolicy.baseDelayMs = 1;
	const emulator = await startEmulator({ port: 0 });
	try {
		const harness = await createHarness(emulator);
		const node = new SalesforceCrm();
		// Warm-up: the first execution fetches the token and describes Lead (shared with later executions for ten
		// minutes); the figures below count steady-state executions.
		await harness.runNode({ nodeType: node, parameters: { resource: 'lead', operation: 'create', columns: leadColumns }, items: leads(1, 'WarmUp') });

		const input = leads(1000, 'Bench');
		const create = await measure(emulator, harness, node, { resource: 'lead', operation: 'create', columns: leadColumns }, input);
		const ids = (emulator.store.all('Lead') as Array<{ Id: string; External_Id__c?: string }>)
			.filter((lead) => lead.External_Id__c?.startsWith('Bench-'))
			.map((lead) => ({ id: lead.Id }));
		const recordId = { __rl: true, mode: 'id', value: '={{ $json.id }}' };
		const update = await measure(emulator, harness, node, { resource: 'lead', operation: 'update', recordId, columns: mapped({ Rating: 'Warm' }) }, ids);
		const upsertParameters = { resource: 'lead', operation: 'upsert', externalIdField: 'External_Id__c', columns: leadColumns };
		const upsert = await measure(emulator, harness, node, upsertParameters, [...input.slice(0, 500), ...leads(500, 'BenchNew')]);
		const remove = await measure(emulator, harness, node, { resource: 'lead', operation: 'delete', recordId }, ids);
		const bulk = await measure(emulator, harness, node, upsertParameters, leads(10_000, 'Bulk'));

		emulator.faults.setLatency(50);
		const batched = await measure(emulator, harness, node, { resource: 'lead', operation: 'create', columns: leadColumns }, leads(1000, 'Timed'));
		const single = await measure(emulator, harness, onePerItem, {}, leads(1000, 'TimedSingle'));
		emulator.faults.setLatency(0);

		const row = (label: string, value: string, target: string) => console.log(`  ${label.padEnd(52)} ${value.padStart(12)}   ${target}`);
		console.log('\nSalesforce CRM node (API calls counted by the emulator, steady state: token and describe reused)');
		row('create 1,000 leads (sObject Collections)', `${create.calls} calls`, 'target ≤ 5');
		row('update 1,000 leads', `${update.calls} calls`, 'target ≤ 5');
		row('upsert 1,000 leads (500 updated, 500 created)', `${upsert.calls} calls`, 'target ≤ 5');
		row('delete 1,000 leads', `${remove.calls} calls`, 'target ≤ 5');
		row('upsert 10,000 leads (Bulk API 2.0, automatic)', `${bulk.calls} calls`, 'target ≤ 10');
		row('create 1,000 leads at 50 ms latency, batched', `${(batched.ms / 1000).toFixed(2)} s`, `${batched.calls} calls`);
		row('create 1,000 leads at 50 ms latency, one per item', `${(single.ms / 1000).toFixed(2)} s`, `${single.calls} calls`);
		row('speed-up', `${(single.ms / batched.ms).toFixed(0)}×`, '');
	} finally {
		retryPolicy.baseDelayMs = baseDelayMs;
		await emulator.close();
	}
}
