// Account, Case, Task, Event, User, Any Object and Search through n8n-core against the emulator: the record operations
// every object shares, Add Comment, the Object parameter, SOQL and SOSL, batches of 1,000 with Continue On Fail.
import type { IDataObject } from 'n8n-workflow';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { byId, mapped, startNodeFixture, type NodeFixture } from './node-fixture.ts';

let fixture: NodeFixture;
beforeAll(async () => {
	fixture = await startNodeFixture();
});
afterAll(async () => await fixture?.close());
beforeEach(() => fixture.emulator.requests.reset());

type Row = Record<string, unknown> & { Id: string };
const rows = (sobject: string) => fixture.emulator.store.all(sobject) as Row[];
const row = (sobject: string, id: string) => fixture.emulator.store.get(sobject, id) as Row | undefined;
const byName = (value: string) => ({ __rl: true, mode: 'name', value });

/** Calls to the routes matching `pattern` since the last reset. */
function callsTo(pattern: RegExp): number {
	return Object.entries(fixture.emulator.requests.counts().byRoute)
		.filter(([route]) => pattern.test(route))
		.reduce((sum, [, count]) => sum + count, 0);
}

describe.each([
	{ resource: 'account', sobject: 'Account', prefix: '001', create: { Name: 'Analytical Engines' }, update: { Industry: 'Technology' } },
	{ resource: 'case', sobject: 'Case', prefix: '500', create: { Subject: 'Engine jams', Origin: 'Web' }, update: { Status: 'Closed' } },
	{ resource: 'task', sobject: 'Task', prefix: '00T', create: { Subject: 'Call back', Priority: 'High' }, update: { Status: 'Completed' } },
	{
		resource: 'event',
		sobject: 'Event',
		prefix: '00U',
		create: { Subject: 'Demo', StartDateTime: '2026-12-07T09:00:00.000Z', DurationInMinutes: 30 },
		update: { Location: 'Paris' },
	},
	{ resource: 'anyObject', sobject: 'Project__c', prefix: 'a02', create: { Name: 'Rollout' }, update: { Status__c: 'Active' } },
])('$resource: the record operations', ({ resource, sobject, prefix, create, update }) => {
	const on = { resource, ...(resource === 'anyObject' ? { sobject: byName(sobject) } : {}) };

	it('creates, gets, lists, updates, upserts and deletes', async () => {
		const [created] = await fixture.json({ ...on, operation: 'create', columns: mapped(create) });
		expect(created.Id).toMatch(new RegExp(`^${prefix}`));
		expect(row(sobject, created.Id as string)).toMatchObject(resource === 'event' ? { Subject: 'Demo', DurationInMinutes: 30 } : create);

		const [got] = await fixture.json({ ...on, operation: 'get', recordId: byId(created.Id as string), fieldSet: 'all' });
		expect(got).toMatchObject({ Id: created.Id, OwnerId: expect.stringMatching(/^005/) });

		const [updated] = await fixture.json({ ...on, operation: 'update', recordId: byId(created.Id as string), columns: mapped(update) });
		expect(updated.Id).toBe(created.Id);
		expect(row(sobject, created.Id as string)).toMatchObject(update);

		const listed = await fixture.json({ ...on, operation: 'getAll', queryMode: 'where', where: `Id = '${created.Id}'`, fieldSet: 'all', returnAll: true });
		expect(listed).toEqual([expect.objectContaining({ Id: created.Id, ...update })]);

		const upsert = { ...on, operation: 'upsert', externalIdField: 'External_Id__c', dataMode: 'json' };
		const [inserted] = await fixture.json({ ...upsert, recordJson: JSON.stringify({ ...create, External_Id__c: `${resource}-ext` }) });
		const [matched] = await fixture.json({ ...upsert, recordJson: JSON.stringify({ ...update, External_Id__c: `${resource}-ext` }) });
		expect([inserted.created, matched.created, matched.Id]).toEqual([true, false, inserted.Id]);

		await fixture.json({ ...on, operation: 'delete', recordId: byId(created.Id as string) });
		expect(row(sobject, created.Id as string)).toMatchObject({ IsDeleted: true });
	});

	it('describes the object', async () => {
		const [described] = await fixture.json({ ...on, operation: 'describe', includeReadOnly: false });
		expect(described).toMatchObject({ name: sobject });
	});
});

