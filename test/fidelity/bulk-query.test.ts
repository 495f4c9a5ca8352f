// Bulk API 2.0 query jobs refuse what Salesforce refuses, through jsforce's bulk2.query: "Understanding Bulk API 2.0
// Query" (Bulk API 2.0 Developer Guide) lists GROUP BY, OFFSET, TYPEOF, aggregate functions such as COUNT() and
// parent-to-child relationship queries as unsupported; the job is refused when it is created.
import { describe, expect, it } from 'vitest';
import { API_VERSION, onConnectedEmulator } from './helpers.ts';
import type { Connection } from 'jsforce';
import type { Emulator } from '../emulator/index.ts';

let emulator: Emulator;
let conn: Connection;

onConnectedEmulator((started) => ({ emulator, conn } = started));

async function bulkQueryError(soql: string): Promise<{ errorCode: string; message: string }> {
	const error = await conn.bulk2.query(soql).then(() => undefined, (e: { errorCode: string; message: string }) => e);
	if (!error) throw new Error(`expected a Bulk API 2.0 query job for ${soql} to be refused`);
	return error;
}

describe('Bulk API 2.0 query', () => {
	it.each([
		['parent-to-child subquery', 'SELECT Id, (SELECT Id FROM Contacts) FROM Account', 'Aggregate Relationships not supported in Bulk V2 Query with CSV content type'],
		['GROUP BY', 'SELECT LeadSource FROM Lead GROUP BY LeadSource', 'GROUP BY not supported in Bulk V2 Query'],
		['COUNT()', 'SELECT COUNT() FROM Lead', 'Aggregate queries not supported in Bulk V2 Query'],
		['an aggregate function', 'SELECT MAX(Score__c) FROM Lead', 'Aggregate queries not supported in Bulk V2 Query'],
		['OFFSET', 'SELECT Id FROM Lead ORDER BY Id LIMIT 5 OFFSET 10', 'OFFSET not supported in Bulk V2 Query'],
		['TYPEOF', 'SELECT Id, TYPEOF What WHEN Account THEN Name END FROM Task', 'TYPEOF not supported in Bulk V2 Query'],
	])('refuses %s with API_ERROR when the job is created', async (_, soql, message) => {
		const before = emulator.requests.counts().byRoute['POST /services/data/v{version}/jobs/query'] ?? 0;
		const error = await bulkQueryError(soql);
		expect({ errorCode: error.errorCode, message: error.message }).toEqual({ errorCode: 'API_ERROR', message });
		expect(emulator.requests.counts().byRoute['POST /services/data/v{version}/jobs/query']).toBe(before + 1);
	});

	it('runs a child-to-parent query, and names the FROM object as the job object', async () => {
		const records = await (await conn.bulk2.query("select Id, Account.Name from contact where Account.Name != null")).toArray();
		expect(records.length).toBeGreaterThan(0);
		expect(Object.keys(records[0]).sort()).toEqual(['Account.Name', 'Id']);
		const response = await fetch(`${emulator.url}/services/data/v${API_VERSION}/jobs/query`, {
			method: 'POST',
			headers: { authorization: `Bearer ${conn.accessToken}`, 'content-type': 'application/json' },
			body: JSON.stringify({ operation: 'query', query: 'select Id from contact' }),
		});
		expect(response.status).toBe(200);
		expect(await response.json()).toMatchObject({ object: 'Contact', operation: 'query', state: 'UploadComplete' });
	});
});
