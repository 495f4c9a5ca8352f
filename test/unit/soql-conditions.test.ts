import { describe, expect, it } from 'vitest';

import {
	buildOrderBy,
	buildWhere,
	conditionToSoql,
	listValues,
	selectFields,
	type Condition,
} from '../../nodes/Salesforce/helpers/query';
import { buildSelect, dateLiteral, soqlLiteral, SoqlError, UnknownFieldError, type FieldInfo } from '../../nodes/Salesforce/helpers/soql';
import { HOSTILE_KEYWORDS, INJECTION_CORPUS } from '../fixtures/soql-injection.ts';

const fields: FieldInfo[] = [
	{ name: 'Id', type: 'id' },
	{ name: 'LastName', type: 'string' },
	{ name: 'Company', type: 'string' },
	{ name: 'Status', type: 'picklist' },
	{ name: 'AnnualRevenue', type: 'currency' },
	{ name: 'NumberOfEmployees', type: 'int' },
	{ name: 'HasOptedOutOfEmail', type: 'boolean' },
	{ name: 'CreatedDate', type: 'datetime' },
	{ name: 'Birthdate__c', type: 'date' },
	{ name: 'Interests__c', type: 'multipicklist' },
	{ name: 'Description', type: 'textarea', filterable: false, sortable: false },
	{ name: 'OwnerId', type: 'reference', relationshipName: 'Owner', referenceTo: ['User'] },
	{ name: 'Address', type: 'address' },
];

const where = (condition: Condition) => conditionToSoql(fields, 'Lead', condition);

describe('conditions', () => {
	it('types values from describe', () => {
		expect(where({ field: 'annualrevenue', operator: 'greaterOrEqual', value: '1000000' })).toBe('AnnualRevenue >= 1000000');
		expect(where({ field: 'HasOptedOutOfEmail', operator: 'equal', value: 'TRUE' })).toBe('HasOptedOutOfEmail = true');
		expect(where({ field: 'CreatedDate', operator: 'greaterThan', value: 'last_n_days:7' })).toBe('CreatedDate > LAST_N_DAYS:7');
		expect(where({ field: 'CreatedDate', operator: 'lessThan', value: '2026-01-31T12:00:00.000Z' })).toBe('CreatedDate < 2026-01-31T12:00:00Z');
		expect(where({ field: 'Birthdate__c', operator: 'equal', value: '1990-05-01' })).toBe('Birthdate__c = 1990-05-01');
		expect(where({ field: 'Status', operator: 'notEqual', value: 'Closed' })).toBe("Status != 'Closed'");
	});

	it('writes every operator', () => {
		expect(where({ field: 'LastName', operator: 'like', value: 'Smi%' })).toBe("LastName LIKE 'Smi%'");
		expect(where({ field: 'Status', operator: 'in', value: 'Open, Working' })).toBe("Status IN ('Open', 'Working')");
		expect(where({ field: 'NumberOfEmployees', operator: 'notIn', value: [10, 20] })).toBe('NumberOfEmployees NOT IN (10, 20)');
		expect(where({ field: 'Interests__c', operator: 'includes', value: '["a;b", "c"]' })).toBe("Interests__c INCLUDES ('a;b', 'c')");
		expect(where({ field: 'Interests__c', operator: 'excludes', value: 'x' })).toBe("Interests__c EXCLUDES ('x')");
		expect(where({ field: 'Company', operator: 'isNull' })).toBe('Company = null');
		expect(where({ field: 'Company', operator: 'isNotNull', value: 'ignored' })).toBe('Company != null');
		expect(where({ field: 'Owner.Name', operator: 'equal', value: 'Ada' })).toBe("Owner.Name = 'Ada'");
	});

	it('refuses what Salesforce would refuse, naming the field and the fix', () => {
		expect(() => where({ field: 'NumberOfEmployees', operator: 'equal', value: '10 OR Id != null' })).toThrow(/is a number field/);
		expect(() => where({ field: 'HasOptedOutOfEmail', operator: 'equal', value: 'yes' })).toThrow(/checkbox field/);
		expect(() => where({ field: 'CreatedDate', operator: 'equal', value: 'soon' })).toThrow(/date literal/);
		expect(() => where({ field: 'Description', operator: 'equal', value: 'x' })).toThrow(/not filterable/);
		expect(() => where({ field: 'Status', operator: 'in', value: ' , ' })).toThrow(/at least one value/);
		expect(() => where({ field: 'Nope__c', operator: 'equal', value: 'x' })).toThrow(UnknownFieldError);
	});

	it('reads numbers strictly: no hex, no overflow, no NaN or Infinity, whole numbers for int', () => {
		for (const value of ['0x1A', '1e400', 'NaN', 'Infinity', '-Infinity', '1,000', '', Number.NaN, Number.POSITIVE_INFINITY]) {
			expect(() => where({ field: 'AnnualRevenue', operator: 'equal', value }), String(value)).toThrow(/AnnualRevenue is a number field/);
		}
		expect(() => where({ field: 'NumberOfEmployees', operator: 'equal', value: '1.5' })).toThrow(/whole numbers/);
		expect(where({ field: 'AnnualRevenue', operator: 'lessThan', value: ' 1.2e3 ' })).toBe('AnnualRevenue < 1200');
		expect(where({ field: 'AnnualRevenue', operator: 'lessThan', value: '1e21' })).toBe('AnnualRevenue < 1000000000000000000000');
		expect(where({ field: 'AnnualRevenue', operator: 'greaterThan', value: 1.5e-7 })).toBe('AnnualRevenue > 0.00000015');
		expect(where({ field: 'NumberOfEmployees', operator: 'in', value: '1, -2' })).toBe('NumberOfEmployees IN (1, -2)');
	});

	it('combines groups with parentheses only where needed', () => {
		const groups = [
			{ combinator: 'AND' as const, conditions: [{ field: 'Status', operator: 'equal' as const, value: 'Open' }, { field: 'Company', operator: 'isNotNull' as const }] },
			{ combinator: 'OR' as const, conditions: [{ field: 'LastName', operator: 'equal' as const, value: 'Lovelace' }] },
			{ combinator: 'AND' as const, conditions: [] },
		];
		expect(buildWhere(fields, 'Lead', groups, 'OR')).toBe("(Status = 'Open' AND Company != null) OR LastName = 'Lovelace'");
		expect(buildWhere(fields, 'Lead', [groups[0]], 'OR')).toBe("Status = 'Open' AND Company != null");
		expect(buildWhere(fields, 'Lead', [], 'AND')).toBeUndefined();
	});

	it('reads list values from arrays, JSON arrays and comma-separated text', () => {
		expect(listValues(['a', 'b'])).toEqual(['a', 'b']);
		expect(listValues('["a,b","c"]')).toEqual(['a,b', 'c']);
		expect(listValues('a, b,,c ')).toEqual(['a', 'b', 'c']);
		expect(listValues('[not json')).toEqual(['[not json']);
	});
});

