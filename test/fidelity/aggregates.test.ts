// SOQL aggregates as Salesforce answers them, through jsforce: "GROUP BY", "HAVING", "Aggregate Functions" and
// "Use Aliases with GROUP BY" (SOQL and SOSL Reference); "Working with SOQL Aggregate Functions" (Apex Developer
// Guide) for the expr0, expr1… names; "AggregateResult" (SOAP API Developer Guide) for the record type.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../emulator/index.ts';
import { API_VERSION, connect } from './helpers.ts';
import type { Connection } from 'jsforce';
import type { Emulator } from '../emulator/index.ts';

let emulator: Emulator;
let conn: Connection;

const LEADS = [
	{ LastName: 'Agg 1', LeadSource: 'Web', AnnualRevenue: 100, NumberOfEmployees: 1, Score__c: 5 },
	{ LastName: 'Agg 2', LeadSource: 'Web', AnnualRevenue: 250.5, NumberOfEmployees: 2, Score__c: 9 },
	{ LastName: 'Agg 3', LeadSource: 'Web', AnnualRevenue: null, NumberOfEmployees: 4, Score__c: 1 },
	{ LastName: 'Agg 4', LeadSource: 'Other', AnnualRevenue: 10, NumberOfEmployees: 3, Score__c: 2 },
	{ LastName: 'Agg 5', LeadSource: null, AnnualRevenue: 1, NumberOfEmployees: 1, Score__c: 3 },
	{ LastName: 'Agg 6', LeadSource: null, AnnualRevenue: 2, NumberOfEmployees: 1, Score__c: 4 },
];

beforeAll(async () => {
	emulator = await startEmulator({ port: 0, seed: false });
	({ conn } = await connect(emulator));
	const results = await conn.sobject('Lead').create(LEADS.map((lead) => ({ ...lead, Company: 'Aggregates Inc.' })));
	expect(results.every((r) => r.success)).toBe(true);
});
afterAll(() => emulator.close());

async function queryError(soql: string): Promise<Error & { errorCode: string }> {
	const error = await conn.query(soql).then(() => undefined, (e: Error) => e as Error & { errorCode: string });
	if (!error) throw new Error(`expected ${soql} to fail`);
	return error;
}

