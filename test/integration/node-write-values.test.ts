// What a write sends: strict numbers, explicit clearing, no silently dropped field, short error items.
// Through n8n-core against the emulator, with the mapper schema the editor stores (so n8n's own type conversion runs).
import type { IDataObject, ResourceMapperField } from 'n8n-workflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { byId, mapped, startNodeFixture, type NodeFixture } from './node-fixture.ts';

let fixture: NodeFixture;
let updateSchema: ResourceMapperField[];
let createSchema: ResourceMapperField[];
beforeAll(async () => {
	fixture = await startNodeFixture();
	createSchema = (await fixture.harness.resourceMapping(fixture.nodeType, 'getCreateFields', { resource: 'lead', operation: 'create' })).fields;
	updateSchema = (await fixture.harness.resourceMapping(fixture.nodeType, 'getUpdateFields', { resource: 'lead', operation: 'update' })).fields;
});
afterAll(async () => await fixture?.close());

/** The mapper as the editor stores it: the values set below and the columns loaded from describe. */
const columns = (value: IDataObject, schema: ResourceMapperField[], mappingMode = 'defineBelow') => ({ ...mapped(value), mappingMode, schema });

async function newLead(fields: IDataObject = {}): Promise<string> {
	const [lead] = await fixture.json({
		resource: 'lead',
		operation: 'create',
		columns: columns({ LastName: 'Values', Company: 'Acme', Phone: '555-0100', AnnualRevenue: 1000, ...fields }, createSchema),
	});
	return lead.Id as string;
}

const stored = (id: string) => fixture.emulator.store.get('Lead', id) as IDataObject;

