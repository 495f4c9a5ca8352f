// Get Many: conditions, raw WHERE, full SOQL, sort, limit, return all past 2,000 rows, include deleted, and the
// injection corpus run against the emulator.
import type { INodeParameters, NodeParameterValue } from 'n8n-workflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { HOSTILE_KEYWORDS, INJECTION_CORPUS } from '../fixtures/soql-injection.ts';
import { byId, mapped, startNodeFixture, type NodeFixture } from './node-fixture.ts';

let fixture: NodeFixture;
beforeAll(async () => {
	fixture = await startNodeFixture();
});
afterAll(async () => await fixture?.close());

const condition = (field: string, operator: string, value?: NodeParameterValue | NodeParameterValue[]): INodeParameters => ({ field, operator, value });
const where = (...groups: Array<{ combinator?: string; conditions: INodeParameters[] }>): INodeParameters => ({
	groups: groups.map((group) => ({ combinator: group.combinator ?? 'AND', conditions: { condition: group.conditions } })),
});

async function getMany(parameters: Record<string, unknown>) {
	return await fixture.json({ resource: 'lead', operation: 'getAll', returnAll: true, ...parameters });
}

describe('conditions', () => {
	it('combine AND/OR groups with typed values', async () => {
		const records = await getMany({
			filterGroups: where(
				{ conditions: [condition('Favorite_Color__c', 'equal', 'Red'), condition('AnnualRevenue', 'greaterThan', '1000000')] },
				{ conditions: [condition('External_Id__c', 'in', 'LEAD-0002, LEAD-0003')] },
			),
			groupCombinator: 'OR',
			fieldSet: 'selected',
			fields: ['External_Id__c', 'Favorite_Color__c', 'AnnualRevenue'],
			sort: { sortField: [{ field: 'External_Id__c', direction: 'ASC' }] },
		});
		expect(records.length).toBeGreaterThan(2);
		for (const record of records) {
			const redAndRich = record.Favorite_Color__c === 'Red' && Number(record.AnnualRevenue) > 1_000_000;
			expect(redAndRich || ['LEAD-0002', 'LEAD-0003'].includes(record.External_Id__c as string)).toBe(true);
		}
		const keys = records.map((record) => record.External_Id__c as string);
		expect(keys).toEqual([...keys].sort());
	});

	it('handle null checks, NOT IN, LIKE and date literals', async () => {
		const noColor = await getMany({ filterGroups: where({ conditions: [condition('Favorite_Color__c', 'isNull'), condition('External_Id__c', 'like', 'LEAD-%')] }) });
		expect(noColor).toHaveLength(5);
		const recent = await getMany({ filterGroups: where({ conditions: [condition('CreatedDate', 'greaterOrEqual', 'LAST_N_DAYS:2'), condition('Status', 'notIn', 'Closed - Not Converted')] }) });
		expect(recent.length).toBeGreaterThan(0);
		expect(recent.every((record) => record.Status !== 'Closed - Not Converted')).toBe(true);
	});

	it('return the common fields by default and honour the limit', async () => {
		const records = await fixture.json({ resource: 'lead', operation: 'getAll', limit: 3 });
		expect(records).toHaveLength(3);
		expect(Object.keys(records[0])).toEqual(expect.arrayContaining(['Id', 'LastName', 'Company', 'Status', 'OwnerId']));
		expect(records[0]).not.toHaveProperty('SystemModstamp');
	});

	it('refuse a value of the wrong type with the field name and the fix', async () => {
		const result = await fixture.run({ resource: 'lead', operation: 'getAll', filterGroups: where({ conditions: [condition('AnnualRevenue', 'equal', "1 OR Name != ''")] }) });
		expect(result.error?.message).toMatch(/AnnualRevenue is a number field.*\(item 0\)/);
	});
});