describe('fields and sort', () => {
	it('selects the useful set, all fields (no compound fields) or chosen ones, always with Id', () => {
		expect(selectFields(fields, 'Lead', 'useful')).toEqual(['Id', 'LastName', 'Company', 'Status', 'OwnerId', 'CreatedDate']);
		expect(selectFields(fields, 'Lead', 'all')).not.toContain('Address');
		expect(selectFields(fields, 'Lead', 'selected', ['lastname', 'Owner.Name'])).toEqual(['Id', 'LastName', 'Owner.Name']);
		expect(() => selectFields(fields, 'Lead', 'selected', ['LastName, (SELECT Id FROM Contacts)'])).toThrow(SoqlError);
	});

	it('reads field lists from expressions (comma-separated text too) and refuses unknown field sets', () => {
		expect(selectFields(fields, 'Lead', 'selected', 'lastname, Company')).toEqual(['Id', 'LastName', 'Company']);
		expect(() => selectFields(fields, 'Lead', 'everything')).toThrow(/Fields to Return must be one of useful, all, selected, not "everything"/);
		expect(() => selectFields(fields, 'Lead', 'selected', { LastName: true })).toThrow(/Field Names or IDs must be a list of field names/);
	});

	it('sorts only by sortable, known fields', () => {
		expect(buildOrderBy(fields, 'Lead', [{ field: 'createddate', direction: 'DESC' }])).toEqual([{ field: 'CreatedDate', direction: 'DESC' }]);
		expect(() => buildOrderBy(fields, 'Lead', [{ field: 'Description' }])).toThrow(/not sortable/);
		expect(() => buildOrderBy(fields, 'Lead', [{ field: 'Name; DELETE' }])).toThrow(SoqlError);
	});
});

