// Create, get, get many, update and delete on every resource, through n8n-core against the emulator.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { byId, byUrl, mapped, startNodeFixture, type NodeFixture } from './node-fixture.ts';

let fixture: NodeFixture;
beforeAll(async () => {
	fixture = await startNodeFixture();
});
afterAll(async () => await fixture?.close());

const cases = [
	{
		resource: 'lead',
		sobject: 'Lead',
		fields: {
			LastName: 'Lovelace',
			Company: 'Analytical Engines',
			Favorite_Color__c: 'Green',
			External_Id__c: 'N8N-LEAD-1',
			AnnualRevenue: '2500000',
		},
		expected: { AnnualRevenue: 2500000, Favorite_Color__c: 'Green' },
		update: { Status: 'Working - Contacted' },
	},
	{
		resource: 'contact',
		sobject: 'Contact',
		fields: { FirstName: 'Grace', LastName: 'Hopper', Email: 'grace@navy.example', External_Id__c: 'N8N-CONTACT-1' },
		expected: { Email: 'grace@navy.example' },
		update: { Title: 'Rear Admiral' },
	},
	{
		resource: 'opportunity',
		sobject: 'Opportunity',
		fields: { Name: 'Difference Engine', StageName: 'Prospecting', CloseDate: '2026-06-30', Amount: 12000, External_Id__c: 'N8N-OPP-1' },
		expected: { Amount: 12000, CloseDate: '2026-06-30' },
		update: { StageName: 'Closed Won' },
	},
] as const;

describe.each(cases)('$resource', ({ resource, sobject, fields, expected, update }) => {
	let id: string;

	it('creates a record from mapped fields (custom fields and picklists included)', async () => {
		const result = await fixture.run({ resource, operation: 'create', columns: mapped({ ...fields }) });
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(1);
		expect(result.items[0].pairedItem).toEqual({ item: 0 });
		id = result.items[0].json.Id as string;
		expect(id).toMatch(/^[a-zA-Z0-9]{18}$/);
		const stored = fixture.emulator.store.get(sobject, id) as Record<string, unknown>;
		expect(stored).toMatchObject({ ...fields, ...expected });
	});

	it('gets it by ID, by Lightning URL and by Classic URL, without attributes', async () => {
		const host = new URL(fixture.emulator.url).host;
		const locators = [
			byId(id),
			byUrl(`https://acme.lightning.force.com/lightning/r/${sobject}/${id}/view`),
			byUrl(`https://${host}/${id}`),
		];
		for (const recordId of locators) {
			const [record] = await fixture.json({ resource, operation: 'get', recordId });
			expect(record).toMatchObject({ Id: id, ...expected });
			expect(record).not.toHaveProperty('attributes');
		}
	});

	it('gets chosen fields, parent fields included', async () => {
		const [record] = await fixture.json({
			resource,
			operation: 'get',
			recordId: byId(id),
			fieldSet: 'selected',
			fields: ['External_Id__c', 'Owner.Name'],
		});
		expect(record).toEqual({ Id: id, External_Id__c: fields.External_Id__c, Owner: { Name: expect.any(String) } });
	});

	it('finds it with Get Many conditions', async () => {
		const records = await fixture.json({
			resource,
			operation: 'getAll',
			filterGroups: {
				groups: [{ combinator: 'AND', conditions: { condition: [{ field: 'External_Id__c', operator: 'equal', value: fields.External_Id__c }] } }],
			},
			returnAll: true,
		});
		expect(records).toHaveLength(1);
		expect(records[0]).toMatchObject({ Id: id });
		expect(records[0]).not.toHaveProperty('attributes');
	});

	it('updates it', async () => {
		const [record] = await fixture.json({ resource, operation: 'update', recordId: byId(id), columns: mapped({ ...update }) });
		expect(record).toEqual({ Id: id, ...update });
		expect(fixture.emulator.store.get(sobject, id)).toMatchObject(update);
	});

	it('deletes it; getting it afterwards is a clear NOT_FOUND', async () => {
		const [record] = await fixture.json({ resource, operation: 'delete', recordId: byId(id) });
		expect(record).toEqual({ Id: id, deleted: true });
		const result = await fixture.run({ resource, operation: 'get', recordId: byId(id) });
		expect(result.error?.message).toMatch(new RegExp(`NOT_FOUND: No ${sobject} with ID ${id} \\(item 0\\)`));
	});
});

describe('record locator and fields checks', () => {
	it('refuses an ID of another object, naming the parameter', async () => {
		const [contact] = fixture.emulator.store.all('Contact') as Array<{ Id: string }>;
		const result = await fixture.run({ resource: 'lead', operation: 'get', recordId: byId(contact.Id) });
		expect(result.error?.message).toMatch(/is not a Lead ID/);
		expect((result.error as { description?: string }).description).toMatch(/Lead IDs start with 00Q/);
	});

	it('reports an unknown field in JSON mode as that item’s error', async () => {
		const result = await fixture.run({ resource: 'lead', operation: 'create', dataMode: 'json', recordJson: '={{ JSON.stringify($json) }}' }, [
			{ LastName: 'Ok', Company: 'Fine' },
			{ LastName: 'Bad', Company: 'Fine', Nope__c: 1 },
		], 'continueRegularOutput');
		expect(result.items.map((item) => item.json.error ?? 'ok')).toEqual(['ok', 'No field "Nope__c" on Lead (item 1)']);
	});

	it('sets Owner and Account picked from searchable lists', async () => {
		const { results: users } = await fixture.harness.listSearch(fixture.nodeType, 'searchUsers', {}, 'Grace');
		const { results: accounts } = await fixture.harness.listSearch(fixture.nodeType, 'searchAccounts', {}, 'Initech');
		const [contact] = await fixture.json({
			resource: 'contact',
			operation: 'create',
			columns: mapped({ LastName: 'Owned' }),
			options: {
				owner: { __rl: true, mode: 'list', value: users[0].value },
				account: { __rl: true, mode: 'list', value: accounts[0].value },
			},
		});
		expect(fixture.emulator.store.get('Contact', contact.Id as string)).toMatchObject({ OwnerId: users[0].value, AccountId: accounts[0].value });
		const result = await fixture.run({ resource: 'lead', operation: 'create', columns: mapped({ LastName: 'X', Company: 'Y' }), options: { owner: byId(accounts[0].value as string) } });
		expect(result.error?.message).toMatch(/is not a User ID/);
	});

	it('sends dates, numbers and multi-valued JSON values as Salesforce expects', async () => {
		const [record] = await fixture.json({
			resource: 'opportunity',
			operation: 'create',
			dataMode: 'json',
			recordJson: JSON.stringify({ Name: 'Typed', StageName: 'Prospecting', CloseDate: '2026-02-01T10:00:00.000Z', Amount: '99.5' }),
		});
		expect(record).toMatchObject({ CloseDate: '2026-02-01', Amount: 99.5 });
	});
});
