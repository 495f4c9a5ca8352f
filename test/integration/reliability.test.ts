// Issue 8 items 3–6 through n8n-core: writes whose answer never arrived (OUTCOME_UNKNOWN, or replayed where that is
// safe), timeouts that name their option, and keep-alive sockets the server closed while items were being built.
import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { SalesforceCrm } from '../../nodes/Salesforce/SalesforceCrm.node';
import { SalesforceCrmTrigger } from '../../nodes/Salesforce/SalesforceCrmTrigger.node';
import { retryPolicy } from '../../nodes/Salesforce/transport';
import { startEmulator, type Emulator } from '../emulator/index.ts';
import { createHarness, type Harness, type OnError } from './harness';
import { byId, mapped } from './node-fixture.ts';

/** Shorter than Node's default 5 s, so that the idle gap the tests need stays short. */
const SERVER_KEEP_ALIVE_MS = 2000;

let emulator: Emulator;
let harness: Harness;
const nodeType = new SalesforceCrm();

beforeAll(async () => {
	retryPolicy.baseDelayMs = 1;
	emulator = await startEmulator({ port: 0, keepAliveTimeoutMs: SERVER_KEEP_ALIVE_MS });
	harness = await createHarness(emulator);
});
afterAll(async () => await emulator?.close());
beforeEach(() => {
	emulator.faults.reset();
	emulator.requests.reset();
});

const run = (parameters: INodeParameters, items: IDataObject[], onError?: OnError) => harness.runNode({ nodeType, parameters, items, onError });

const leads = (count: number, prefix: string) =>
	Array.from({ length: count }, (_, index) => ({ last: `${prefix} ${index}`, ext: `${prefix}-${index}` }));

const createLeads = (options: INodeParameters = {}, lastName = '={{ $json.last }}'): INodeParameters => ({
	resource: 'lead',
	operation: 'create',
	columns: mapped({ LastName: lastName, Company: 'Reliability Co', External_Id__c: '={{ $json.ext }}' }),
	options,
});

/** The emulator's live leads created from `leads(…, prefix)`. */
const stored = (prefix: string) => emulator.store.all('Lead').filter((lead) => String(lead.External_Id__c).startsWith(`${prefix}-`));

/** Leads saved directly in the emulator, for the tests that change existing records. */
const seedLeads = (count: number, prefix: string) =>
	leads(count, prefix).map(({ last, ext }) => String(emulator.store.insert('Lead', { LastName: last, Company: 'Seed Co', External_Id__c: ext }).Id));

/** Calls to the sObject Collections route with this method. */
function collectionCalls(method: string): number {
	return (emulator.requests.counts().byRoute as Record<string, number>)[`${method} /services/data/v{version}/composite/sobjects`] ?? 0;
}