describe('number fields', () => {
	it.each(['0x1A', '1e400', 'Infinity', '1,000'])('refuses %j in the mapper, naming the field; nothing is written', async (value) => {
		const id = await newLead();
		const result = await fixture.run(
			{ resource: 'lead', operation: 'update', recordId: byId(id), columns: columns({ AnnualRevenue: '={{ $json.value }}' }, updateSchema) },
			[{ value }],
		);
		expect(result.error?.message).toMatch(/field "AnnualRevenue"/);
		expect((result.error as { description?: string }).description).toMatch(/plain decimal number/);
		expect(stored(id).AnnualRevenue).toBe(1000);
	});

	it('refuses hex text and fractions for an int field in JSON mode and auto-map', async () => {
		const json = await fixture.run({ resource: 'lead', operation: 'create', dataMode: 'json', recordJson: JSON.stringify({ LastName: 'X', Company: 'Y', AnnualRevenue: '0x1A' }) });
		expect(json.error?.message).toMatch(/"0x1A" is not a valid number for field "AnnualRevenue"/);
		const auto = await fixture.run(
			{ resource: 'lead', operation: 'create', columns: columns({}, createSchema, 'autoMapInputData') },
			[{ LastName: 'X', Company: 'Y', NumberOfEmployees: 12.5 }],
		);
		expect(auto.error?.message).toMatch(/field "NumberOfEmployees"/);
		expect((auto.error as { description?: string }).description).toMatch(/whole number/);
	});

	it('converts the other columns as n8n does, and names the field n8n cannot convert', async () => {
		const opportunitySchema = (await fixture.harness.resourceMapping(fixture.nodeType, 'getCreateFields', { resource: 'opportunity', operation: 'create' })).fields;
		const [opportunity] = await fixture.json({
			resource: 'opportunity',
			operation: 'create',
			columns: columns({ Name: 'Typed', StageName: 'Prospecting', CloseDate: '2026-06-30', Amount: '12000' }, opportunitySchema),
		});
		expect(fixture.emulator.store.get('Opportunity', opportunity.Id as string)).toMatchObject({ CloseDate: '2026-06-30', Amount: 12000 });
		const result = await fixture.run(
			{ resource: 'lead', operation: 'create', columns: columns({ LastName: 'X', Company: 'Y', HasOptedOutOfEmail: '={{ $json.optOut }}' }, createSchema) },
			[{ optOut: 'maybe' }],
		);
		expect(result.error?.message).toBe('Invalid value for field "HasOptedOutOfEmail" (item 0)');
		expect((result.error as { description?: string }).description).toMatch(/expects a boolean/);
	});

	it('writes lookups picked from their dropdown or given by ID, and several multi-select values, and checks picklists', async () => {
		const schema = (await fixture.harness.resourceMapping(fixture.nodeType, 'getCreateFields', { resource: 'opportunity', operation: 'create' })).fields;
		const accountColumn = schema.find((column) => column.id === 'AccountId')!;
		expect(accountColumn.type).toBe('options');
		const acme = accountColumn.options!.find((option) => option.name === 'Acme Corp')!.value as string;
		const newAccount = fixture.emulator.store.insert('Account', { Name: 'Not In The Saved List' }).Id as string;
		const base = { Name: 'Looked up', StageName: 'Prospecting', CloseDate: '2026-06-30' };
		const result = await fixture.run(
			{ resource: 'opportunity', operation: 'create', columns: columns({ ...base, AccountId: '={{ $json.account }}' }, schema) },
			[{ account: acme }, { account: newAccount }],
		);
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => fixture.emulator.store.get('Opportunity', item.json.Id as string)?.AccountId)).toEqual([acme, newAccount]);
		const leadSchema = (await fixture.harness.resourceMapping(fixture.nodeType, 'getCreateFields', { resource: 'lead', operation: 'create' })).fields;
		expect(leadSchema.find((column) => column.id === 'Interests__c')).toMatchObject({ type: 'options' });
		const leads = await fixture.run(
			{ resource: 'lead', operation: 'create', columns: columns({ LastName: 'Multi', Company: 'Select', Interests__c: '={{ $json.interests }}' }, leadSchema) },
			[{ interests: 'AI' }, { interests: ['AI', 'Data'] }, { interests: 'Cloud;Security' }],
		);
		expect(leads.error).toBeUndefined();
		expect(leads.items.map((item) => stored(item.json.Id as string).Interests__c)).toEqual(['AI', 'AI;Data', 'Cloud;Security']);
		const purple = await fixture.run({ resource: 'lead', operation: 'create', columns: columns({ LastName: 'X', Company: 'Y', Favorite_Color__c: '={{ "Purple" }}' }, leadSchema) });
		expect(purple.error?.message).toBe('Invalid value for field "Favorite_Color__c" (item 0)');
	});

	it('still reads decimal text and numbers', async () => {
		const id = await newLead({ AnnualRevenue: ' 2500.50 ', NumberOfEmployees: '1e3' });
		expect(stored(id)).toMatchObject({ AnnualRevenue: 2500.5, NumberOfEmployees: 1000 });
	});
});

