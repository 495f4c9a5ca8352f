// The editor's helpers: resource mapper columns, dropdowns and searchable record lists.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { SalesforceCrmTrigger } from '../../nodes/Salesforce/SalesforceCrmTrigger.node.ts';
import { mapped, startNodeFixture, type NodeFixture } from './node-fixture.ts';

let fixture: NodeFixture;
beforeAll(async () => {
	fixture = await startNodeFixture();
});
afterAll(async () => await fixture?.close());

describe('resource mapper', () => {
	it('builds create columns from describe: types, required flags, picklists, no read-only fields', async () => {
		const { fields } = await fixture.harness.resourceMapping(fixture.nodeType, 'getCreateFields', { resource: 'lead', operation: 'create' });
		const column = (id: string) => fields.find((field) => field.id === id);
		expect(column('LastName')).toMatchObject({ required: true, type: 'string', display: true });
		expect(column('Company')).toMatchObject({ required: true });
		expect(column('FirstName')).toMatchObject({ required: false });
		expect(column('AnnualRevenue')).toMatchObject({ type: 'number' });
		expect(column('Favorite_Color__c')).toMatchObject({
			type: 'options',
			options: [
				{ name: 'Red', value: 'Red' },
				{ name: 'Green', value: 'Green' },
				{ name: 'Blue', value: 'Blue' },
			],
		});
		expect(column('Status')?.options?.map((option) => option.value)).toContain('Closed - Converted');
		for (const readOnly of ['Id', 'Name', 'CreatedDate', 'IsConverted', 'SystemModstamp']) expect(column(readOnly)).toBeUndefined();
		expect(fields.slice(0, 2).every((field) => field.required)).toBe(true);
	});

	it('offers record types as a dropdown and makes the upsert key required', async () => {
		const { fields } = await fixture.harness.resourceMapping(fixture.nodeType, 'getUpsertFields', {
			resource: 'opportunity',
			operation: 'upsert',
			externalIdField: 'External_Id__c',
		});
		expect(fields.find((field) => field.id === 'External_Id__c')).toMatchObject({ required: true });
		expect(fields.filter((field) => field.required).map((field) => field.id)).toEqual(['External_Id__c']);
		expect(fields.find((field) => field.id === 'RecordTypeId')?.options?.map((option) => option.name)).toEqual(
			expect.arrayContaining(['New Business', 'Renewal']),
		);
		expect(fields.find((field) => field.id === 'CloseDate')).toMatchObject({ type: 'dateTime' });
	});

	it('offers only updateable fields, none required, for update', async () => {
		const { fields } = await fixture.harness.resourceMapping(fixture.nodeType, 'getUpdateFields', { resource: 'contact', operation: 'update' });
		expect(fields.some((field) => field.required)).toBe(false);
		expect(fields.find((field) => field.id === 'LastName')).toBeDefined();
	});
});

describe('resource mapper lookups', () => {
	it('lists users, accounts, contacts and campaigns by name, and multi-select picklist values', async () => {
		const opportunity = (await fixture.harness.resourceMapping(fixture.nodeType, 'getCreateFields', { resource: 'opportunity', operation: 'create' })).fields;
		const column = (fields: typeof opportunity, id: string) => fields.find((field) => field.id === id);
		const accounts = fixture.emulator.store.all('Account');
		expect(column(opportunity, 'AccountId')).toMatchObject({ type: 'options' });
		expect(column(opportunity, 'AccountId')?.options?.map((option) => option.value).sort()).toEqual(accounts.map((account) => account.Id).sort());
		expect(column(opportunity, 'AccountId')?.options).toContainEqual({ name: 'Acme Corp', value: accounts.find((account) => account.Name === 'Acme Corp')?.Id });
		const owners = column(opportunity, 'OwnerId')?.options ?? [];
		expect(owners.length).toBeGreaterThan(0);
		expect(owners.every((owner) => / \(.+@.+\)$/.test(owner.name))).toBe(true);
		expect(owners.some((owner) => owner.name.includes('Former'))).toBe(false);
		const names = owners.map((owner) => owner.name);
		expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
		expect(column(opportunity, 'CampaignId')?.options?.length).toBe(fixture.emulator.store.all('Campaign').length);
		const caseFields = (await fixture.harness.resourceMapping(fixture.nodeType, 'getUpdateFields', { resource: 'case', operation: 'update' })).fields;
		expect(column(caseFields, 'ContactId')).toMatchObject({ type: 'options' });
		const lead = (await fixture.harness.resourceMapping(fixture.nodeType, 'getCreateFields', { resource: 'lead', operation: 'create' })).fields;
		expect(column(lead, 'Interests__c')).toMatchObject({ type: 'options', options: ['Cloud', 'Data', 'AI', 'Security'].map((value) => ({ name: value, value })) });
	});
});