describe('Case: Add Comment', () => {
	it('adds comments to several cases in one Collections call, one output per item', async () => {
		const cases = await fixture.json({ resource: 'case', operation: 'create', columns: mapped({ Subject: '={{ $json.subject }}' }) }, [
			{ subject: 'First' },
			{ subject: 'Second' },
		]);
		fixture.emulator.requests.reset();
		const comments = await fixture.run(
			{ resource: 'case', operation: 'addComment', recordId: byId('={{ $json.caseId }}'), commentBody: '={{ $json.text }}', options: { isPublished: true } },
			[
				{ caseId: cases[0].Id, text: 'Looking into it' },
				{ caseId: cases[1].Id, text: 'Fixed' },
			],
		);
		expect(comments.error).toBeUndefined();
		expect(callsTo(/composite\/sobjects/)).toBe(1);
		expect(comments.items.map((item) => [item.pairedItem, item.json.ParentId, item.json.CommentBody])).toEqual([
			[{ item: 0 }, cases[0].Id, 'Looking into it'],
			[{ item: 1 }, cases[1].Id, 'Fixed'],
		]);
		const stored = rows('CaseComment').find((comment) => comment.Id === comments.items[1].json.Id);
		expect(stored).toMatchObject({ ParentId: cases[1].Id, CommentBody: 'Fixed', IsPublished: true });
	});

	it('refuses an ID of another object, naming the Case parameter', async () => {
		const lead = rows('Lead')[0];
		const result = await fixture.run({ resource: 'case', operation: 'addComment', recordId: byId(lead.Id), commentBody: 'x' }, [{}], 'continueRegularOutput');
		expect(result.items[0].json.error).toMatch(/is not a Case ID/);
	});
});

describe('batches of 1,000', () => {
	it('creates 1,000 accounts in 5 calls; with Continue On Fail only the refused items are errors, all paired', async () => {
		const input = Array.from({ length: 1000 }, (_, index) => ({ name: index % 250 === 7 ? '' : `Batch Account ${index}` }));
		const result = await fixture.run({ resource: 'account', operation: 'create', columns: mapped({ Name: '={{ $json.name }}' }) }, input, 'continueRegularOutput');
		expect(callsTo(/composite\/sobjects/)).toBe(5);
		expect(result.items).toHaveLength(1000);
		result.items.forEach((item, index) => {
			expect(item.pairedItem).toEqual({ item: index });
			if (index % 250 === 7) expect(item.json).toMatchObject({ statusCode: 'REQUIRED_FIELD_MISSING' });
			else expect(item.json).toMatchObject({ Id: expect.stringMatching(/^001/), Name: `Batch Account ${index}` });
		});
		expect(rows('Account').filter((account) => String(account.Name).startsWith('Batch Account '))).toHaveLength(996);
	});

	it('creates 1,000 records of a custom object with lookups through Any Object', async () => {
		const account = rows('Account')[0];
		const input = Array.from({ length: 1000 }, (_, index) => ({ name: `Bulk Project ${index}` }));
		const result = await fixture.run(
			{ resource: 'anyObject', sobject: byName('Project__c'), operation: 'create', columns: mapped({ Name: '={{ $json.name }}', Account__c: account.Id, Budget__c: 10 }) },
			input,
		);
		expect(result.error).toBeUndefined();
		expect(callsTo(/composite\/sobjects/)).toBe(5);
		const [first] = await fixture.json({
			resource: 'search',
			operation: 'query',
			query: `SELECT COUNT() FROM Project__c WHERE Account__r.Name = '${account.Name}' AND Name LIKE 'Bulk Project %'`,
		});
		expect(first).toEqual({ totalSize: 1000 });
	});
});

