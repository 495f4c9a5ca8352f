// Objects with hundreds of custom fields and queries longer than Salesforce's URL limit, through n8n-core against the
// emulator's Wide_Object__c (800 custom fields of ≈45 characters: the field list alone is about 40 KB of URL).
// Get and Get Many run their real code on Wide_Object__c through a test node (the node's resources are Lead,
// Contact and Opportunity); the trigger watches it as "Other Object".
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeParameters, INodeType } from 'n8n-workflow';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { execute as get } from '../../nodes/Salesforce/actions/sobject/get.operation.ts';
import { execute as getMany } from '../../nodes/Salesforce/actions/sobject/getAll.operation.ts';
import { buildSelect } from '../../nodes/Salesforce/helpers/soql.ts';
import { SalesforceCrm } from '../../nodes/Salesforce/SalesforceCrm.node.ts';
import { SalesforceCrmTrigger } from '../../nodes/Salesforce/SalesforceCrmTrigger.node.ts';
import { SalesforceClient } from '../../nodes/Salesforce/transport/index.ts';
import { queryBytes, URI_BUDGET_BYTES } from '../../nodes/Salesforce/transport/query.ts';
import { startEmulator, type Emulator } from '../emulator/index.ts';
import { WIDE_FIELD_COUNT, WIDE_OBJECT, wideFieldName } from '../emulator/schema.ts';
import { createHarness, type Harness } from './harness.ts';

const crm = new SalesforceCrm();
const trigger = new SalesforceCrmTrigger();

/** The Salesforce CRM node's description, running `run` on Wide_Object__c. */
function wideNode(run: (ctx: IExecuteFunctions) => Promise<INodeExecutionData[]>): INodeType {
	return {
		description: crm.description,
		methods: crm.methods,
		async execute(this: IExecuteFunctions) {
			return [await run(this)];
		},
	};
}

const ROUTES = {
	query: 'GET /services/data/v{version}/query',
	queryAll: 'GET /services/data/v{version}/queryAll',
	queryMore: 'GET /services/data/v{version}/query/{locator}',
	retrieve: 'POST /services/data/v{version}/composite/sobjects/{sobject}',
};

let emulator: Emulator;
let harness: Harness;

beforeAll(async () => {
	emulator = await startEmulator({ port: 0, seed: true });
	harness = await createHarness(emulator);
});
afterAll(async () => emulator?.close());
beforeEach(() => {
	emulator.faults.reset();
	emulator.requests.reset();
});

const allFields = Array.from({ length: WIDE_FIELD_COUNT }, (_, index) => wideFieldName(index + 1));
const seeded = () => emulator.store.all(WIDE_OBJECT).filter((record) => String(record.Name).startsWith('Wide '));
const routes = () => emulator.requests.counts().byRoute;

/** Every custom field present, with the values the emulator holds. */
function expectComplete(record: IDataObject, stored: Record<string, unknown>) {
	expect(record.Id).toBe(stored.Id);
	for (const field of allFields) expect(record[field], field).toBe(stored[field] ?? null);
}

