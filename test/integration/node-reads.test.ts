// Reads at the floor (issue 13): a warm Get or Get Many costs the calls Salesforce needs (1 per query page); the
// describe that checks field names is shared across executions, editor methods and triggers, and revalidated with
// If-Modified-Since (304 when unchanged) only once it is DESCRIBE_FRESH_FOR_MS old; a field added or deleted in
// Salesforce is seen. Counted from the emulator's request log: every call, its route and its answer.
import type { IDataObject, INodeParameters, NodeParameterValue } from 'n8n-workflow';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

import { SalesforceCrmTrigger } from '../../nodes/Salesforce/SalesforceCrmTrigger.node';
import { DESCRIBE_FRESH_FOR_MS } from '../../nodes/Salesforce/transport';
import { byId, startNodeFixture, type NodeFixture } from './node-fixture.ts';

const DATA = 'GET /services/data/v{version}';
const QUERY = `${DATA}/query`;
const NEXT_PAGE = `${DATA}/query/{locator}`;
const DESCRIBE = `${DATA}/sobjects/{sobject}/describe`;
const TOKEN = 'POST /services/oauth2/token';

let fixture: NodeFixture;
let ids: string[];

beforeAll(async () => {
	// n8n's clock (and the emulator's, which follows it) stands still unless a test moves it forward (later()).
	vi.useFakeTimers({ toFake: ['Date'], now: new Date() });
	fixture = await startNodeFixture();
	ids = Array.from({ length: 500 }, (_, index) => String(fixture.emulator.store.insert('Lead', { LastName: `Floor ${index}`, Company: 'Floor Co' }).Id));
	later(2000);
});
afterAll(async () => {
	await fixture?.close();
	vi.useRealTimers();
});

/** The calls of `run`: each route with its count, and the answers that were not 200. */
async function callsOf(run: () => Promise<unknown>) {
	fixture.emulator.requests.reset();
	await run();
	const { byRoute, byAnswer } = fixture.emulator.requests.counts();
	const notOk = Object.fromEntries(Object.entries(byAnswer).filter(([answer]) => !answer.startsWith('200 ')));
	return { byRoute, notOk };
}

/**
 * Moves n8n's clock (and the emulator's) forward, by default past the describe's freshness. Tests move it after a
 * change of metadata, as time passes in Salesforce: a describe fetched in the second of a change is revalidated with
 * the second before (HTTP dates have whole seconds), so its first revalidation gets the full describe again.
 */
function later(ms = DESCRIBE_FRESH_FOR_MS + 1000) {
	vi.setSystemTime(Date.now() + ms);
}

const get = (id: string, parameters: IDataObject = {}) => fixture.json({ resource: 'lead', operation: 'get', recordId: byId(id), ...parameters });
const condition = (field: string, operator: string, value?: NodeParameterValue): INodeParameters => ({ groups: [{ combinator: 'AND', conditions: { condition: [{ field, operator, value }] } }] });
const getMany = (parameters: IDataObject = {}) =>
	fixture.json({ resource: 'lead', operation: 'getAll', returnAll: true, filterGroups: condition('Company', 'equal', 'Floor Co'), ...parameters });

describe('a Get and a Get Many', () => {
	it('cold: the credential’s first token, then one describe; warm: one query each, nothing else', async () => {
		const cold = await callsOf(async () => expect(await get(ids[0])).toMatchObject([{ Id: ids[0], LastName: 'Floor 0' }]));
		// The credential's first use in n8n: its token through one authenticated call (see README, Credentials).
		expect(cold.byRoute).toEqual({ [TOKEN]: 1, [`${DATA}/limits`]: 1, [DESCRIBE]: 1, [QUERY]: 1 });

		const warmGet = await callsOf(async () => expect(await get(ids[1])).toMatchObject([{ Id: ids[1] }]));
		expect(warmGet).toEqual({ byRoute: { [QUERY]: 1 }, notOk: {} });

		const warmGetMany = await callsOf(async () => expect(await getMany()).toHaveLength(500));
		expect(warmGetMany).toEqual({ byRoute: { [QUERY]: 1 }, notOk: {} });
	});

	it('cost one call per query page', async () => {
		for (let index = 0; index < 2100; index++) fixture.emulator.store.insert('Lead', { LastName: `Paged ${index}`, Company: 'Paged Co' });
		const paged = await callsOf(async () => expect(await getMany({ filterGroups: condition('Company', 'equal', 'Paged Co') })).toHaveLength(2100));
		expect(paged).toEqual({ byRoute: { [QUERY]: 1, [NEXT_PAGE]: 1 }, notOk: {} });
	});

	it('revalidate a describe older than DESCRIBE_FRESH_FOR_MS once: 304, then warm again', async () => {
		later();
		const revalidated = await callsOf(async () => expect(await get(ids[2])).toHaveLength(1));
		expect(revalidated).toEqual({ byRoute: { [DESCRIBE]: 1, [QUERY]: 1 }, notOk: { [`304 ${DESCRIBE}`]: 1 } });
		const warm = await callsOf(async () => expect(await getMany()).toHaveLength(500));
		expect(warm).toEqual({ byRoute: { [QUERY]: 1 }, notOk: {} });
	});
});