describe('Any Object', () => {
	it('takes the object from an expression when every item names the same one', async () => {
		const created = await fixture.json(
			{ resource: 'anyObject', sobject: byName('={{ $json.object }}'), operation: 'create', dataMode: 'json', recordJson: '={{ JSON.stringify({ Name: $json.name }) }}' },
			[
				{ object: 'Project__c', name: 'From expression 1' },
				{ object: 'project__c', name: 'From expression 2' },
			],
		);
		expect(created.map((record) => String(record.Id).slice(0, 3))).toEqual(['a02', 'a02']);
	});

	it('refuses items that name different objects, before writing anything', async () => {
		const before = rows('Account').length;
		const result = await fixture.run(
			{ resource: 'anyObject', sobject: byName('={{ $json.object }}'), operation: 'create', dataMode: 'json', recordJson: '{"Name": "Mixed"}' },
			[{ object: 'Account' }, { object: 'Project__c' }],
		);
		expect(result.error?.message).toMatch(/Item 1 names the object Project__c, item 0 names Account/);
		expect(rows('Account')).toHaveLength(before);
	});

	it('refuses an object name that is not an API name, and an unknown object, naming the fix', async () => {
		// A literal value is refused by n8n itself (the parameter's validation); one from an expression by the node.
		await expect(fixture.run({ resource: 'anyObject', sobject: byName("Lead WHERE Name != ''"), operation: 'getAll', returnAll: true })).rejects.toThrow(
			/An API name has letters, digits and underscores/,
		);
		const hostile = await fixture.run({ resource: 'anyObject', sobject: byName('={{ $json.object }}'), operation: 'getAll', returnAll: true }, [{ object: "Lead WHERE Name != ''" }]);
		expect(hostile.error?.message).toMatch(/Object: .* is not a valid Salesforce object name/);
		const unknown = await fixture.run({ resource: 'anyObject', sobject: byName('Nothing__c'), operation: 'getAll', returnAll: true });
		expect(unknown.error?.message).toBe('Salesforce has no object named Nothing__c');
		expect((unknown.error as { description?: string } | undefined)?.description).toMatch(/custom objects end in __c/);
	});

	it('lists objects that allow the operation, custom objects first, searchable by label or API name', async () => {
		const list = async (operation: string, filter?: string) =>
			(await fixture.harness.listSearch(fixture.nodeType, 'searchObjects', { resource: 'anyObject', operation }, filter)).results.map((result) => result.value);
		const creatable = await list('create');
		expect(creatable.slice(0, 2)).toEqual(['Project__c', 'Wide_Object__c']);
		expect(creatable).toContain('Account');
		expect(creatable).not.toContain('LeadStatus');
		expect(await list('getAll')).toContain('LeadStatus');
		expect(await list('create', 'proj')).toEqual(['Project__c']);
	});

	it('loads the chosen object’s fields for the mapper and finds its records by name', async () => {
		const parameters = { resource: 'anyObject', operation: 'create', sobject: { __rl: true, mode: 'list', value: 'Project__c' } };
		const { fields } = await fixture.harness.resourceMapping(fixture.nodeType, 'getCreateFields', parameters);
		expect(fields.map((field) => field.id)).toEqual(expect.arrayContaining(['Name', 'Account__c', 'Status__c']));
		const found = await fixture.harness.listSearch(fixture.nodeType, 'searchRecords', { ...parameters, operation: 'get' }, 'Rollout');
		expect(found.results[0]).toMatchObject({ name: 'Rollout', value: expect.stringMatching(/^a02/) });
	});
});

describe('record search by name field', () => {
	it('finds cases by case number, showing the subject', async () => {
		const [created] = await fixture.json({ resource: 'case', operation: 'create', columns: mapped({ Subject: 'Searchable case' }) });
		const caseNumber = row('Case', created.Id as string)!.CaseNumber as string;
		const found = await fixture.harness.listSearch(fixture.nodeType, 'searchRecords', { resource: 'case', operation: 'get' }, caseNumber);
		expect(found.results).toEqual([expect.objectContaining({ name: `${caseNumber} (Searchable case)`, value: created.Id })]);
	});
});

describe('User', () => {
	it('gets users and lists the active ones for assignment', async () => {
		const active = await fixture.json({
			resource: 'user',
			operation: 'getAll',
			queryMode: 'where',
			where: 'IsActive = true',
			returnAll: true,
		});
		expect(active.map((user) => user.Username)).toEqual(expect.arrayContaining(['ada@emulator.example', 'grace@emulator.example']));
		expect(active.map((user) => user.Username)).not.toContain('former@emulator.example');
		const [ada] = await fixture.json({ resource: 'user', operation: 'get', recordId: byId(active.find((user) => user.Username === 'ada@emulator.example')!.Id as string) });
		expect(ada).toMatchObject({ Name: 'Ada Lovelace', IsActive: true });
	});
});

