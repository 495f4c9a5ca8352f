// REST resources through jsforce. Follows the "REST API Developer Guide": "Status Codes and Error Responses"
// (401 INVALID_SESSION_ID, REQUIRED_FIELD_MISSING, per-field errors), "Limit Info Header" (Sforce-Limit-Info),
// "Working with Records" (create, retrieve, update, delete; 15- and 18-character IDs), "Insert or Update (Upsert) a Record
// Using an External ID" (201 created / 200 updated), "sObject Collections" (create, update, retrieve, delete, upsert;
// allOrNone, results in input order), "sObject Describe" / "Describe Global", and "Get a List of Updated Records" /
// "Get a List of Deleted Records".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../emulator/index.ts';
import { connect } from './helpers.ts';
import type { Connection } from 'jsforce';
import type { Emulator } from '../emulator/index.ts';

let emulator: Emulator;
let conn: Connection;
let refreshes: () => number;

beforeAll(async () => {
	emulator = await startEmulator({ port: 0 });
	({ conn, refreshes } = await connect(emulator));
});
afterAll(() => emulator.close());

describe('session', () => {
	it('re-grants through refreshFn after the tokens expire and replays the call', async () => {
		emulator.faults.expireTokens();
		const before = emulator.requests.counts();
		const result = await conn.query('SELECT Id FROM User LIMIT 1');
		expect(result.records).toHaveLength(1);
		expect(refreshes()).toBe(1);
		const after = emulator.requests.counts();
		expect(after.token - before.token).toBe(1);
		expect(after.byRoute['GET /services/data/v{version}/query'] - (before.byRoute['GET /services/data/v{version}/query'] ?? 0)).toBe(2);
	});

	it('answers 401 INVALID_SESSION_ID for an unknown token', async () => {
		const response = await fetch(`${emulator.url}/services/data/v64.0/limits`, { headers: { authorization: 'Bearer nope' } });
		expect(response.status).toBe(401);
		expect(await response.json()).toEqual([{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
	});

	it('sends Sforce-Limit-Info on data responses', async () => {
		const response = await fetch(`${emulator.url}/services/data/v64.0/limits`, { headers: { authorization: `Bearer ${conn.accessToken}` } });
		expect(response.headers.get('sforce-limit-info')).toMatch(/^api-usage=\d+\/15000$/);
		const limits = (await response.json()) as { DailyApiRequests: { Max: number; Remaining: number } };
		expect(limits.DailyApiRequests.Max).toBe(15000);
		expect(limits.DailyApiRequests.Remaining).toBeLessThan(15000);
	});
});

describe('CRUD', () => {
	it('creates, retrieves, updates and deletes a lead', async () => {
		const created = await conn.sobject('Lead').create({ LastName: 'Curie', Company: 'Radium SA', Email: 'marie@radium.example' });
		expect(created).toMatchObject({ success: true, errors: [] });
		expect(created.id).toMatch(/^00Q[a-zA-Z0-9]{15}$/);
		const lead = (await conn.sobject('Lead').retrieve(created.id!)) as Record<string, unknown>;
		expect(lead).toMatchObject({ LastName: 'Curie', Status: 'Open - Not Contacted', IsConverted: false, IsDeleted: false });
		expect(lead.CreatedDate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000\+0000$/);
		expect(lead.OwnerId).toMatch(/^005/);
		await conn.sobject('Lead').update({ Id: created.id!, Title: 'Physicist' });
		expect(emulator.store.get('Lead', created.id!)?.Title).toBe('Physicist');
		await conn.sobject('Lead').destroy(created.id!);
		expect(emulator.store.get('Lead', created.id!)?.IsDeleted).toBe(true);
		await expect(conn.sobject('Lead').retrieve(created.id!)).rejects.toMatchObject({ errorCode: 'ENTITY_IS_DELETED' });
	});

	it('accepts a 15-character ID and lower-case sObject names', async () => {
		const [lead] = emulator.store.all('Lead');
		const response = await conn.request<Record<string, unknown>>(`/services/data/v64.0/sobjects/lead/${(lead.Id as string).slice(0, 15)}?fields=Id,LastName`);
		expect(response).toEqual({ attributes: { type: 'Lead', url: `/services/data/v64.0/sobjects/Lead/${lead.Id}` }, Id: lead.Id, LastName: lead.LastName });
	});

	it('reports REQUIRED_FIELD_MISSING with the missing fields', async () => {
		await expect(conn.sobject('Lead').create({ FirstName: 'Nobody' })).rejects.toMatchObject({
			errorCode: 'REQUIRED_FIELD_MISSING',
			message: 'Required fields are missing: [LastName, Company]',
			data: { fields: ['LastName', 'Company'] },
		});
	});

	it('rejects bad values the way Salesforce does', async () => {
		await expect(conn.sobject('Lead').create({ LastName: 'X', Company: 'Y', Favorite_Color__c: 'Purple' })).rejects.toMatchObject({ errorCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST' });
		await expect(conn.sobject('Lead').create({ LastName: 'X', Company: 'Y', Email: 'not-an-email' })).rejects.toMatchObject({ errorCode: 'INVALID_EMAIL_ADDRESS' });
		await expect(conn.sobject('Lead').create({ LastName: 'X'.repeat(81), Company: 'Y' })).rejects.toMatchObject({ errorCode: 'STRING_TOO_LONG' });
		await expect(conn.sobject('Lead').create({ LastName: 'X', Company: 'Y', IsConverted: true })).rejects.toMatchObject({ errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE' });
		await expect(conn.sobject('Contact').create({ LastName: 'X', AccountId: 'garbage' })).rejects.toMatchObject({ errorCode: 'MALFORMED_ID' });
		await expect(conn.sobject('Lead').create({ LastName: 'X', Company: 'Y', External_Id__c: 'LEAD-0001' })).rejects.toMatchObject({ errorCode: 'DUPLICATE_VALUE' });
		await expect(conn.sobject('Lead').retrieve('00Q000000000000AAA')).rejects.toMatchObject({ errorCode: 'NOT_FOUND' });
	});
});

describe('upsert', () => {
	it('creates with 201 then updates with 200 on an external ID', async () => {
		const first = await conn.sobject('Lead').upsert({ External_Id__c: 'UPSERT-1', LastName: 'Hopper', Company: 'Navy' }, 'External_Id__c');
		expect(first).toMatchObject({ success: true, created: true });
		const second = await conn.sobject('Lead').upsert({ External_Id__c: 'UPSERT-1', Title: 'Admiral' }, 'External_Id__c');
		expect(second).toMatchObject({ success: true, created: false, id: (first as { id: string }).id });
		expect(emulator.store.get('Lead', (first as { id: string }).id)).toMatchObject({ LastName: 'Hopper', Title: 'Admiral' });
	});

	it('upserts arrays through Collections with per-record created flags', async () => {
		const results = await conn.sobject('Lead').upsert(
			[
				{ External_Id__c: 'UPSERT-1', Rating: 'Hot' },
				{ External_Id__c: 'UPSERT-2', LastName: 'Lamarr', Company: 'MGM' },
				{ External_Id__c: 'UPSERT-3', LastName: 'NoCompany' },
			],
			'External_Id__c',
		);
		expect(results.map((r) => [r.success, (r as { created?: boolean }).created])).toEqual([[true, false], [true, true], [false, undefined]]);
		expect((results[2] as { errors: Array<{ statusCode: string }> }).errors[0].statusCode).toBe('REQUIRED_FIELD_MISSING');
	});
});

describe('Collections', () => {
	it('creates an array with per-record results in input order', async () => {
		const results = await conn.sobject('Contact').create([
			{ LastName: 'Valid One' },
			{ FirstName: 'Missing last name' },
			{ LastName: 'Valid Two', Email: 'bad email' },
			{ LastName: 'Valid Three' },
		]);
		expect(results.map((r) => r.success)).toEqual([true, false, false, true]);
		expect(results[1]).toMatchObject({ success: false, errors: [{ statusCode: 'REQUIRED_FIELD_MISSING', fields: ['LastName'] }] });
		expect(results[2]).toMatchObject({ errors: [{ statusCode: 'INVALID_EMAIL_ADDRESS', fields: ['Email'] }] });
		expect(emulator.requests.counts().byRoute['POST /services/data/v{version}/composite/sobjects']).toBeGreaterThanOrEqual(1);
	});

	it('rolls everything back with allOrNone', async () => {
		const before = emulator.store.all('Contact').length;
		const results = await conn.sobject('Contact').create([{ LastName: 'Kept?' }, { FirstName: 'bad' }], { allOrNone: true });
		expect(results[0]).toMatchObject({ success: false, errors: [{ statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK' }] });
		expect(results[1]).toMatchObject({ success: false, errors: [{ statusCode: 'REQUIRED_FIELD_MISSING' }] });
		expect(emulator.store.all('Contact')).toHaveLength(before);
	});

	it('updates, retrieves and deletes arrays', async () => {
		const created = await conn.sobject('Contact').create([{ LastName: 'A' }, { LastName: 'B' }]);
		const ids = created.map((r) => r.id!);
		const updated = await conn.sobject('Contact').update([{ Id: ids[0], Title: 'T' }, { Id: '003000000000000AAA', Title: 'x' }]);
		expect(updated.map((r) => r.success)).toEqual([true, false]);
		const retrieved = (await conn.sobject('Contact').retrieve(ids, { fields: ['LastName', 'Title'] })) as Array<Record<string, unknown>>;
		expect(retrieved.map((r) => [r.LastName, r.Title])).toEqual([['A', 'T'], ['B', null]]);
		const deleted = await conn.sobject('Contact').destroy(ids);
		expect(deleted.map((r) => r.success)).toEqual([true, true]);
	});
});

describe('describe', () => {
	it('lists objects and describes Lead with custom fields and picklists', async () => {
		const global = await conn.describeGlobal();
		expect(global.sobjects.map((s) => s.name)).toEqual(expect.arrayContaining(['Lead', 'Contact', 'Opportunity', 'Campaign', 'CampaignMember']));
		const lead = await conn.sobject('Lead').describe();
		expect(lead.keyPrefix).toBe('00Q');
		const byName = Object.fromEntries(lead.fields.map((f) => [f.name, f]));
		expect(byName.External_Id__c).toMatchObject({ custom: true, externalId: true, unique: true, type: 'string' });
		expect(byName.Favorite_Color__c.picklistValues?.map((p) => p.value)).toEqual(['Red', 'Green', 'Blue']);
		expect(byName.Status.picklistValues?.find((p) => p.defaultValue)?.value).toBe('Open - Not Contacted');
		expect(byName.LastName).toMatchObject({ nillable: false, createable: true, defaultedOnCreate: false });
		expect(byName.OwnerId).toMatchObject({ type: 'reference', referenceTo: ['User'], relationshipName: 'Owner' });
	});

	it('shows fields added at runtime', async () => {
		emulator.store.addField('Lead', { name: 'Region__c', type: 'picklist', picklistValues: [{ value: 'EMEA', label: 'EMEA', active: true, defaultValue: false }] });
		const lead = await conn.request<{ fields: Array<{ name: string }> }>('/services/data/v64.0/sobjects/Lead/describe');
		expect(lead.fields.map((f) => f.name)).toContain('Region__c');
		const created = await conn.sobject('Lead').create({ LastName: 'R', Company: 'C', Region__c: 'EMEA' });
		expect(emulator.store.get('Lead', created.id!)?.Region__c).toBe('EMEA');
	});
});

describe('updated and deleted', () => {
	it('lists records changed and deleted in a window', async () => {
		const start = new Date(emulator.clock.now().getTime() - 60_000);
		const created = await conn.sobject('Lead').create({ LastName: 'Window', Company: 'W' });
		await conn.sobject('Lead').destroy(created.id!);
		const other = await conn.sobject('Lead').create({ LastName: 'Window2', Company: 'W' });
		// latestDateCovered never passes the current minute: move the clock on so the window covers these changes.
		emulator.clock.advance(120_000);
		const end = emulator.clock.now();
		const updated = await conn.sobject('Lead').updated(start.toISOString(), end.toISOString());
		expect(updated.ids).toContain(other.id);
		const deleted = await conn.sobject('Lead').deleted(start.toISOString(), end.toISOString());
		expect(deleted.deletedRecords.map((d) => d.id)).toContain(created.id);
		expect(deleted.earliestDateAvailable).toMatch(/\+0000$/);
	});
});
