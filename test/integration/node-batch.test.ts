// Many items: Collections of 200, Bulk API 2.0, per-item results and pairedItem, continue-on-fail, retries,
// token expiry in the middle of a batch, API limit errors.
import type { IDataObject } from 'n8n-workflow';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { DEFAULT_PARALLEL_CALLS } from '../../nodes/Salesforce/actions/toolkit/batch';
import { byId, mapped, startNodeFixture, type NodeFixture } from './node-fixture.ts';

let fixture: NodeFixture;
beforeAll(async () => {
	fixture = await startNodeFixture();
});
afterAll(async () => await fixture?.close());
beforeEach(() => {
	fixture.emulator.faults.reset();
	fixture.emulator.requests.reset();
});

const leads = (count: number, prefix: string) =>
	Array.from({ length: count }, (_, index) => ({ last: `${prefix} ${index}`, ext: `${prefix}-${index}` }));

const createLeads = {
	resource: 'lead',
	operation: 'create',
	columns: mapped({ LastName: '={{ $json.last }}', Company: 'Batch Co', External_Id__c: '={{ $json.ext }}' }),
};

/** Calls to one route of the emulator's request log, e.g. 'POST /composite/sobjects'. */
function callsTo(pattern: RegExp): number {
	const { byRoute } = fixture.emulator.requests.counts();
	return Object.entries(byRoute as Record<string, number>)
		.filter(([route]) => pattern.test(route))
		.reduce((sum, [, count]) => sum + count, 0);
}

const COLLECTIONS = /composite\/sobjects/;