describe('dropdowns', () => {
	it('lists external ID, filterable and sortable fields', async () => {
		const externalIds = await fixture.harness.loadOptions(fixture.nodeType, 'getExternalIdFields', { resource: 'contact' });
		expect(externalIds.map((option) => option.value)).toEqual(['External_Id__c']);
		const all = await fixture.harness.loadOptions(fixture.nodeType, 'getFields', { resource: 'lead' });
		expect(all.map((option) => option.value)).toEqual(expect.arrayContaining(['Id', 'Favorite_Color__c', 'Email']));
	});
});

describe('typed conditions: Get Many (version 3) and the trigger (version 2)', () => {
	const trigger = new SalesforceCrmTrigger();
	const colorCondition = { field: 'Favorite_Color__c|picklist', operator: 'equal' };

	it('name picklists, multi-select picklists, checkboxes and dates with their type, other fields by API name', async () => {
		for (const [nodeType, method, parameters] of [
			[fixture.nodeType, 'getConditionFields', { resource: 'lead' }],
			[trigger, 'getTriggerConditionFields', { sobject: 'Lead' }],
		] as const) {
			const values = (await fixture.harness.loadOptions(nodeType, method, parameters)).map((option) => option.value);
			expect(values).toEqual(
				expect.arrayContaining(['Status|picklist', 'Interests__c|multipicklist', 'HasOptedOutOfEmail|boolean', 'CreatedDate|datetime', 'LastName', 'AnnualRevenue']),
			);
			expect(values).not.toContain('Status');
		}
		const opportunity = await fixture.harness.loadOptions(fixture.nodeType, 'getConditionFields', { resource: 'opportunity' });
		expect(opportunity.find((option) => option.value === 'CloseDate|date')).toMatchObject({ name: 'Close Date (CloseDate)', description: 'date' });
	});

	it("list the active values of the condition's own picklist, in Salesforce's order", async () => {
		const crm = await fixture.harness.loadOptions(
			fixture.nodeType,
			'getConditionPicklistValues',
			{ resource: 'lead', filterGroups: { groups: [{ conditions: { condition: [{ field: 'LastName', operator: 'equal' }, colorCondition] } }] } },
			'parameters.filterGroups.groups[0].conditions.condition[1].picklistValue',
		);
		expect(crm).toEqual([
			{ name: 'Red', value: 'Red' },
			{ name: 'Green', value: 'Green' },
			{ name: 'Blue', value: 'Blue' },
		]);
		const triggerValues = await fixture.harness.loadOptions(
			trigger,
			'getTriggerPicklistValues',
			{ sobject: 'Lead', filters: { conditions: { condition: [{ field: 'Interests__c|multipicklist', operator: 'includes' }] } } },
			'parameters.filters.conditions.condition[0].picklistValues',
		);
		expect(triggerValues.map((option) => option.value)).toEqual(['Cloud', 'Data', 'AI', 'Security']);
		const textField = await fixture.harness.loadOptions(
			fixture.nodeType,
			'getConditionPicklistValues',
			{ resource: 'lead', filterGroups: { groups: [{ conditions: { condition: [{ field: 'LastName', operator: 'equal' }] } }] } },
			'parameters.filterGroups.groups[0].conditions.condition[0].picklistValue',
		);
		expect(textField).toEqual([]);
	});

	it('the trigger filters on a value chosen from the dropdown', async () => {
		const red = await fixture.harness.poll({
			nodeType: trigger,
			mode: 'manual',
			parameters: {
				sobject: 'Lead',
				event: 'createdOrUpdated',
				filters: { conditions: { condition: [{ ...colorCondition, picklistValue: 'Red', value: 'Blue' }] } },
				options: { fields: ['Favorite_Color__c'] },
			},
		});
		expect(red.items?.[0].map((item) => item.json.Favorite_Color__c)).toEqual(['Red']);
	});
});