// Version 3: picklists, checkboxes and dates take their values in a dropdown, a toggle and a date picker; the field
// list names those fields with their type (`Status|picklist`), and each kind's value comes from its own input.
describe('typed conditions (version 3)', () => {
	const typed = (parameters: Record<string, unknown>) => getMany({ filterGroups: where({ conditions: [parameters as ReturnType<typeof condition>] }), fieldSet: 'all' });
	const leads = () => fixture.emulator.store.all('Lead');
	const ids = (records: Array<{ Id?: unknown }>) => records.map((record) => String(record.Id)).sort();

	it('reads a picklist value from the dropdown, several from the multi-select', async () => {
		const red = await typed({ field: 'Favorite_Color__c|picklist', operator: 'equal', picklistValue: 'Red', value: 'Blue' });
		expect(red.length).toBeGreaterThan(0);
		expect(ids(red)).toEqual(ids(leads().filter((lead) => lead.Favorite_Color__c === 'Red')));
		const someColors = await typed({ field: 'Favorite_Color__c|picklist', operator: 'in', picklistValues: ['Red', 'Green'] });
		expect(ids(someColors)).toEqual(ids(leads().filter((lead) => ['Red', 'Green'].includes(lead.Favorite_Color__c as string))));
		await fixture.json({ resource: 'lead', operation: 'create', columns: mapped({ LastName: 'Curious', Company: 'Typed', Interests__c: 'AI;Data' }) });
		const interested = await typed({ field: 'Interests__c|multipicklist', operator: 'includes', picklistValues: ['AI', 'Security'] });
		expect(interested.map((record) => record.LastName)).toContain('Curious');
		expect(interested.every((record) => /(^|;)(AI|Security)(;|$)/.test(String(record.Interests__c)))).toBe(true);
	});

	it('reads a checkbox from the toggle', async () => {
		await fixture.json({ resource: 'lead', operation: 'create', columns: mapped({ LastName: 'OptedOut', Company: 'Typed', HasOptedOutOfEmail: true }) });
		const optedOut = await typed({ field: 'HasOptedOutOfEmail|boolean', operator: 'equal', booleanValue: true });
		expect(ids(optedOut)).toEqual(ids(leads().filter((lead) => lead.HasOptedOutOfEmail === true)));
		expect(optedOut.map((record) => record.LastName)).toContain('OptedOut');
		const notOptedOut = await typed({ field: 'HasOptedOutOfEmail|boolean', operator: 'equal', booleanValue: false });
		expect(notOptedOut.length + optedOut.length).toBe(leads().length);
	});

	it('reads a date from the picker or a period relative to today', async () => {
		const lastTwoDays = await typed({ field: 'CreatedDate|datetime', operator: 'greaterOrEqual', date: 'LAST_N_DAYS', days: 2 });
		const asText = await getMany({ filterGroups: where({ conditions: [condition('CreatedDate', 'greaterOrEqual', 'LAST_N_DAYS:2')] }), fieldSet: 'all' });
		expect(lastTwoDays.length).toBeGreaterThan(0);
		expect(ids(lastTwoDays)).toEqual(ids(asText));
		const today = await typed({ field: 'CreatedDate|datetime', operator: 'equal', date: 'TODAY' });
		expect(ids(today)).toEqual(ids(await getMany({ filterGroups: where({ conditions: [condition('CreatedDate', 'equal', 'TODAY')] }), fieldSet: 'all' })));
		const future = await typed({ field: 'CreatedDate|datetime', operator: 'greaterThan', date: 'specific', dateValue: '2999-01-01T00:00:00' });
		expect(future).toEqual([]);
		const past = await typed({ field: 'CreatedDate|datetime', operator: 'greaterThan', dateValue: '2000-01-01T00:00:00' });
		expect(past).toHaveLength(leads().length);
	});

	it('takes text for other fields, for fields given by expression, and refuses a field with an unknown suffix', async () => {
		const byText = await typed({ field: '={{ "Favorite_Color__c" }}', operator: 'equal', value: 'Red' });
		expect(ids(byText)).toEqual(ids(leads().filter((lead) => lead.Favorite_Color__c === 'Red')));
		const result = await fixture.run({
			resource: 'lead',
			operation: 'getAll',
			filterGroups: where({ conditions: [condition("LastName|x' OR Name != '", 'equal', 'x')] }),
		});
		expect(result.error?.message).toMatch(/No field/);
	});
});