describe('GROUP BY', () => {
	it('answers one AggregateResult per group: grouped fields by name, aliases, and expr0, expr1… for the rest', async () => {
		const result = await conn.query(
			'SELECT LeadSource, COUNT(Id), SUM(AnnualRevenue) revenue, AVG(NumberOfEmployees), MAX(Score__c) FROM Lead GROUP BY LeadSource ORDER BY LeadSource NULLS LAST',
		);
		expect(result.totalSize).toBe(3);
		expect(result.done).toBe(true);
		expect(result.records).toEqual([
			{ attributes: { type: 'AggregateResult' }, LeadSource: 'Other', expr0: 1, revenue: 10, expr1: 3, expr2: 2 },
			{ attributes: { type: 'AggregateResult' }, LeadSource: 'Web', expr0: 3, revenue: 350.5, expr1: 7 / 3, expr2: 9 },
			{ attributes: { type: 'AggregateResult' }, LeadSource: null, expr0: 2, revenue: 3, expr1: 1, expr2: 4 },
		]);
	});

	it('filters groups with HAVING and orders them by an aggregate, then LIMIT', async () => {
		const result = await conn.query(
			'SELECT LeadSource source, COUNT(Id) n FROM Lead GROUP BY LeadSource HAVING COUNT(Id) > 1 AND MIN(Score__c) < 4 ORDER BY COUNT(Id) DESC LIMIT 5',
		);
		expect(result.records.map(({ source, n }) => [source, n])).toEqual([['Web', 3], [null, 2]]);
		const web = await conn.query("SELECT LeadSource, SUM(Score__c) FROM Lead GROUP BY LeadSource HAVING LeadSource = 'web'");
		expect(web.records).toEqual([{ attributes: { type: 'AggregateResult' }, LeadSource: 'Web', expr0: 15 }]);
	});

	it('names a grouped parent field by its own name, so two such names need aliases', async () => {
		const result = await conn.query('SELECT Owner.Alias, COUNT(Id) FROM Lead GROUP BY Owner.Alias');
		expect(result.records).toEqual([{ attributes: { type: 'AggregateResult' }, Alias: 'eadmin', expr0: 6 }]);
		const clash = await queryError('SELECT Owner.Name, CreatedBy.Name FROM Lead GROUP BY Owner.Name, CreatedBy.Name');
		expect(clash.errorCode).toBe('MALFORMED_QUERY');
		expect(clash.message).toContain('duplicate alias: Name');
		const aliased = await conn.query('SELECT Owner.Name owner, CreatedBy.Name creator FROM Lead GROUP BY Owner.Name, CreatedBy.Name');
		expect(aliased.records).toEqual([{ attributes: { type: 'AggregateResult' }, owner: 'Emulator Admin', creator: 'Emulator Admin' }]);
	});

	it('aggregates without GROUP BY into one row, also over no rows at all', async () => {
		const all = await conn.query('SELECT COUNT(Id), COUNT_DISTINCT(LeadSource), MIN(LastName), MAX(CreatedDate) latest FROM Lead');
		expect(all.records).toHaveLength(1);
		expect(all.records[0]).toMatchObject({ attributes: { type: 'AggregateResult' }, expr0: 6, expr1: 2, expr2: 'Agg 1' });
		expect(all.records[0].latest).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000\+0000$/);
		const none = await conn.query("SELECT COUNT(Id), SUM(Score__c) FROM Lead WHERE LastName = 'nobody'");
		expect(none.records).toEqual([{ attributes: { type: 'AggregateResult' }, expr0: 0, expr1: null }]);
	});

	it('keeps SELECT COUNT() as a count in totalSize with no records ("COUNT() and COUNT(fieldName)")', async () => {
		const result = await conn.query("SELECT COUNT() FROM Lead WHERE LeadSource = 'Web'");
		expect(result).toMatchObject({ totalSize: 3, done: true, records: [] });
	});

	it('answers every group in one batch without a query locator, and refuses more groups than a batch holds', async () => {
		// "Considerations for GROUP BY": a GROUP BY result cannot be paged with the query locator.
		const many = Array.from({ length: 250 }, (_, i) => ({ LastName: `Group ${String(i).padStart(3, '0')}`, Company: 'Groups Inc.' }));
		for (const chunk of [many.slice(0, 200), many.slice(200)]) await conn.sobject('Lead').create(chunk, { allOrNone: true });
		const soql = "SELECT LastName, COUNT(Id) FROM Lead WHERE Company = 'Groups Inc.' GROUP BY LastName";
		const query = (batchSize?: number) => fetch(`${emulator.url}/services/data/v${API_VERSION}/query?q=${encodeURIComponent(soql)}`, {
			headers: { authorization: `Bearer ${conn.accessToken}`, ...(batchSize ? { 'sforce-query-options': `batchSize=${batchSize}` } : {}) },
		});
		const whole = (await (await query()).json()) as { totalSize: number; done: boolean; nextRecordsUrl?: string; records: unknown[] };
		expect(whole).toMatchObject({ totalSize: 250, done: true });
		expect(whole.nextRecordsUrl).toBeUndefined();
		expect(whole.records).toHaveLength(250);
		const small = await query(200);
		expect(small.status).toBe(400);
		expect(await small.json()).toEqual([{
			errorCode: 'MALFORMED_QUERY', message: 'Aggregate query does not support queryMore(), use LIMIT to restrict the results to a single batch',
		}]);
		expect((await (await query(250)).json()) as { done: boolean }).toMatchObject({ done: true, totalSize: 250 });
	});

	it('refuses a field that is neither grouped nor aggregated, SUM of a text field and COUNT of a multi-select picklist', async () => {
		const ungrouped = await queryError('SELECT LastName, COUNT(Id) FROM Lead GROUP BY LeadSource');
		expect(ungrouped.errorCode).toBe('MALFORMED_QUERY');
		expect(ungrouped.message).toContain('ERROR at Row:1:Column:8\nField must be grouped or aggregated: LastName');
		const sum = await queryError('SELECT SUM(LastName) FROM Lead');
		expect(sum.errorCode).toBe('INVALID_FIELD');
		expect(sum.message).toContain('field LastName does not support aggregate operator SUM');
		const multipicklist = await queryError('SELECT COUNT(Interests__c) FROM Lead');
		expect(multipicklist.message).toContain('field Interests__c does not support aggregate operator COUNT');
	});
});