describe('sObject Collections', () => {
	it('creates, updates, upserts and deletes 1,000 items in 5 calls each, one output item per input item', async () => {
		const input = leads(1000, 'Bulkless');
		const created = await fixture.run(createLeads, input);
		expect(created.error).toBeUndefined();
		expect(created.items).toHaveLength(1000);
		expect(callsTo(COLLECTIONS)).toBe(5);
		created.items.forEach((item, index) => {
			expect(item.pairedItem).toEqual({ item: index });
			expect(item.json).toMatchObject({ LastName: `Bulkless ${index}`, External_Id__c: `Bulkless-${index}` });
		});

		const ids = created.items.map((item) => ({ id: item.json.Id as string }));
		fixture.emulator.requests.reset();
		const updated = await fixture.run(
			{ resource: 'lead', operation: 'update', recordId: byId('={{ $json.id }}'), columns: mapped({ Rating: 'Hot' }) },
			ids,
		);
		expect(updated.items.filter((item) => item.json.Rating === 'Hot')).toHaveLength(1000);
		expect(callsTo(COLLECTIONS)).toBe(5);

		fixture.emulator.requests.reset();
		const upserted = await fixture.run(
			{
				resource: 'lead',
				operation: 'upsert',
				externalIdField: 'External_Id__c',
				columns: mapped({ LastName: '={{ $json.last }}', Company: 'Upsert Co', External_Id__c: '={{ $json.ext }}' }),
			},
			[...input.slice(0, 500), ...leads(500, 'Fresh')],
		);
		expect(upserted.items.map((item) => item.json.created)).toEqual([...Array(500).fill(false), ...Array(500).fill(true)]);
		expect(callsTo(COLLECTIONS)).toBe(5);

		fixture.emulator.requests.reset();
		const deleted = await fixture.run({ resource: 'lead', operation: 'delete', recordId: byId('={{ $json.id }}') }, ids);
		expect(deleted.items.every((item) => item.json.deleted === true)).toBe(true);
		expect(callsTo(COLLECTIONS)).toBe(5);
	});

	it('with continue-on-fail, exactly the failed items become error items with Salesforce’s statusCode and fields', async () => {
		const input: IDataObject[] = [{ last: 'A' }, { last: '' }, { last: 'C' }, { last: '' }, { last: 'E' }];
		const result = await fixture.run(
			{ resource: 'lead', operation: 'create', columns: mapped({ LastName: '={{ $json.last }}', Company: 'Partial' }) },
			input,
			'continueRegularOutput',
		);
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.pairedItem)).toEqual(input.map((_, item) => ({ item })));
		const failed = result.items.filter((item) => item.json.error);
		expect(failed.map((item) => item.pairedItem)).toEqual([{ item: 1 }, { item: 3 }]);
		expect(failed[0].json).toMatchObject({ statusCode: 'REQUIRED_FIELD_MISSING', fields: ['LastName'] });
		expect(failed[0].json.error).toMatch(/^REQUIRED_FIELD_MISSING: .* \(item 1\)$/);
		expect(result.items.filter((item) => item.json.Id)).toHaveLength(3);
	});

	it('without continue-on-fail, the first failure stops the node with a NodeApiError naming the item', async () => {
		const result = await fixture.run(
			{ resource: 'lead', operation: 'create', columns: mapped({ LastName: '={{ $json.last }}', Company: 'Partial' }) },
			[{ last: 'A' }, { last: '' }, { last: '' }],
		);
		expect(result.error).toMatchObject({ name: 'NodeApiError', httpCode: '400', context: { itemIndex: 1 } });
		expect(result.error?.message).toMatch(/^REQUIRED_FIELD_MISSING: .* \(item 1\)$/);
	});

	it('routes failed items to the error output when the node continues using it', async () => {
		const result = await fixture.harness.runNode({
			nodeType: fixture.nodeType,
			parameters: { resource: 'lead', operation: 'create', columns: mapped({ LastName: '={{ $json.last }}', Company: 'Routed' }) },
			items: [{ last: 'A' }, { last: '' }, { last: 'C' }],
			onError: 'continueErrorOutput',
		});
		const [success, errors] = result.outputs;
		expect(success.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 2 }]);
		expect(errors).toHaveLength(1);
		expect(errors[0].json).toMatchObject({
			error: expect.stringMatching(/^REQUIRED_FIELD_MISSING: .* \(item 1\)$/),
			details: { statusCode: 'REQUIRED_FIELD_MISSING', fields: ['LastName'] },
		});
	});

	it('shares describe across executions, and notices a field created since', async () => {
		await fixture.run(createLeads, leads(1, 'Warm'));
		fixture.emulator.requests.reset();
		await fixture.run(createLeads, leads(1, 'Steady'));
		expect(fixture.emulator.requests.counts().data).toBe(1);

		fixture.emulator.store.addField('Lead', { name: 'Shoe_Size__c', type: 'double', label: 'Shoe Size' });
		const [lead] = await fixture.json(
			{ resource: 'lead', operation: 'create', columns: mapped({ LastName: 'New field', Company: 'Fresh', Shoe_Size__c: '44' }) },
			[{}],
		);
		expect(fixture.emulator.store.get('Lead', lead.Id as string)).toMatchObject({ Shoe_Size__c: 44 });
	});

	it('stops sending chunks after the chunk that held a failure; calls already in flight finish first', async () => {
		const failAt10 = (count: number, prefix: string) => leads(count, prefix).map((item, index) => (index === 10 ? { ...item, last: '' } : item));
		const oneAtATime = await fixture.run({ ...createLeads, options: { parallelCalls: 1 } }, failAt10(600, 'Stop'));
		expect(oneAtATime.error?.message).toMatch(/\(item 10\)$/);
		expect(callsTo(COLLECTIONS)).toBe(1);

		fixture.emulator.requests.reset();
		const parallel = await fixture.run(createLeads, failAt10(1000, 'StopParallel'));
		expect(parallel.error?.message).toMatch(/\(item 10\)$/);
		// Chunks 0-3 were in flight together (the default Parallel Calls, 4); chunk 4 was never sent.
		expect(callsTo(COLLECTIONS)).toBe(DEFAULT_PARALLEL_CALLS);
		const saved = new Set(fixture.emulator.store.all('Lead').map((lead) => lead.LastName));
		expect(saved.has('StopParallel 799')).toBe(true);
		expect(saved.has('StopParallel 800')).toBe(false);
	});

	it('sends up to Parallel Calls Collections calls at once, results in input order and paired', async () => {
		fixture.emulator.faults.setLatency(50);
		const parallel = await fixture.run(createLeads, leads(1000, 'Parallel'));
		expect(fixture.emulator.requests.counts().peakConcurrentData).toBe(DEFAULT_PARALLEL_CALLS);
		expect(parallel.items.map((item) => [item.json.LastName, item.pairedItem])).toEqual(
			leads(1000, 'Parallel').map((lead, index) => [lead.last, { item: index }]),
		);

		fixture.emulator.requests.reset();
		const two = await fixture.run({ ...createLeads, options: { parallelCalls: 2 } }, leads(1000, 'ParallelTwo'));
		expect(two.items.filter((item) => item.json.Id)).toHaveLength(1000);
		expect(fixture.emulator.requests.counts().peakConcurrentData).toBe(2);
	});

	it('writes a record named by two chunks one call at a time, so the later item wins', async () => {
		const created = await fixture.run(createLeads, leads(2, 'Twice'));
		const [first, second] = created.items.map((item) => item.json.Id as string);
		// 400 updates: item 0 and item 399 (chunks 0 and 1) both update the first lead.
		const updates = Array.from({ length: 400 }, (_, index) => ({ id: index === 0 || index === 399 ? first : second, rating: index === 399 ? 'Cold' : 'Hot' }));
		fixture.emulator.faults.setLatency(50);
		fixture.emulator.requests.reset();
		const updated = await fixture.run(
			{ resource: 'lead', operation: 'update', recordId: byId('={{ $json.id }}'), columns: mapped({ Rating: '={{ $json.rating }}' }) },
			updates,
		);
		expect(updated.error).toBeUndefined();
		expect(fixture.emulator.requests.counts().peakConcurrentData).toBe(1);
		expect(fixture.emulator.store.get('Lead', first)?.Rating).toBe('Cold');
	});

	it('survives a token expiry in the middle of a 1,000-item batch: no failed items', async () => {
		const expireAfterFirstCall = () => {
			const timer = setInterval(() => {
				if (callsTo(COLLECTIONS) >= 1) {
					fixture.emulator.faults.expireTokens();
					clearInterval(timer);
				}
			}, 2);
			return timer;
		};
		fixture.emulator.faults.setLatency(20);
		const updatesBefore = fixture.harness.tokenUpdates;
		let timer = expireAfterFirstCall();
		const oneAtATime = await fixture.run({ ...createLeads, options: { parallelCalls: 1 } }, leads(1000, 'Expiry'));
		clearInterval(timer);
		expect(oneAtATime.error).toBeUndefined();
		expect(oneAtATime.items.filter((item) => item.json.Id)).toHaveLength(1000);
		expect(fixture.harness.tokenUpdates).toBe(updatesBefore + 1);
		expect(callsTo(COLLECTIONS)).toBe(6);

		// Calls in flight together when the token expires each meet the 401 once, then wait for one shared renewal.
		fixture.emulator.requests.reset();
		timer = expireAfterFirstCall();
		const parallel = await fixture.run(createLeads, leads(1000, 'ExpiryParallel'));
		clearInterval(timer);
		expect(parallel.error).toBeUndefined();
		expect(parallel.items.filter((item) => item.json.Id)).toHaveLength(1000);
		expect(fixture.harness.tokenUpdates).toBe(updatesBefore + 2);
		expect(callsTo(COLLECTIONS)).toBeGreaterThan(5);
		expect(callsTo(COLLECTIONS)).toBeLessThanOrEqual(5 + DEFAULT_PARALLEL_CALLS);
	});

	it('retries a call that met UNABLE_TO_LOCK_ROW', async () => {
		fixture.emulator.faults.inject({ path: '/composite/sobjects', status: 400, errorCode: 'UNABLE_TO_LOCK_ROW', message: 'unable to obtain exclusive access to this record', count: 2 });
		const result = await fixture.run(createLeads, leads(300, 'Locked'));
		expect(result.error).toBeUndefined();
		expect(result.items.filter((item) => item.json.Id)).toHaveLength(300);
		expect(callsTo(COLLECTIONS)).toBe(4);
	});

	it('reports REQUEST_LIMIT_EXCEEDED clearly, and as error items with continue-on-fail', async () => {
		fixture.emulator.faults.inject({ path: '/composite/sobjects', status: 403, errorCode: 'REQUEST_LIMIT_EXCEEDED', message: 'TotalRequests Limit exceeded.', count: 10 });
		const stopped = await fixture.run(createLeads, leads(3, 'Limit'));
		expect(stopped.error?.message).toMatch(/^REQUEST_LIMIT_EXCEEDED: TotalRequests Limit exceeded\. \(item 0\)$/);
		expect((stopped.error as { description?: string }).description).toMatch(/API request limit/);
		const continued = await fixture.run(createLeads, leads(3, 'Limit'), 'continueRegularOutput');
		expect(continued.items.map((item) => item.json.errorCode)).toEqual(Array(3).fill('REQUEST_LIMIT_EXCEEDED'));
		expect(continued.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	});

	it('evaluates the external ID expression per item and groups items by external ID field', async () => {
		const result = await fixture.run(
			{
				resource: 'contact',
				operation: 'upsert',
				externalIdField: 'External_Id__c',
				columns: mapped({ LastName: '={{ $json.last }}', External_Id__c: '={{ "PER-ITEM-" + $itemIndex }}' }),
			},
			[{ last: 'One' }, { last: 'Two' }],
		);
		expect(result.items.map((item) => item.json.External_Id__c)).toEqual(['PER-ITEM-0', 'PER-ITEM-1']);
	});
});

