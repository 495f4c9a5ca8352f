import { describe, expect, it } from 'vitest';

import { buildSelect, SoqlError, UnknownFieldError } from '../../nodes/Salesforce/helpers/soql.ts';
import { HOSTILE_KEYWORDS } from '../fixtures/soql-injection.ts';

import {
	afterPosition,
	changesSelect,
	compileWatch,
	datetimeLiteral,
	newestSelect,
	type WatchSettings,
} from '../../nodes/Salesforce/trigger/query.ts';

const changesSoql = (...args: Parameters<typeof changesSelect>) => buildSelect(changesSelect(...args));
const newestSoql = (...args: Parameters<typeof newestSelect>) => buildSelect(newestSelect(...args));

const fields = [
	{ name: 'Id', type: 'id' },
	{ name: 'Name', type: 'string' },
	{ name: 'AnnualRevenue', type: 'currency' },
	{ name: 'Address', type: 'address' },
	{ name: 'Photo', type: 'base64' },
	{ name: 'RecordTypeId', type: 'reference' },
	{ name: 'CreatedDate', type: 'datetime' },
	{ name: 'SystemModstamp', type: 'datetime' },
];

const settings = (overrides: Partial<WatchSettings> = {}): WatchSettings => ({
	sobject: 'Lead',
	event: 'createdOrUpdated',
	fields: [],
	conditions: [],
	combinator: 'AND',
	...overrides,
});

describe('trigger query', () => {
	it('selects every readable field by default and always the cursor fields', () => {
		expect(compileWatch(fields, settings()).fields).toEqual(['Id', 'CreatedDate', 'SystemModstamp', 'Name', 'AnnualRevenue', 'RecordTypeId']);
		expect(compileWatch(fields, settings({ fields: ['name'] })).fields).toEqual(['Id', 'CreatedDate', 'SystemModstamp', 'Name']);
		expect(() => compileWatch(fields, settings({ fields: ['Nope'] }))).toThrow(SoqlError);
	});

	it('builds the filter from record type, typed conditions and a raw clause', () => {
		const compiled = compileWatch(
			fields,
			settings({
				recordTypeId: '012000000000001AAA',
				conditions: [
					{ field: 'AnnualRevenue', operator: 'greaterThan', value: '1000' },
					{ field: 'Name', operator: 'equal', value: "O'Brien" },
				],
				combinator: 'OR',
				where: "LeadSource = 'Web'",
			}),
		);
		expect(compiled.where).toBe(
			"RecordTypeId = '012000000000001AAA' AND (AnnualRevenue > 1000 OR Name = 'O\\'Brien') AND (LeadSource = 'Web')",
		);
		expect(() => compileWatch(fields, settings({ conditions: [{ field: 'AnnualRevenue', operator: 'equal', value: 'lots' }] }))).toThrow(
			/not a number/,
		);
	});

	it.each(HOSTILE_KEYWORDS.combinators)('refuses the combinator %j', (combinator) => {
		const conditions = [{ field: 'Name', operator: 'equal' as const, value: 'x' }];
		expect(() => compileWatch(fields, settings({ conditions, combinator }))).toThrow(/Match \(filters\) must be one of AND, OR/);
		expect(() => compileWatch(fields, settings({ conditions: [...conditions, ...conditions], combinator }))).toThrow(SoqlError);
	});

	it.each(HOSTILE_KEYWORDS.recordTypeIds)('refuses the record type %j', (recordTypeId) => {
		expect(() => compileWatch(fields, settings({ recordTypeId }))).toThrow(/Record Type must be a record type ID/);
	});

	it.each(HOSTILE_KEYWORDS.fieldNames)('refuses the field %j', (name) => {
		expect(() => compileWatch(fields, settings({ fields: [name] }))).toThrow(UnknownFieldError);
		expect(() => compileWatch(fields, settings({ conditions: [{ field: name, operator: 'equal', value: 'x' }] }))).toThrow(UnknownFieldError);
	});

	it.each(HOSTILE_KEYWORDS.limits)('refuses the limit %j', (limit) => {
		const compiled = { fields: ['Id'] };
		expect(() => changesSoql('Lead', 'created', compiled, { at: '2026-03-01T12:00:00.000Z' }, limit as number)).toThrow(/Max Records per Poll must be a whole number/);
		expect(() => newestSoql('Lead', 'created', ['Id'], undefined, limit as number)).toThrow(SoqlError);
	});

	it.each(HOSTILE_KEYWORDS.objectNames)('refuses the object %j', (sobject) => {
		expect(() => newestSoql(sobject, 'created', ['Id'], undefined, 1)).toThrow(/not a valid Salesforce object name/);
	});

	it('refuses objects without the fields a cursor needs', () => {
		expect(() => compileWatch([{ name: 'Id', type: 'id' }], settings())).toThrow(/no CreatedDate field/);
	});

	it('writes positions at second precision with Id as the tie-breaker', () => {
		expect(datetimeLiteral('2026-03-01T12:00:00.999Z')).toBe('2026-03-01T12:00:00Z');
		expect(afterPosition('SystemModstamp', { at: '2026-03-01T12:00:00.000Z' })).toBe('SystemModstamp >= 2026-03-01T12:00:00Z');
		expect(afterPosition('SystemModstamp', { at: '2026-03-01T12:00:00.000Z', id: '00Q1' })).toBe(
			"(SystemModstamp > 2026-03-01T12:00:00Z OR (SystemModstamp = 2026-03-01T12:00:00Z AND Id > '00Q1'))",
		);
	});

	it('orders by the stream stamp and Id, reading deletions with IsDeleted', () => {
		const compiled = { fields: ['Id', 'CreatedDate', 'SystemModstamp'], where: "(Name = 'x')" };
		expect(changesSoql('Lead', 'created', compiled, { at: '2026-03-01T12:00:00.000Z' }, 2000)).toBe(
			"SELECT Id, CreatedDate, SystemModstamp FROM Lead WHERE CreatedDate >= 2026-03-01T12:00:00Z AND (Name = 'x') ORDER BY CreatedDate ASC, Id ASC LIMIT 2000",
		);
		expect(changesSoql('Lead', 'deleted', { fields: ['Id'] }, { at: '2026-03-01T12:00:00.000Z' }, 10)).toContain(
			'AND IsDeleted = true ORDER BY SystemModstamp ASC, Id ASC LIMIT 10',
		);
		expect(newestSoql('Lead', 'updated', ['Id', 'SystemModstamp'], undefined, 1)).toBe(
			'SELECT Id, SystemModstamp FROM Lead ORDER BY SystemModstamp DESC, Id DESC LIMIT 1',
		);
	});
});
