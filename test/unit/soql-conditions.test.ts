import { describe, expect, it } from 'vitest';

import {
	buildOrderBy,
	buildWhere,
	conditionToSoql,
	listValues,
	selectFields,
	type Condition,
} from '../../nodes/Salesforce/helpers/query';
import { SoqlError, type FieldInfo } from '../../nodes/Salesforce/helpers/soql';
import { INJECTION_CORPUS } from '../fixtures/soql-injection.ts';

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
		expect(() => where({ field: 'Nope__c', operator: 'equal', value: 'x' })).toThrow(SoqlError);
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

	it('sorts only by sortable, known fields', () => {
		expect(buildOrderBy(fields, 'Lead', [{ field: 'createddate', direction: 'DESC' }])).toEqual([{ field: 'CreatedDate', direction: 'DESC' }]);
		expect(() => buildOrderBy(fields, 'Lead', [{ field: 'Description' }])).toThrow(/not sortable/);
		expect(() => buildOrderBy(fields, 'Lead', [{ field: 'Name; DELETE' }])).toThrow(SoqlError);
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
