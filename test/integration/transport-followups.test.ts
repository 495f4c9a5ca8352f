// Issue 8 follow-ups through n8n-core: a POST that only reads (sObject Collections retrieve, "Get Records Using
// sObject Collections") is replayed like a GET and never reported as an unknown outcome; answers that are not the
// API's JSON (a maintenance page) name their cause without echoing the page.
import type { IExecuteFunctions, INodeExecutionData, INodeType } from 'n8n-workflow';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { execute as getMany } from '../../nodes/Salesforce/actions/sobject/getAll.operation.ts';
import { SalesforceCrm } from '../../nodes/Salesforce/SalesforceCrm.node.ts';
import { retryPolicy } from '../../nodes/Salesforce/transport/index.ts';
import { MAX_ATTEMPTS } from '../../nodes/Salesforce/transport/retry.ts';
import { startEmulator, type Emulator } from '../emulator/index.ts';
import { WIDE_OBJECT, wideFieldName } from '../emulator/schema.ts';
import { createHarness, type Harness } from './harness.ts';
import { mapped } from './node-fixture.ts';

const crm = new SalesforceCrm();

/** The Salesforce CRM node's description, running Get Many on Wide_Object__c (as wide-objects.test.ts does). */
const wideGetMany: INodeType = {
	description: crm.description,
	methods: crm.methods,
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [await getMany.call(this, WIDE_OBJECT)];
	},
};

const RETRIEVE_ROUTE = `POST /services/data/v{version}/composite/sobjects/{sobject}`;
const RETRIEVE_PATH = `/composite/sobjects/${WIDE_OBJECT}`;

let emulator: Emulator;
let harness: Harness;

beforeAll(async () => {
	retryPolicy.baseDelayMs = 1;
	emulator = await startEmulator({ port: 0, seed: true });
	harness = await createHarness(emulator);
});
afterAll(async () => await emulator?.close());
beforeEach(() => {
	emulator.faults.reset();
	emulator.requests.reset();
});

const retrieveCalls = () => (emulator.requests.counts().byRoute as Record<string, number>)[RETRIEVE_ROUTE] ?? 0;
const readWide = () =>
	harness.runNode({ nodeType: wideGetMany, parameters: { resource: 'lead', operation: 'getAll', fieldSet: 'all', returnAll: true } });
const storedWide = () => emulator.store.all(WIDE_OBJECT).filter((record) => String(record.Name).startsWith('Wide '));

describe('sObject Collections retrieve is a read, though a POST', () => {
	it.each(['dropAfter', 'dropBefore'] as const)('%s: the lost retrieve is sent again and the read succeeds', async (kind) => {
		emulator.faults.inject({ kind, method: 'POST', path: RETRIEVE_PATH });
		const result = await readWide();

		expect(result.error).toBeUndefined();
		const stored = storedWide();
		expect(result.items).toHaveLength(stored.length);
		const last = wideFieldName(800);
		for (const item of result.items) {
			const record = stored.find((candidate) => candidate.Id === item.json.Id);
			expect(item.json[last]).toBe(record?.[last] ?? null);
		}
		expect(retrieveCalls()).toBe(2);
	});

	it.each([
		['a 502 page', { kind: 'html', status: 502 }],
		['503 SERVER_UNAVAILABLE', { kind: 'error', status: 503, errorCode: 'SERVER_UNAVAILABLE' }],
		['500 UNKNOWN_EXCEPTION', { kind: 'error', status: 500, errorCode: 'UNKNOWN_EXCEPTION' }],
	] as const)('%s on the retrieve is replayed too', async (_name, fault) => {
		emulator.faults.inject({ ...fault, method: 'POST', path: RETRIEVE_PATH });
		const result = await readWide();
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(storedWide().length);
		expect(retrieveCalls()).toBe(2);
	});

	it('a connection lost every time: bounded replays, then a read error, never OUTCOME_UNKNOWN', async () => {
		emulator.faults.inject({ kind: 'dropAfter', method: 'POST', path: RETRIEVE_PATH, count: 10 });
		const result = await readWide();

		expect(result.error?.message).toMatch(/^The connection closed before Salesforce answered/);
		expect(JSON.stringify(result.error)).not.toMatch(/OUTCOME_UNKNOWN|may or may not have been saved/);
		expect(retrieveCalls()).toBe(MAX_ATTEMPTS);
	});
});

describe("a maintenance page (HTML 503) instead of the API's answer", () => {
	const namesMaintenance = (text: string | undefined) => {
		expect(text).toMatch(/^Salesforce \(or a proxy in front of it\) is unavailable, e\.g\. for maintenance or an outage \(HTTP 503\)/);
		expect(text).not.toMatch(/org exists|<|Down for Maintenance/);
	};

	it('on a write: the retries give up, each item names maintenance', async () => {
		emulator.faults.inject({ kind: 'html', status: 503, method: 'POST', path: '/composite/sobjects', count: 10 });
		const result = await harness.runNode({
			nodeType: crm,
			parameters: { resource: 'lead', operation: 'create', columns: mapped({ LastName: '={{ $json.last }}', Company: 'Down Co' }), options: {} },
			items: [{ last: 'Down 1' }, { last: 'Down 2' }],
			onError: 'continueRegularOutput',
		});

		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		for (const item of result.items) {
			namesMaintenance(item.json.error as string);
			expect(item.json.errorCode).not.toBe('OUTCOME_UNKNOWN');
			expect(JSON.stringify(item.json)).not.toMatch(/<html|org exists/);
		}
		expect(emulator.store.all('Lead').filter((lead) => lead.Company === 'Down Co')).toEqual([]);
		expect(emulator.requests.counts().byRoute['POST /services/data/v{version}/composite/sobjects']).toBe(MAX_ATTEMPTS);
	});

	it('on a read: the replays give up, the error names maintenance and status.salesforce.com', async () => {
		emulator.faults.inject({ kind: 'html', status: 503, method: 'GET', path: '/query', count: 10 });
		const result = await harness.runNode({ nodeType: crm, parameters: { resource: 'lead', operation: 'getAll', limit: 1 } });

		namesMaintenance(result.error?.message);
		expect((result.error as { description?: string }).description).toMatch(/status\.salesforce\.com/);
		expect((result.error as { httpCode?: string }).httpCode).toBe('503');
		expect(JSON.stringify(result.error)).not.toMatch(/<html|org exists/);
		expect(emulator.requests.counts().byRoute['GET /services/data/v{version}/query']).toBe(MAX_ATTEMPTS);
	});
});
