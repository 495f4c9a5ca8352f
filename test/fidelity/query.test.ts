import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../emulator/index.ts';
import { connect } from './helpers.ts';
import type { Connection } from 'jsforce';
import type { Emulator } from '../emulator/index.ts';

let emulator: Emulator;
let conn: Connection;

beforeAll(async () => {
	emulator = await startEmulator({ port: 0, seed: false });
	({ conn } = await connect(emulator));
	for (let i = 0; i < 5200; i++) emulator.store.insert('Lead', { LastName: `Bulk ${String(i).padStart(5, '0')}`, Company: 'Many', Score__c: i % 10 });
});
afterAll(() => emulator.close());

describe('query', () => {
	it('pages 2,000 records at a time through nextRecordsUrl, and autoFetch follows it', async () => {
		const first = await conn.request<{ totalSize: number; done: boolean; nextRecordsUrl: string; records: unknown[] }>(
			`/services/data/v64.0/query?q=${encodeURIComponent('SELECT Id FROM Lead')}`,
		);
		expect(first).toMatchObject({ totalSize: 5200, done: false });
		expect(first.records).toHaveLength(2000);
		expect(first.nextRecordsUrl).toMatch(/^\/services\/data\/v64\.0\/query\/01g[a-zA-Z0-9]{15}-2000$/);
		emulator.requests.reset();
		const { records } = await conn.query('SELECT Id, LastName FROM Lead ORDER BY LastName', { autoFetch: true, maxFetch: 10000 });
		expect(records).toHaveLength(5200);
		expect((records[5199] as { LastName: string }).LastName).toBe('Bulk 05199');
		expect(emulator.requests.counts().byRoute).toMatchObject({ 'GET /services/data/v{version}/query': 1, 'GET /services/data/v{version}/query/{locator}': 2 });
	});

	it('honours Sforce-Query-Options batchSize', async () => {
		const page = await conn.request<{ records: unknown[]; nextRecordsUrl: string }>({
			method: 'GET',
			url: `/services/data/v64.0/query?q=${encodeURIComponent('SELECT Id FROM Lead')}`,
			headers: { 'Sforce-Query-Options': 'batchSize=500' },
		});
		expect(page.records).toHaveLength(500);
		expect(page.nextRecordsUrl).toMatch(/-500$/);
	});

	it('counts with COUNT() and filters with WHERE', async () => {
		const count = await conn.query('SELECT COUNT() FROM Lead WHERE Score__c >= 5 AND LastName LIKE \'Bulk 0000%\'');
		expect(count).toMatchObject({ totalSize: 5, records: [] });
	});

	it('returns deleted rows only through queryAll', async () => {
		const victim = emulator.store.insert('Lead', { LastName: 'Gone', Company: 'X' });
		emulator.store.delete('Lead', victim.Id as string);
		const live = await conn.query(`SELECT Id FROM Lead WHERE Id = '${victim.Id}'`);
		expect(live.totalSize).toBe(0);
		const all = await conn.query(`SELECT Id, IsDeleted FROM Lead WHERE Id = '${victim.Id}'`, { scanAll: true });
		expect(all.records).toEqual([{ attributes: { type: 'Lead', url: `/services/data/v64.0/sobjects/Lead/${victim.Id}` }, Id: victim.Id, IsDeleted: true }]);
	});

	it('selects parent fields through relationships', async () => {
		const account = emulator.store.insert('Account', { Name: 'Parent Co' });
		emulator.store.insert('Contact', { LastName: 'Child', AccountId: account.Id });
		emulator.store.insert('Contact', { LastName: 'Orphan' });
		const result = await conn.query<Record<string, unknown>>("SELECT LastName, Account.Name, Owner.Name FROM Contact WHERE LastName IN ('Child', 'Orphan') ORDER BY LastName");
		expect(result.records[0]).toMatchObject({ LastName: 'Child', Account: { attributes: { type: 'Account' }, Name: 'Parent Co' }, Owner: { Name: 'Emulator Admin' } });
		expect(result.records[1]).toMatchObject({ LastName: 'Orphan', Account: null });
	});

	it('answers INVALID_FIELD, INVALID_TYPE, MALFORMED_QUERY and NUMBER_OUTSIDE_VALID_RANGE', async () => {
		await expect(conn.query('SELECT Id, Foo__c FROM Lead')).rejects.toMatchObject({
			errorCode: 'INVALID_FIELD',
			message: expect.stringContaining("No such column 'Foo__c' on entity 'Lead'"),
		});
		await expect(conn.query('SELECT Id, Foo__c FROM Lead')).rejects.toMatchObject({ message: expect.stringContaining('ERROR at Row:1:Column:12') });
		await expect(conn.query('SELECT Id FROM Leed')).rejects.toMatchObject({ errorCode: 'INVALID_TYPE' });
		await expect(conn.query('SELECT FROM Lead')).rejects.toMatchObject({ errorCode: 'MALFORMED_QUERY' });
		await expect(conn.query('SELECT Id FROM Lead LIMIT 10 OFFSET 2001')).rejects.toMatchObject({ errorCode: 'NUMBER_OUTSIDE_VALID_RANGE' });
	});

	it('searches with SOSL', async () => {
		emulator.store.insert('Lead', { LastName: 'Zebulon', Company: 'Findable' });
		const result = await conn.search('FIND {Zebulon} IN ALL FIELDS RETURNING Lead(Id, LastName)');
		expect(result.searchRecords.map((r) => (r as { LastName: string }).LastName)).toEqual(['Zebulon']);
	});

	it('runs composite requests with references', async () => {
		const response = await conn.requestPost<{ compositeResponse: Array<{ httpStatusCode: number; body: unknown }> }>('/services/data/v64.0/composite', {
			allOrNone: true,
			compositeRequest: [
				{ method: 'POST', url: '/services/data/v64.0/sobjects/Account', referenceId: 'acc', body: { Name: 'Composite Co' } },
				{ method: 'POST', url: '/services/data/v64.0/sobjects/Contact', referenceId: 'con', body: { LastName: 'Comp', AccountId: '@{acc.id}' } },
				{ method: 'GET', url: '/services/data/v64.0/sobjects/Contact/@{con.id}?fields=AccountId', referenceId: 'get' },
			],
		});
		expect(response.compositeResponse.map((r) => r.httpStatusCode)).toEqual([201, 201, 200]);
		expect((response.compositeResponse[2].body as { AccountId: string }).AccountId).toBe((response.compositeResponse[0].body as { id: string }).id);
	});
});