describe('closed sets: keywords and identifiers are refused, never coerced', () => {
	const groups = (combinator: unknown) => [
		{ combinator, conditions: [{ field: 'Status', operator: 'equal' as const, value: 'Open' }, { field: 'Company', operator: 'isNotNull' as const }] },
		{ combinator: 'AND', conditions: [{ field: 'LastName', operator: 'equal' as const, value: 'x' }] },
	];

	it.each(HOSTILE_KEYWORDS.combinators)('combinator %j', (combinator) => {
		expect(() => buildWhere(fields, 'Lead', groups(combinator), 'OR')).toThrow(/Match \(condition group\) must be one of AND, OR/);
		expect(() => buildWhere(fields, 'Lead', groups('AND'), combinator)).toThrow(/Combine Groups must be one of AND, OR/);
		// Also when there is a single group, or an empty one: a value outside the set is never ignored.
		expect(() => buildWhere(fields, 'Lead', [groups('AND')[1]], combinator)).toThrow(SoqlError);
		expect(() => buildWhere(fields, 'Lead', [{ combinator, conditions: [] }], 'AND')).toThrow(SoqlError);
	});

	it.each(HOSTILE_KEYWORDS.operators)('operator %j', (operator) => {
		expect(() => where({ field: 'LastName', operator: operator as never, value: 'x' })).toThrow(/Operator \(condition on LastName\) must be one of equal, notEqual/);
	});

	it.each(HOSTILE_KEYWORDS.directions)('sort direction %j', (direction) => {
		expect(() => buildOrderBy(fields, 'Lead', [{ field: 'LastName', direction }])).toThrow(/Sort Direction \(LastName\) must be one of ASC, DESC/);
		expect(() => buildSelect({ object: 'Lead', fields: ['Id'], orderBy: [{ field: 'LastName', direction: direction as never }] })).toThrow(SoqlError);
	});

	it.each(HOSTILE_KEYWORDS.nulls)('NULLS %j', (nulls) => {
		expect(() => buildSelect({ object: 'Lead', fields: ['Id'], orderBy: [{ field: 'LastName', nulls: nulls as never }] })).toThrow(/Nulls must be one of FIRST, LAST/);
	});

	it.each(HOSTILE_KEYWORDS.limits)('limit %j', (limit) => {
		expect(() => buildSelect({ object: 'Lead', fields: ['Id'], limit: limit as number })).toThrow(/Limit must be a whole number from 1 to 2,147,483,647/);
	});

	it.each(HOSTILE_KEYWORDS.fieldNames)('field name %j', (name) => {
		expect(() => selectFields(fields, 'Lead', 'selected', [name])).toThrow(UnknownFieldError);
		expect(() => where({ field: name, operator: 'equal', value: 'x' })).toThrow(UnknownFieldError);
		expect(() => buildOrderBy(fields, 'Lead', [{ field: name }])).toThrow(UnknownFieldError);
	});

	it.each(HOSTILE_KEYWORDS.objectNames)('object name %j', (object) => {
		expect(() => buildSelect({ object, fields: ['Id'] })).toThrow(/is not a valid Salesforce object name/);
	});

	it.each(HOSTILE_KEYWORDS.dateLiterals)('date literal %j', (value) => {
		expect(dateLiteral(value)).toBeUndefined();
		expect(() => soqlLiteral(value, { name: 'CreatedDate', type: 'datetime' })).toThrow(/CreatedDate is a datetime field/);
		expect(() => soqlLiteral(value, { name: 'Birthdate__c', type: 'date' })).toThrow(/Birthdate__c is a date field/);
	});

	it('accepts every documented date literal, N as a whole number', () => {
		expect(dateLiteral('last_n_fiscal_years:3')).toBe('LAST_N_FISCAL_YEARS:3');
		expect(dateLiteral('N_QUARTERS_AGO:0')).toBe('N_QUARTERS_AGO:0');
		expect(dateLiteral('NEXT_90_DAYS')).toBe('NEXT_90_DAYS');
		expect(dateLiteral('LAST_N_DAYS:007')).toBe('LAST_N_DAYS:7');
		expect(dateLiteral('LAST_N_DAYS:2147483647')).toBe('LAST_N_DAYS:2147483647');
		expect(dateLiteral('LAST_N_DAYS:2147483648')).toBeUndefined();
	});
});

describe('injection corpus', () => {
	it.each(INJECTION_CORPUS)('keeps %j inside one string literal', (value) => {
		const soql = where({ field: 'LastName', operator: 'equal', value });
		expect(soql.startsWith("LastName = '")).toBe(true);
		expect(soql.endsWith("'")).toBe(true);
		// Inside the literal, every quote and backslash is escaped: no unescaped quote ends it early.
		const literal = soql.slice("LastName = '".length, -1);
		expect(literal.replace(/\\./g, '')).not.toMatch(/['\\\n\r]/);
		const inList = where({ field: 'LastName', operator: 'in', value: [value, 'other'] });
		expect(inList.replace(/'(?:[^'\\]|\\.)*'/g, 'S')).toBe('LastName IN (S, S)');
	});
});

describe('dates', () => {
	it('reads ISO 8601 text, Date and Luxon values, nothing looser', async () => {
		const { DateTime } = await import('luxon');
		const created = { name: 'CreatedDate', type: 'datetime' };
		expect(soqlLiteral('2026-01-31T12:00:00+01:00', created)).toBe('2026-01-31T11:00:00Z');
		expect(soqlLiteral('2026-01-31T12:00', created)).toBe('2026-01-31T12:00:00Z');
		expect(soqlLiteral('2026-01-31', created)).toBe('2026-01-31T00:00:00Z');
		expect(soqlLiteral(new Date('2026-01-31T12:00:00Z'), created)).toBe('2026-01-31T12:00:00Z');
		expect(soqlLiteral(DateTime.fromISO('2026-01-31T12:00:00Z', { zone: 'utc' }), created)).toBe('2026-01-31T12:00:00Z');
		expect(soqlLiteral('2026-01-31T12:00:00Z', { name: 'Birthdate__c', type: 'date' })).toBe('2026-01-31');
		for (const value of ['1', 'March 7', '2026-02-30', '31/01/2026', 'Sat Jan 31 2026']) {
			expect(() => soqlLiteral(value, created), value).toThrow(/CreatedDate is a datetime field/);
		}
	});
});