describe('objects with 800 custom fields', () => {
	it('the field list alone is over the limit (what used to fail with 414)', () => {
		expect(buildSelect({ object: WIDE_OBJECT, fields: ['Id', ...allFields] }).length).toBeGreaterThan(16_384);
	});

	it('Get Many with all fields: IDs by SOQL, the other fields through Collections retrieve, in query order', async () => {
		const node = wideNode((ctx) => getMany.call(ctx, WIDE_OBJECT));
		const result = await harness.runNode({
			nodeType: node,
			parameters: { resource: 'lead', operation: 'getAll', fieldSet: 'all', returnAll: true, sort: { sortField: [{ field: 'Name', direction: 'DESC' }] } },
		});
		expect(result.error).toBeUndefined();
		const stored = seeded().sort((a, b) => String(b.Name).localeCompare(String(a.Name)));
		expect(result.items.map((item) => item.json.Name)).toEqual(stored.map((record) => record.Name));
		result.items.forEach((item, index) => expectComplete(item.json, stored[index]));
		expect(result.items[0].json).toMatchObject({ [wideFieldName(1)]: 'first 3', [wideFieldName(800)]: 'last 3' });
		expect(routes()[ROUTES.retrieve]).toBe(1);
	});

	it('Get with all fields, by ID', async () => {
		const [first, second] = seeded();
		const node = wideNode((ctx) => get.call(ctx, WIDE_OBJECT));
		const result = await harness.runNode({
			nodeType: node,
			parameters: { resource: 'lead', operation: 'get', recordId: { __rl: true, mode: 'id', value: '={{ $json.id }}' }, fieldSet: 'all' },
			items: [{ id: String(second.Id) }, { id: String(first.Id) }],
		});
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expectComplete(result.items[0].json, second);
		expectComplete(result.items[1].json, first);
	});

	it('queryMore pages are completed too, and deleted rows (queryAll) come from slices of the fields', async () => {
		const inserted = Array.from({ length: 230 }, (_, index) =>
			emulator.store.insert(WIDE_OBJECT, { Name: `Paged ${String(index).padStart(3, '0')}`, [wideFieldName(400)]: `middle ${index}`, [wideFieldName(800)]: `last ${index}` }),
		);
		for (const record of inserted.slice(0, 5)) emulator.store.delete(WIDE_OBJECT, String(record.Id));
		const select = (where: string) => ({ object: WIDE_OBJECT, fields: ['Id', 'Name', ...allFields], where, orderBy: [{ field: 'Name' }] });
		const read = (includeDeleted: boolean, where: string) =>
			wideNode(async (ctx) => {
				const records = await (await SalesforceClient.for(ctx)).queryAllPages<IDataObject>(buildSelect(select(where)), { select: select(where), includeDeleted, batchSize: 200 });
				return records.map((json) => ({ json }));
			});

		const live = await harness.runNode({ nodeType: read(false, "Name LIKE 'Paged%'"), parameters: { resource: 'lead', operation: 'getAll' } });
		expect(live.error).toBeUndefined();
		expect(live.items).toHaveLength(225);
		live.items.forEach((item, index) => expectComplete(item.json, inserted[index + 5]));
		expect(routes()).toMatchObject({ [ROUTES.query]: 1, [ROUTES.queryMore]: 1, [ROUTES.retrieve]: 2 });

		emulator.requests.reset();
		const withDeleted = await harness.runNode({ nodeType: read(true, "Name < 'Paged 010'"), parameters: { resource: 'lead', operation: 'getAll' } });
		expect(withDeleted.error).toBeUndefined();
		expect(withDeleted.items).toHaveLength(10);
		withDeleted.items.forEach((item, index) => expectComplete(item.json, inserted[index]));
		expect(routes()[ROUTES.retrieve]).toBeUndefined();
	});
});

describe('the trigger on an object with 800 custom fields (default: every field)', () => {
	const params = (event: string): INodeParameters => ({ sobject: 'other', otherObject: WIDE_OBJECT, event, filters: { where: "Name LIKE 'Trigger%'" } });

	it('polls created, updated and deleted records with every field; Fetch Test Event too', async () => {
		let staticData: IDataObject = {};
		const poll = async (event: string) => {
			const result = await harness.poll({ nodeType: trigger, parameters: params(event), staticData });
			staticData = result.staticData;
			return result.items?.[0] ?? [];
		};
		emulator.clock.advance(86_400_000);
		expect(await poll('createdOrUpdated')).toEqual([]);
		emulator.clock.advance(2000);
		const record = emulator.store.insert(WIDE_OBJECT, { Name: 'Trigger 1', [wideFieldName(800)]: 'watched' });
		const [created] = await poll('createdOrUpdated');
		expect(created.json.$event).toMatchObject({ type: 'created', object: WIDE_OBJECT });
		expectComplete(created.json, emulator.store.get(WIDE_OBJECT, String(record.Id))!);

		const manual = await harness.poll({ nodeType: trigger, parameters: params('createdOrUpdated'), mode: 'manual' });
		expectComplete(manual.items![0][0].json, emulator.store.get(WIDE_OBJECT, String(record.Id))!);

		staticData = {};
		expect(await poll('deleted')).toEqual([]);
		emulator.clock.advance(2000);
		emulator.store.delete(WIDE_OBJECT, String(record.Id));
		const [deleted] = await poll('deleted');
		expect(deleted.json).toMatchObject({ Id: record.Id, Name: 'Trigger 1', [wideFieldName(800)]: 'watched', $event: { type: 'deleted' } });
	});
});