describe('clearing fields', () => {
	it('clears the fields listed in Fields to Clear on update (sent as null)', async () => {
		const id = await newLead();
		const [record] = await fixture.json({
			resource: 'lead',
			operation: 'update',
			recordId: byId(id),
			columns: columns({ Title: 'CTO' }, updateSchema),
			options: { fieldsToClear: ['Phone', 'AnnualRevenue'] },
		});
		expect(record).toEqual({ Id: id, Title: 'CTO', Phone: null, AnnualRevenue: null });
		expect(stored(id)).toMatchObject({ Title: 'CTO', Phone: null, AnnualRevenue: null });
	});

	// Bulk API 2.0, "Valid CSV Record Rows": empty values are ignored on update, #N/A sets a field to null.
	it('clears through Bulk API 2.0 too, and on Create or Update', async () => {
		const id = await newLead({ External_Id__c: 'CLEAR-BULK-1' });
		await fixture.json({
			resource: 'lead',
			operation: 'upsert',
			externalIdField: 'External_Id__c',
			columns: columns({ External_Id__c: 'CLEAR-BULK-1' }, updateSchema),
			options: { fieldsToClear: ['Phone'], bulkMode: 'always' },
		});
		expect(stored(id).Phone).toBeNull();
	});

	it('refuses to clear a field that is also mapped, or one Salesforce cannot clear', async () => {
		const id = await newLead();
		const both = await fixture.run({
			resource: 'lead',
			operation: 'update',
			recordId: byId(id),
			columns: columns({ Phone: '555-0199' }, updateSchema),
			options: { fieldsToClear: ['Phone'] },
		});
		expect(both.error?.message).toMatch(/"Phone" is both mapped and in Fields to Clear/);
		const required = await fixture.run({ resource: 'lead', operation: 'update', recordId: byId(id), columns: columns({}, updateSchema), options: { fieldsToClear: ['LastName'] } });
		expect(required.error?.message).toMatch(/"LastName" cannot be cleared/);
		expect(stored(id).Phone).toBe('555-0100');
	});

	it('offers only nillable, updateable fields to clear', async () => {
		const options = await fixture.harness.loadOptions(fixture.nodeType, 'getClearableFields', { resource: 'lead' });
		const names = options.map((option) => option.value);
		expect(names).toEqual(expect.arrayContaining(['Phone', 'AnnualRevenue', 'Favorite_Color__c']));
		for (const name of ['LastName', 'Company', 'Status', 'IsConverted', 'Id', 'HasOptedOutOfEmail']) expect(names).not.toContain(name);
	});
});

describe('no silently dropped field', () => {
	it('fails an update whose mapped value is empty, naming the field and the fixes; the record is untouched', async () => {
		const id = await newLead();
		for (const empty of ['', '={{ $json.missing }}', '={{ null }}']) {
			const result = await fixture.run({ resource: 'lead', operation: 'update', recordId: byId(id), columns: columns({ Title: 'Set', AnnualRevenue: empty, Phone: '' }, updateSchema) }, [{}], 'continueRegularOutput');
			expect(result.items).toHaveLength(1);
			expect(result.items[0].json.error).toBe('No value for AnnualRevenue, Phone (item 0)');
			expect(result.items[0].json.message).toMatch(/Fields to Clear/);
		}
		expect(stored(id)).toMatchObject({ Title: null, AnnualRevenue: 1000, Phone: '555-0100' });
	});

	it('leaves empty fields unchanged, or clears them, when Empty Values says so', async () => {
		const id = await newLead();
		const update = (emptyValues: string) =>
			fixture.json({ resource: 'lead', operation: 'update', recordId: byId(id), columns: columns({ Title: emptyValues, Phone: '' }, updateSchema), options: { emptyValues } });
		expect(await update('skip')).toEqual([{ Id: id, Title: 'skip' }]);
		expect(stored(id).Phone).toBe('555-0100');
		expect(await update('clear')).toEqual([{ Id: id, Title: 'clear', Phone: null }]);
		expect(stored(id).Phone).toBeNull();
	});

	it('node version 1 keeps leaving empty fields unchanged, as workflows built with it expect', async () => {
		const id = await newLead();
		const parameters = { resource: 'lead', operation: 'update', recordId: byId(id), columns: columns({ Title: 'Version 1', Phone: '' }, updateSchema) };
		const v1 = await fixture.harness.runNode({ nodeType: fixture.nodeType, parameters, typeVersion: 1 });
		expect(v1.error).toBeUndefined();
		expect(v1.items.map((item) => item.json)).toEqual([{ Id: id, Title: 'Version 1' }]);
		expect(stored(id)).toMatchObject({ Title: 'Version 1', Phone: '555-0100' });
		const v2 = await fixture.harness.runNode({ nodeType: fixture.nodeType, parameters, typeVersion: 2 });
		expect(v2.error?.message).toMatch(/No value for Phone/);
	});

	it('on create, an empty value leaves the field empty, as Salesforce would', async () => {
		const [lead] = await fixture.json({ resource: 'lead', operation: 'create', columns: columns({ LastName: 'Blank', Company: 'Acme', Phone: '', AnnualRevenue: '' }, createSchema) });
		expect(stored(lead.Id as string)).toMatchObject({ Phone: null, AnnualRevenue: null });
	});

	it('auto-map sends null as a clear only when asked, and ignores input keys that match no column', async () => {
		const id = await newLead();
		const input = [{ Title: 'Auto', Phone: null, Id: id, CreatedDate: '2020-01-01', NotAField: 1 }];
		const auto = { resource: 'lead', operation: 'update', recordId: byId(id), columns: columns({}, updateSchema, 'autoMapInputData') };
		const failed = await fixture.run(auto, input);
		expect(failed.error?.message).toBe('No value for Phone (item 0)');
		const [record] = await fixture.json({ ...auto, options: { emptyValues: 'clear' } }, input);
		expect(record).toEqual({ Id: id, Title: 'Auto', Phone: null });
	});

	it('refuses a read-only field named in JSON mode before sending', async () => {
		fixture.emulator.requests.reset();
		const result = await fixture.run({ resource: 'lead', operation: 'create', dataMode: 'json', recordJson: JSON.stringify({ LastName: 'X', Company: 'Y', IsConverted: true }) });
		expect(result.error?.message).toMatch(/Lead field "IsConverted" is read-only/);
		expect(fixture.emulator.requests.counts().data).toBe(0);
	});
});