describe('a write whose connection closes before Salesforce answers', () => {
	it('create: the lost chunk’s items are OUTCOME_UNKNOWN (the records exist), no item is reported failed, nothing is sent twice', async () => {
		emulator.faults.inject({ kind: 'dropAfter', method: 'POST', path: '/composite/sobjects', nth: 2 });
		const result = await run(createLeads(), leads(450, 'Lost'), 'continueRegularOutput');

		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.pairedItem)).toEqual(leads(450, '').map((_, item) => ({ item })));
		const unknown = result.items.slice(200, 400);
		for (const item of unknown) {
			expect(item.json).toMatchObject({ errorCode: 'OUTCOME_UNKNOWN', outcome: 'unknown' });
			expect(item.json.error).toMatch(/^OUTCOME_UNKNOWN: The connection closed before Salesforce answered, so the create may or may not have been saved \(item \d+\)$/);
		}
		expect([...result.items.slice(0, 200), ...result.items.slice(400)].every((item) => typeof item.json.Id === 'string')).toBe(true);
		expect(result.items.filter((item) => item.json.error && item.json.errorCode !== 'OUTCOME_UNKNOWN')).toEqual([]);
		// Salesforce saved the lost chunk: every record once, none twice.
		expect(stored('Lost')).toHaveLength(450);
		expect(collectionCalls('POST')).toBe(3);
	});

	it('create without continue-on-fail: the node stops with OUTCOME_UNKNOWN, saying the record may exist and how to check', async () => {
		emulator.faults.inject({ kind: 'dropAfter', method: 'POST', path: '/composite/sobjects' });
		const result = await run(createLeads(), leads(3, 'Stopped'));
		expect(result.error?.message).toMatch(/^OUTCOME_UNKNOWN: .* may or may not have been saved \(item 0\)$/);
		expect((result.error as { description?: string }).description).toMatch(/^The record may exist in Salesforce\. Before running the workflow again, look it up/);
		expect(stored('Stopped')).toHaveLength(3);
	});

	it('update: sent again, every item updated', async () => {
		const ids = seedLeads(300, 'Warm');
		emulator.faults.inject({ kind: 'dropAfter', method: 'PATCH', path: '/composite/sobjects' });
		const result = await run(
			{ resource: 'lead', operation: 'update', recordId: byId('={{ $json.id }}'), columns: mapped({ Rating: 'Hot' }) },
			ids.map((id) => ({ id })),
		);
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json.Rating)).toEqual(ids.map(() => 'Hot'));
		expect(stored('Warm').every((lead) => lead.Rating === 'Hot')).toBe(true);
		expect(collectionCalls('PATCH')).toBe(3);
	});

	it('delete: sent again, and ENTITY_IS_DELETED for a record of the lost call counts as deleted', async () => {
		const ids = seedLeads(250, 'Doomed');
		emulator.faults.inject({ kind: 'dropAfter', method: 'DELETE', path: '/composite/sobjects' });
		const result = await run({ resource: 'lead', operation: 'delete', recordId: byId('={{ $json.id }}') }, ids.map((id) => ({ id })));
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json)).toEqual(ids.map((Id) => ({ Id, deleted: true })));
		expect(stored('Doomed')).toEqual([]);
		expect(collectionCalls('DELETE')).toBe(3);
	});

	it('upsert: sent again; created is true only where that is certain, otherwise null with a note (never a wrong false)', async () => {
		seedLeads(100, 'Mixed');
		const input = leads(200, 'Mixed'); // 0–99 exist, 100–199 are new
		emulator.faults.inject({ kind: 'dropAfter', method: 'PATCH', path: '/composite/sobjects/Lead/External_Id__c' });
		const result = await run(
			{
				resource: 'lead',
				operation: 'upsert',
				externalIdField: 'External_Id__c',
				columns: mapped({ LastName: '={{ $json.last }}', Company: 'Upsert Co', External_Id__c: '={{ $json.ext }}' }),
			},
			input,
		);
		expect(result.error).toBeUndefined();
		// The lost call created 100–199 and updated 0–99; the replay found all 200, so no item may claim created: false.
		for (const item of result.items) {
			expect(item.json.created).toBeNull();
			expect(item.json.note).toMatch(/whether it was created or updated is unknown/);
		}
		expect(stored('Mixed')).toHaveLength(200);
		expect(new Set(stored('Mixed').map((lead) => lead.External_Id__c)).size).toBe(200);
	});

	it('a read is sent again transparently', async () => {
		const [id] = seedLeads(1, 'Read');
		emulator.faults.inject({ kind: 'dropAfter', method: 'GET', path: '/query' });
		const result = await run({ resource: 'lead', operation: 'get', recordId: byId(id) }, [{}]);
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({ Id: id, LastName: 'Read 0' });
	});
});