describe('raw WHERE and SOQL escape hatches', () => {
	it('sends a WHERE clause as written', async () => {
		const records = await getMany({ queryMode: 'where', where: "WHERE External_Id__c = 'LEAD-0001'", fieldSet: 'selected', fields: ['External_Id__c'] });
		expect(records.map((record) => record.External_Id__c)).toEqual(['LEAD-0001']);
	});

	it('runs a full SOQL query, also with parent fields', async () => {
		const records = await getMany({ queryMode: 'soql', soql: "SELECT Id, Name, Account.Name FROM Opportunity WHERE Account.Name = 'Globex'" });
		expect(records.length).toBe(2);
		expect(records[0]).toMatchObject({ Account: { Name: 'Globex' } });
		expect(records[0].Account).not.toHaveProperty('attributes');
	});

	// "COUNT() and COUNT(fieldName)" (SOQL and SOSL Reference): COUNT() answers in totalSize, with no records.
	it('returns SELECT COUNT() as one item with totalSize, per input item, 0 included', async () => {
		const expected = fixture.emulator.store.all('Opportunity').filter((record) => record.StageName === 'Closed Won').length;
		expect(expected).toBeGreaterThan(0);
		const result = await fixture.run(
			{ resource: 'opportunity', operation: 'getAll', queryMode: 'soql', soql: '={{ $json.soql }}' },
			[{ soql: "SELECT COUNT() FROM Opportunity WHERE StageName = 'Closed Won'" }, { soql: "select count ( ) from Opportunity where Name = 'none such'" }],
		);
		expect(result.items.map((item) => [item.json, item.pairedItem])).toEqual([
			[{ totalSize: expected }, { item: 0 }],
			[{ totalSize: 0 }, { item: 1 }],
		]);
	});

	it('returns aggregate results as items, without attributes', async () => {
		const records = await getMany({ queryMode: 'soql', soql: 'SELECT COUNT(Id) total, MAX(Amount) top FROM Opportunity' });
		expect(records).toEqual([{ total: fixture.emulator.store.all('Opportunity').length, top: expect.any(Number) }]);
	});

	it('reports malformed SOQL with Salesforce’s error code', async () => {
		const result = await fixture.run({ resource: 'lead', operation: 'getAll', queryMode: 'soql', soql: 'SELECT FROM Lead' });
		expect(result.error?.message).toMatch(/MALFORMED_QUERY/);
	});
});

describe('return all and include deleted', () => {
	it('follows nextRecordsUrl past 2,000 rows', async () => {
		const input = Array.from({ length: 2300 }, (_, index) => ({ ext: `PAGE-${index}` }));
		await fixture.run(
			{ resource: 'lead', operation: 'create', columns: mapped({ LastName: 'Paged', Company: 'Pages', External_Id__c: '={{ $json.ext }}' }), options: { bulkMode: 'never' } },
			input,
		);
		fixture.emulator.requests.reset();
		const records = await getMany({ filterGroups: where({ conditions: [condition('Company', 'equal', 'Pages')] }) });
		expect(records).toHaveLength(2300);
		expect(fixture.emulator.requests.counts().data).toBeGreaterThanOrEqual(2);
	});

	it('finds deleted records only with Include Deleted', async () => {
		const [lead] = await fixture.json({ resource: 'lead', operation: 'create', columns: mapped({ LastName: 'Binned', Company: 'Recycle', External_Id__c: 'BINNED-1' }) });
		await fixture.json({ resource: 'lead', operation: 'delete', recordId: byId(lead.Id as string) });
		const filterGroups = where({ conditions: [condition('External_Id__c', 'equal', 'BINNED-1')] });
		expect(await getMany({ filterGroups })).toHaveLength(0);
		const withDeleted = await getMany({ filterGroups, fieldSet: 'selected', fields: ['IsDeleted'], options: { includeDeleted: true } });
		expect(withDeleted).toEqual([{ Id: lead.Id, IsDeleted: true }]);
	});
});

describe('injection corpus against the emulator', () => {
	it('matches only the literal value, for every attempt', async () => {
		const input = INJECTION_CORPUS.map((value, index) => ({ value, ext: `INJECT-${index}` }));
		const created = await fixture.run(
			{ resource: 'lead', operation: 'create', columns: mapped({ LastName: '={{ $json.value }}', Company: 'Injection Co', External_Id__c: '={{ $json.ext }}' }) },
			input,
		);
		expect(created.error).toBeUndefined();
		const result = await fixture.run(
			{
				resource: 'lead',
				operation: 'getAll',
				returnAll: true,
				filterGroups: where({ conditions: [condition('LastName', 'equal', '={{ $json.value }}')] }),
				fieldSet: 'selected',
				fields: ['LastName', 'External_Id__c'],
			},
			input,
		);
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(INJECTION_CORPUS.length);
		result.items.forEach((item, index) => {
			expect(item.pairedItem).toEqual({ item: index });
			expect(item.json).toMatchObject({ LastName: INJECTION_CORPUS[index], External_Id__c: `INJECT-${index}` });
		});
	});
});