describe('Bulk API 2.0', () => {
	it('creates through an ingest job when asked, results mapped back to their items', async () => {
		const input = leads(50, 'Job').map((item, index) => (index === 7 ? { ...item, last: '' } : item));
		const result = await fixture.run({ ...createLeads, options: { bulkMode: 'always' } }, input, 'continueRegularOutput');
		expect(callsTo(COLLECTIONS)).toBe(0);
		expect(callsTo(/jobs\/ingest/)).toBeGreaterThan(0);
		expect(result.items).toHaveLength(50);
		result.items.forEach((item, index) => {
			expect(item.pairedItem).toEqual({ item: index });
			if (index === 7) expect(item.json).toMatchObject({ statusCode: 'REQUIRED_FIELD_MISSING' });
			else expect(item.json).toMatchObject({ Id: expect.any(String), LastName: `Job ${index}` });
		});
	});

	it('upserts automatically from 2,000 items on, reporting created and updated', async () => {
		const existing = leads(1000, 'Auto');
		await fixture.run({ ...createLeads, options: { bulkMode: 'never' } }, existing);
		fixture.emulator.requests.reset();
		const result = await fixture.run(
			{
				resource: 'lead',
				operation: 'upsert',
				externalIdField: 'External_Id__c',
				columns: mapped({ LastName: '={{ $json.last }}', Company: 'Auto Co', External_Id__c: '={{ $json.ext }}' }),
			},
			[...existing, ...leads(1000, 'AutoNew')],
		);
		expect(result.error).toBeUndefined();
		expect(callsTo(COLLECTIONS)).toBe(0);
		expect(result.items.map((item) => item.json.created)).toEqual([...Array(1000).fill(false), ...Array(1000).fill(true)]);
	});
});