describe('timeouts', () => {
	it('a hung read stops after the Timeout option with an error naming it', async () => {
		// Opportunity is described for the first time in this file: its describe is the request that hangs.
		emulator.faults.inject({ kind: 'hang', method: 'GET', path: '/sobjects/Opportunity/describe' });
		const started = Date.now();
		const result = await run(
			{ resource: 'opportunity', operation: 'create', columns: mapped({ Name: 'Hung', StageName: 'Prospecting', CloseDate: '2030-01-01' }), options: { timeout: 1 } },
			[{}],
		);
		expect(result.error?.message).toBe('Salesforce did not answer within 1 s (option Timeout)');
		expect(Date.now() - started).toBeLessThan(5000);
	}, 15_000);

	it('a hung write is an unknown outcome whose message names the option', async () => {
		emulator.faults.inject({ kind: 'hang', method: 'POST', path: '/composite/sobjects' });
		const result = await run(createLeads({ timeout: 1 }), leads(2, 'Hung'), 'continueRegularOutput');
		expect(result.items).toHaveLength(2);
		for (const item of result.items) {
			expect(item.json).toMatchObject({ errorCode: 'OUTCOME_UNKNOWN', outcome: 'unknown' });
			expect(item.json.error).toMatch(/^OUTCOME_UNKNOWN: Salesforce did not answer within 1 s \(option Timeout\), so the create may or may not have been saved/);
		}
	}, 15_000);

	it('a hung lead conversion (SOAP) is an unknown outcome, not a failure', async () => {
		const [leadId] = seedLeads(1, 'Converting');
		emulator.faults.inject({ kind: 'hang', method: 'POST', path: '/services/Soap/' });
		const result = await run(
			{ resource: 'lead', operation: 'convert', recordId: byId(leadId), convertedStatus: 'Closed - Converted', options: { timeout: 1 } },
			[{}],
			'continueRegularOutput',
		);
		expect(result.items).toHaveLength(1);
		expect(result.items[0].json).toMatchObject({ errorCode: 'OUTCOME_UNKNOWN', outcome: 'unknown' });
		expect(result.items[0].json.error).toMatch(/^OUTCOME_UNKNOWN: Salesforce did not answer within 1 s \(option Timeout\)/);
	}, 15_000);

	it('Get Many, Get and the trigger take the Timeout option too', async () => {
		const [leadId] = seedLeads(1, 'Timed read');
		emulator.faults.inject({ kind: 'hang', method: 'GET', path: '/query', count: 3 });
		const getMany = await run({ resource: 'lead', operation: 'getAll', limit: 5, options: { timeout: 1 } }, [{}]);
		expect(getMany.error?.message).toMatch(/^Salesforce did not answer within 1 s \(option Timeout\)/);
		const get = await run({ resource: 'lead', operation: 'get', recordId: byId(leadId), options: { timeout: 1 } }, [{}]);
		expect(get.error?.message).toMatch(/^Salesforce did not answer within 1 s \(option Timeout\)/);
		const poll = harness.poll({ nodeType: new SalesforceCrmTrigger(), parameters: { sobject: 'Lead', event: 'created', options: { timeout: 1 } } });
		await expect(poll).rejects.toThrow('Salesforce did not answer within 1 s (option Timeout)');
	}, 30_000);

	it('refuses a Timeout outside 1–600 seconds, naming the option', async () => {
		const result = await run(createLeads({ timeout: 0 }), leads(1, 'Zero'));
		expect(result.error?.message).toMatch(/^Timeout must be a number of seconds between 1 and 600, not 0$/);
		expect(stored('Zero')).toEqual([]);
	});
});

/**
 * Building the items takes longer than the server keeps an idle connection: the second item's expression blocks the
 * event loop (as 20,000 items of real expressions do), so no idle timer can close the socket in time, and the first
 * write would go out on a connection the server has closed.
 */
describe('idle keep-alive connections closed by the server while items are built', () => {
	const slowSecondItem = `={{ $itemIndex === 1 ? (() => { const until = Date.now() + ${SERVER_KEEP_ALIVE_MS + 1000}; while (Date.now() < until) {} return $json.last; })() : $json.last }}`;

	it.each([
		[20_000, 'never'],
		[50_000, 'never'],
		[20_000, 'auto'],
		[50_000, 'auto'],
	])('creates %i leads (Use Bulk API 2.0: %s): every item once, no duplicates', async (count, bulkMode) => {
		const prefix = `Idle${count}${bulkMode}`;
		// A field created since Lead was described: item 0 describes again, leaving a socket idle right before item 1.
		const field = `${prefix}__c`;
		emulator.store.addField('Lead', { name: field, type: 'string', label: prefix });
		// No External ID here: the emulator checks a unique field against every stored record, which 70,000 make slow.
		const parameters = {
			resource: 'lead',
			operation: 'create',
			columns: mapped({ LastName: slowSecondItem, Company: 'Idle Co', [field]: 'x' }),
			options: { bulkMode },
		};
		const result = await run(parameters, leads(count, prefix));
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(count);
		expect(result.items.every((item, index) => (item.pairedItem as { item: number }).item === index && typeof item.json.Id === 'string')).toBe(true);
		const names = emulator.store.all('Lead').filter((lead) => String(lead.LastName).startsWith(`${prefix} `)).map((lead) => lead.LastName);
		expect(names).toHaveLength(count);
		expect(new Set(names).size).toBe(count);
	}, 180_000);
});