describe('a change of the object in Salesforce', () => {
	it('a field added: a condition on it revalidates the fresh describe at once, and "all fields" show it once revalidated', async () => {
		fixture.emulator.store.addField('Lead', { name: 'Floor_Tier__c', type: 'string', label: 'Tier' });
		fixture.emulator.store.update('Lead', ids[3], { Floor_Tier__c: 'Gold' });
		later(2000);

		const filtered = await callsOf(async () => expect(await getMany({ filterGroups: condition('Floor_Tier__c', 'equal', 'Gold') })).toMatchObject([{ Id: ids[3] }]));
		expect(filtered).toEqual({ byRoute: { [DESCRIBE]: 1, [QUERY]: 1 }, notOk: {} });

		later();
		const allFields = await callsOf(async () => expect(await get(ids[3])).toMatchObject([{ Id: ids[3], Floor_Tier__c: 'Gold' }]));
		expect(allFields).toEqual({ byRoute: { [DESCRIBE]: 1, [QUERY]: 1 }, notOk: { [`304 ${DESCRIBE}`]: 1 } });
	});

	it.each([
		['Get', () => get(ids[4])],
		['Get Many', () => getMany({ fieldSet: 'all' })],
	])('a field deleted (INVALID_FIELD) while the shared describe still lists it: %s revalidates once and reads without it', async (_, read) => {
		const field = `Floor_Gone_${Date.now()}__c`;
		fixture.emulator.store.addField('Lead', { name: field, type: 'string', label: 'Gone' });
		later();
		expect((await read())[0]).toHaveProperty(field);

		fixture.emulator.store.removeField('Lead', field);
		later(2000);
		const recovered = await callsOf(async () => {
			const records = await read();
			expect(records.length).toBeGreaterThan(0);
			expect(records[0]).not.toHaveProperty(field);
		});
		expect(recovered).toEqual({ byRoute: { [QUERY]: 2, [DESCRIBE]: 1 }, notOk: { [`400 ${QUERY}`]: 1 } });
		expect(await callsOf(read)).toEqual({ byRoute: { [QUERY]: 1 }, notOk: {} });
	});

	it('a field Salesforce refuses although describe lists it: the run fails after one revalidation, never loops', async () => {
		fixture.emulator.faults.inject({ path: /\/query$/, status: 400, errorCode: 'INVALID_FIELD', message: "No such column 'LastName' on entity 'Lead'", count: 5 });
		try {
			const refused = await callsOf(async () => expect((await fixture.run({ resource: 'lead', operation: 'get', recordId: byId(ids[5]) })).error?.message).toMatch(/INVALID_FIELD/));
			expect(refused).toEqual({ byRoute: { [QUERY]: 1, [DESCRIBE]: 1 }, notOk: { [`400 ${QUERY}`]: 1, [`304 ${DESCRIBE}`]: 1 } });
		} finally {
			fixture.emulator.faults.reset();
		}
	});
});

describe('one describe for executions, editor methods and triggers', () => {
	it('the editor revalidates (304) and the executions after it use its result', async () => {
		const editor = await callsOf(async () => {
			const fields = await fixture.harness.loadOptions(fixture.nodeType, 'getFields', { resource: 'lead' });
			expect(fields.map((option) => option.value)).toContain('Floor_Tier__c');
		});
		expect(editor).toEqual({ byRoute: { [DESCRIBE]: 1 }, notOk: { [`304 ${DESCRIBE}`]: 1 } });
		later();
		const execution = await callsOf(async () => expect(await get(ids[6])).toHaveLength(1));
		expect(execution.byRoute).toEqual({ [DESCRIBE]: 1, [QUERY]: 1 });
		// Within the freshness window of the editor's check, an execution asks nothing but its query.
		await callsOf(() => fixture.harness.loadOptions(fixture.nodeType, 'getFields', { resource: 'lead' }));
		expect(await callsOf(async () => expect(await get(ids[6])).toHaveLength(1))).toEqual({ byRoute: { [QUERY]: 1 }, notOk: {} });
	});

	it('the polling trigger compiles its watch from the shared describe (revalidated), the node reads it warm', async () => {
		const poll = await callsOf(() =>
			fixture.harness.poll({ nodeType: new SalesforceCrmTrigger(), parameters: { sobject: 'Lead', event: 'created', options: { fields: ['LastName'] } } }),
		);
		expect(poll.byRoute[DESCRIBE]).toBe(1);
		expect(poll.notOk).toEqual({ [`304 ${DESCRIBE}`]: 1 });
		expect(await callsOf(async () => expect(await getMany()).toHaveLength(500))).toEqual({ byRoute: { [QUERY]: 1 }, notOk: {} });
	});
});