describe('parameters from expressions (the AI-tool path)', () => {
	// Every keyword and identifier of the query comes from the item, as an AI agent's tool call would pass it.
	const parameters = {
		resource: 'lead',
		operation: 'getAll',
		limit: '={{ $json.limit === undefined ? 3 : $json.limit }}',
		filterGroups: {
			groups: [
				{
					combinator: '={{ $json.combinator ?? "AND" }}',
					conditions: {
						condition: [
							{ field: '={{ $json.field ?? "Company" }}', operator: '={{ $json.operator ?? "isNotNull" }}', value: '={{ $json.value ?? "" }}' },
							{ field: 'LastName', operator: 'isNotNull' },
						],
					},
				},
				{ combinator: 'AND', conditions: { condition: [{ field: 'Company', operator: 'isNotNull' }] } },
			],
		},
		groupCombinator: '={{ $json.groupCombinator ?? "AND" }}',
		sort: { sortField: [{ field: '={{ $json.sortField ?? "LastName" }}', direction: '={{ $json.direction ?? "ASC" }}' }] },
		fieldSet: 'selected',
		fields: '={{ $json.fields ?? ["LastName"] }}',
	};
	const hostile = [
		...HOSTILE_KEYWORDS.combinators.map((combinator) => ({ input: { combinator }, refusal: /Match \(condition group\) must be one of AND, OR/ })),
		...HOSTILE_KEYWORDS.combinators.map((groupCombinator) => ({ input: { groupCombinator }, refusal: /Combine Groups must be one of AND, OR/ })),
		...HOSTILE_KEYWORDS.operators.map((operator) => ({ input: { operator }, refusal: /Operator \(condition on Company\) must be one of equal/ })),
		...HOSTILE_KEYWORDS.directions.map((direction) => ({ input: { direction }, refusal: /Sort Direction \(LastName\) must be one of ASC, DESC/ })),
		...HOSTILE_KEYWORDS.limits.map((limit) => ({ input: { limit }, refusal: /Limit must be a whole number from 1/ })),
		...HOSTILE_KEYWORDS.fieldNames.map((field) => ({ input: { field }, refusal: /No field .* on Lead/ })),
		...HOSTILE_KEYWORDS.fieldNames.map((name) => ({ input: { fields: [name] }, refusal: /No field .* on Lead/ })),
		...HOSTILE_KEYWORDS.fieldNames.map((sortField) => ({ input: { sortField }, refusal: /No field .* on Lead/ })),
		{ input: { fields: { LastName: true } }, refusal: /Field Names or IDs must be a list of field names/ },
		...HOSTILE_KEYWORDS.dateLiterals.map((value) => ({ input: { field: 'CreatedDate', operator: 'greaterThan', value }, refusal: /CreatedDate is a datetime field/ })),
	];

	it('refuses every hostile keyword or identifier, one error item per input item, and sends none of them', async () => {
		fixture.emulator.requests.reset();
		const result = await fixture.run(parameters, [{}, ...hostile.map((entry) => entry.input)], 'continueRegularOutput');
		expect(result.error).toBeUndefined();
		const byItem = new Map<number, typeof result.items>();
		for (const item of result.items) {
			const index = (item.pairedItem as { item: number }).item;
			byItem.set(index, [...(byItem.get(index) ?? []), item]);
		}
		expect(byItem.get(0)).toHaveLength(3);
		expect(byItem.get(0)!.every((item) => item.json.error === undefined && typeof item.json.LastName === 'string')).toBe(true);
		hostile.forEach(({ input, refusal }, offset) => {
			const items = byItem.get(offset + 1) ?? [];
			expect(items, JSON.stringify(input)).toHaveLength(1);
			expect(String(items[0].json.error), JSON.stringify(input)).toMatch(refusal);
		});
		// Only the valid item reached Salesforce's query endpoint.
		expect(fixture.emulator.requests.counts().byRoute['GET /services/data/v{version}/query']).toBe(1);
		expect(fixture.emulator.requests.counts().data).toBeLessThanOrEqual(2);
	});

	it('without Continue On Fail, stops at the first hostile item with the parameter and the item named', async () => {
		const result = await fixture.run(parameters, [{}, { combinator: 'OR Id != null OR' }]);
		expect(result.error?.message).toMatch(/Match \(condition group\) must be one of AND, OR, not "OR Id != null OR" \(item 1\)/);
	});
});