describe('queries too long to send', () => {
	const longValue = 'x'.repeat(20_000);
	const tooLong = /The query is [\d,]+ bytes, Salesforce accepts at most 16,384 bytes of URL and headers: .*shorten the condition values/;

	it('Get Many: a 20 KB condition value is refused before anything is sent, one error item per item', async () => {
		const result = await harness.runNode({
			nodeType: crm,
			parameters: {
				resource: 'lead',
				operation: 'getAll',
				filterGroups: { groups: [{ combinator: 'AND', conditions: { condition: [{ field: 'LastName', operator: 'equal', value: '={{ $json.name }}' }] } }] },
			},
			items: [{ name: longValue }, { name: `${longValue}y` }],
			onError: 'continueRegularOutput',
		});
		expect(result.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		for (const item of result.items) expect(String(item.json.error)).toMatch(tooLong);
		expect(routes()[ROUTES.query]).toBeUndefined();
	});

	it('Get Many, SOQL mode: a query over the limit is refused with the same message', async () => {
		const result = await harness.runNode({
			nodeType: crm,
			parameters: { resource: 'lead', operation: 'getAll', queryMode: 'soql', soql: `SELECT Id FROM Lead WHERE LastName = '${longValue}'` },
		});
		expect(result.error?.message).toMatch(tooLong);
		expect(routes()[ROUTES.query]).toBeUndefined();
	});

	it('the trigger: a 20 KB WHERE clause is refused with the cause, not sent', async () => {
		const failure = await harness
			.poll({ nodeType: trigger, parameters: { sobject: 'Lead', event: 'created', filters: { where: `LastName != '${longValue}'` }, options: { startAt: '2026-01-01T00:00:00Z' } } })
			.catch((error: Error) => error);
		expect((failure as Error).message).toMatch(tooLong);
		expect(routes()[ROUTES.query]).toBeUndefined();
	});

	it('the headers the transport sends fit the allowance: a query at the budget reaches Salesforce, one byte more does not leave', async () => {
		const soql = (length: number) => `SELECT Id FROM Lead WHERE LastName = '${'x'.repeat(length)}'`;
		const atBudget = URI_BUDGET_BYTES - queryBytes(soql(0));
		expect(queryBytes(soql(atBudget))).toBe(URI_BUDGET_BYTES);
		const run = (length: number) => harness.runNode({ nodeType: crm, parameters: { resource: 'lead', operation: 'getAll', queryMode: 'soql', soql: soql(length) } });
		const fits = await run(atBudget);
		expect(fits.error).toBeUndefined();
		expect(routes()[ROUTES.query]).toBe(1);
		const over = await run(atBudget + 1);
		expect(over.error?.message).toMatch(tooLong);
		expect(routes()[ROUTES.query]).toBe(1);
	});

	it("Salesforce's 431 answer (an HTML page) to a query names the query's length as the cause", async () => {
		emulator.faults.inject({ kind: 'html', status: 431, path: '/query' });
		const result = await harness.runNode({ nodeType: crm, parameters: { resource: 'lead', operation: 'getAll', limit: 1 } });
		expect(result.error?.message).toMatch(/The query is [\d,]+ bytes, Salesforce accepts at most 16,384 bytes of URL and headers: Salesforce answered HTTP 431/);
		expect(result.error?.message).not.toMatch(/org exists/);
	});
});