describe('Search: SOQL query', () => {
	it('returns all rows across pages through nextRecordsUrl, or up to the limit', async () => {
		const all = await fixture.json({ resource: 'search', operation: 'query', query: "SELECT Id, Name FROM Project__c WHERE Name LIKE 'Bulk Project %'", returnAll: true });
		expect(all).toHaveLength(1000);
		expect(all[0]).not.toHaveProperty('attributes');
		const limited = await fixture.json({ resource: 'search', operation: 'query', query: 'SELECT Id FROM Project__c', limit: 3 });
		expect(limited).toHaveLength(3);
	});

	it('includes deleted rows on request', async () => {
		const [created] = await fixture.json({ resource: 'account', operation: 'create', columns: mapped({ Name: 'Soon deleted' }) });
		await fixture.json({ resource: 'account', operation: 'delete', recordId: byId(created.Id as string) });
		const query = `SELECT Id, IsDeleted FROM Account WHERE Id = '${created.Id}'`;
		expect(await fixture.json({ resource: 'search', operation: 'query', query, returnAll: true })).toEqual([]);
		expect(await fixture.json({ resource: 'search', operation: 'query', query, returnAll: true, options: { includeDeleted: true } })).toEqual([
			{ Id: created.Id, IsDeleted: true },
		]);
	});

	it('returns aggregate rows as items, one query per input item, each paired', async () => {
		const result = await fixture.run(
			{ resource: 'search', operation: 'query', query: '=SELECT Status__c, COUNT(Id) total FROM Project__c WHERE Name LIKE {{ "\'" + $json.prefix + "%\'" }} GROUP BY Status__c', returnAll: true },
			[{ prefix: 'Bulk Project' }, { prefix: 'Rollout' }],
		);
		expect(result.items.map((item) => [item.pairedItem, item.json])).toEqual([
			[{ item: 0 }, { Status__c: 'Planned', total: 1000 }],
			[{ item: 1 }, { Status__c: 'Active', total: 1 }],
		]);
	});

	it('reports a malformed query as the item’s error with Continue On Fail', async () => {
		const result = await fixture.run({ resource: 'search', operation: 'query', query: 'SELECT FROM', returnAll: true }, [{}], 'continueRegularOutput');
		expect(result.items).toEqual([expect.objectContaining({ json: expect.objectContaining({ errorCode: 'MALFORMED_QUERY', error: expect.stringMatching(/\(item 0\)$/) }), pairedItem: { item: 0 } })]);
	});
});

describe('Search: SOSL', () => {
	beforeAll(async () => {
		await fixture.json({ resource: 'case', operation: 'create', columns: mapped({ Subject: 'Quokka outage' }) });
		await fixture.json({ resource: 'anyObject', sobject: byName('Project__c'), operation: 'create', columns: mapped({ Name: 'Quokka rollout' }) });
	});

	it('searches the chosen objects and fields, with the ID always, each record with its object', async () => {
		const found = await fixture.json({
			resource: 'search',
			operation: 'search',
			searchTerm: 'quokka',
			returning: { object: [{ name: 'Case', fields: '' }, { name: 'Project__c', fields: 'Name, Status__c', limit: 5 }] },
		});
		expect(found).toEqual([
			{ $object: 'Case', Id: expect.stringMatching(/^500/), CaseNumber: expect.any(String) },
			{ $object: 'Project__c', Id: expect.stringMatching(/^a02/), Name: 'Quokka rollout', Status__c: 'Planned' },
		]);
	});

	it('offers the searchable objects to return, by label', async () => {
		const options = await fixture.harness.loadOptions(fixture.nodeType, 'getSearchableObjects', { resource: 'search', operation: 'search' });
		expect(options).toEqual(expect.arrayContaining([{ name: 'Case (Case)', value: 'Case' }, { name: 'Project (Project__c)', value: 'Project__c' }]));
		expect(options.map((option) => option.value)).not.toContain('LeadStatus');
	});

	it('escapes the term, so braces and quotes cannot leave it', async () => {
		const found = await fixture.json({ resource: 'search', operation: 'search', searchTerm: "quokka} RETURNING User(Username) {x'", returning: {} });
		expect(found).toEqual([]);
	});

	it('refuses a field the object does not have, naming it', async () => {
		const result = await fixture.run({ resource: 'search', operation: 'search', searchTerm: 'quokka', returning: { object: [{ name: 'Case', fields: 'Name' }] } });
		expect(result.error?.message).toMatch(/Name/);
	});

	it('sends a written SOSL search as written', async () => {
		const found = await fixture.json({ resource: 'search', operation: 'search', searchMode: 'sosl', sosl: 'FIND {quokka} RETURNING Project__c(Name)' });
		// Salesforce returns the fields RETURNING names, nothing more ("RETURNING", SOQL and SOSL Reference).
		expect(found).toEqual([{ $object: 'Project__c', Name: 'Quokka rollout' } as IDataObject]);
	});
});