describe('searchable lists', () => {
	it('searches records by name on the server, with a link to the record', async () => {
		const { results } = await fixture.harness.listSearch(fixture.nodeType, 'searchRecords', { resource: 'opportunity' }, 'Globex');
		expect(results.length).toBeGreaterThan(0);
		expect(results.every((result) => String(result.name).includes('Globex'))).toBe(true);
		expect(results[0].url).toBe(`${fixture.emulator.url}/${results[0].value}`);
	});

	it('tells apart records with the same name and detail: their email, else their ID', async () => {
		const lead = (email?: string) => ({ FirstName: 'Ada', LastName: 'Twinlace', Company: 'Analytical Engines Ltd', ...(email ? { Email: email } : {}) });
		const ids: string[] = [];
		for (const fields of [lead('ada@engines.example'), lead('countess@engines.example'), lead(), lead()]) {
			const [record] = await fixture.json({ resource: 'lead', operation: 'create', columns: mapped(fields) });
			ids.push(record.Id as string);
		}
		const { results } = await fixture.harness.listSearch(fixture.nodeType, 'searchRecords', { resource: 'lead' }, 'Twinlace');
		const nameOf = (id: string) => results.find((result) => result.value === id)?.name;
		expect(nameOf(ids[0])).toBe('Ada Twinlace (Analytical Engines Ltd) · ada@engines.example');
		expect(nameOf(ids[1])).toBe('Ada Twinlace (Analytical Engines Ltd) · countess@engines.example');
		expect(nameOf(ids[2])).toBe(`Ada Twinlace (Analytical Engines Ltd) · ${ids[2]}`);
		expect(new Set(results.map((result) => result.name)).size).toBe(results.length);
		const single = await fixture.harness.listSearch(fixture.nodeType, 'searchAccounts', {}, 'Acme');
		expect(single.results.map((account) => account.name)).toEqual(['Acme Corp']);
	});

	it('treats LIKE wildcards and quotes in the search text literally', async () => {
		const { results } = await fixture.harness.listSearch(fixture.nodeType, 'searchRecords', { resource: 'lead' }, "%' OR Name LIKE '%");
		expect(results).toEqual([]);
	});

	it('finds active users, accounts, contacts and campaigns', async () => {
		const users = await fixture.harness.listSearch(fixture.nodeType, 'searchUsers', {}, 'e');
		expect(users.results.length).toBeGreaterThan(0);
		expect(users.results.some((user) => String(user.name).includes('Former'))).toBe(false);
		const accounts = await fixture.harness.listSearch(fixture.nodeType, 'searchAccounts', {}, 'Acme');
		expect(accounts.results.map((account) => account.name)).toEqual(['Acme Corp']);
		const campaigns = await fixture.harness.listSearch(fixture.nodeType, 'searchCampaigns', {});
		expect(campaigns.results).toHaveLength(2);
		const contacts = await fixture.harness.listSearch(fixture.nodeType, 'searchContacts', {}, '');
		expect(contacts.results.length).toBeGreaterThan(0);
	});
});

// Last: it fills the org with contacts.
describe('resource mapper lookups of large objects', () => {
	it('keep an ID column for an object with more records than a dropdown lists', async () => {
		const missing = 201 - fixture.emulator.store.all('Contact').length;
		for (let index = 0; index < missing; index++) fixture.emulator.store.insert('Contact', { LastName: `Filler ${index}` });
		const fields = (await fixture.harness.resourceMapping(fixture.nodeType, 'getUpdateFields', { resource: 'case', operation: 'update' })).fields;
		expect(fields.find((field) => field.id === 'ContactId')).toMatchObject({ type: 'string' });
		expect(fields.find((field) => field.id === 'ContactId')).not.toHaveProperty('options');
		expect(fields.find((field) => field.id === 'AccountId')).toMatchObject({ type: 'options' });
	});
});