describe('error items with long values', () => {
	const huge = 'x'.repeat(200_000);

	it('quote Salesforce’s STRING_TOO_LONG message once, shortened, with its length', async () => {
		const result = await fixture.run({ resource: 'lead', operation: 'create', columns: columns({ LastName: huge, Company: 'Acme' }, createSchema) }, [{}], 'continueRegularOutput');
		const item = result.items[0].json;
		expect(item.statusCode).toBe('STRING_TOO_LONG');
		const size = JSON.stringify(result.items[0]).length;
		expect(size).toBeLessThan(2_000);
		expect(item.error).toMatch(/^STRING_TOO_LONG: Last Name: data value too large: xxxx/);
		expect(item.error).toMatch(/… \(200,\d{3} characters\) \(item 0\)$/);
		expect(JSON.stringify(item).split('xxxxxxxxxx').length - 1).toBeLessThanOrEqual(Math.ceil(250 / 10));
	});

	it('stay short on the error output, Salesforce’s keys under details', async () => {
		const result = await fixture.harness.runNode({
			nodeType: fixture.nodeType,
			parameters: { resource: 'lead', operation: 'create', columns: columns({ LastName: huge, Company: 'Acme' }, createSchema) },
			onError: 'continueErrorOutput',
		});
		const [failed] = result.outputs[1];
		expect(JSON.stringify(failed).length).toBeLessThan(2_000);
		expect(failed.json).toEqual({
			error: expect.stringMatching(/^STRING_TOO_LONG: Last Name: data value too large: x+… \(200,\d{3} characters\) \(item 0\)$/),
			details: { statusCode: 'STRING_TOO_LONG', fields: ['LastName'], httpCode: '400' },
		});
	});

	it('keep a thrown error short too (n8n itself keeps the node’s parameters with it)', async () => {
		const result = await fixture.run({ resource: 'lead', operation: 'create', columns: columns({ LastName: huge, Company: 'Acme' }, createSchema) });
		const { node: _parameters, stack: _stack, ...error } = JSON.parse(JSON.stringify(result.error)) as IDataObject;
		expect(JSON.stringify(error).length).toBeLessThan(2_000);
		expect(result.error?.message).toMatch(/\(200,\d{3} characters\) \(item 0\)$/);
	});

	it('quote a long bad number once, shortened', async () => {
		const result = await fixture.run({ resource: 'lead', operation: 'create', dataMode: 'json', recordJson: JSON.stringify({ LastName: 'X', Company: 'Y', AnnualRevenue: `0x${huge}` }) }, [{}], 'continueRegularOutput');
		expect(JSON.stringify(result.items[0]).length).toBeLessThan(2_000);
		expect(result.items[0].json.error).toMatch(/\(200,002 characters\)/);
	});
});
