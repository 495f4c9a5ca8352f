import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';

import { toSalesforceValue } from '../../nodes/Salesforce/actions/toolkit/records';
import { RECORD_URL_PATTERN, withoutAttributes } from '../../nodes/Salesforce/helpers/records';
import { InvalidNumberError } from '../../nodes/Salesforce/helpers/numbers';
import type { DescribeField } from '../../nodes/Salesforce/transport';

const field = (type: string): DescribeField => ({
	name: 'F',
	label: 'F',
	type,
	nillable: true,
	createable: true,
	updateable: true,
	defaultedOnCreate: false,
	externalId: false,
});

describe('record output', () => {
	it('removes attributes everywhere, parent records and child lists included', () => {
		const record = {
			attributes: { type: 'Lead', url: '/x' },
			Id: '00Q000000000001AAA',
			Owner: { attributes: { type: 'User', url: '/y' }, Name: 'Ada' },
			Notes: { totalSize: 1, done: true, records: [{ attributes: { type: 'Note', url: '/z' }, Title: 'Hi' }] },
			Empty: null,
		};
		expect(withoutAttributes(record)).toEqual({
			Id: '00Q000000000001AAA',
			Owner: { Name: 'Ada' },
			Notes: { totalSize: 1, done: true, records: [{ Title: 'Hi' }] },
			Empty: null,
		});
	});
});

describe('values sent to Salesforce', () => {
	it('converts by describe type', () => {
		expect(toSalesforceValue('2026-01-31T23:30:00.000Z', field('date'))).toBe('2026-01-31');
		expect(toSalesforceValue(DateTime.fromISO('2026-01-31T10:00:00', { zone: 'Europe/Paris' }), field('date'))).toBe('2026-01-31');
		expect(toSalesforceValue(DateTime.fromISO('2026-01-31T10:00:00Z', { zone: 'utc' }), field('datetime'))).toBe('2026-01-31T10:00:00.000Z');
		expect(toSalesforceValue(new Date('2026-01-31T10:00:00Z'), field('datetime'))).toBe('2026-01-31T10:00:00.000Z');
		expect(toSalesforceValue('42.5', field('currency'))).toBe(42.5);
		expect(toSalesforceValue('TRUE', field('boolean'))).toBe(true);
		expect(toSalesforceValue(['a', 'b'], field('multipicklist'))).toBe('a;b');
		expect(toSalesforceValue(null, field('string'))).toBeNull();
		expect(toSalesforceValue('x', undefined)).toBe('x');
	});

	it('reads number fields strictly instead of as JavaScript would', () => {
		expect(Number('0x1A')).toBe(26);
		for (const [value, type] of [['0x1A', 'double'], ['abc', 'double'], ['', 'currency'], ['1e400', 'percent'], ['12.5', 'int'], ['123456789012345678', 'long']]) {
			expect(() => toSalesforceValue(value, field(type))).toThrow(InvalidNumberError);
		}
		expect(toSalesforceValue(null, field('double'))).toBeNull();
		expect(toSalesforceValue('-7', field('long'))).toBe(-7);
	});

	it('leaves long text and digit strings of text fields as they are', () => {
		const text = `00${'7'.repeat(40_000)}`;
		expect(toSalesforceValue(text, field('textarea'))).toBe(text);
		expect(toSalesforceValue('0x1A', field('string'))).toBe('0x1A');
	});
});

describe('record URLs', () => {
	const idOf = (url: string) => new RegExp(RECORD_URL_PATTERN).exec(url)?.[1];

	it('reads the ID from Lightning and Classic URLs', () => {
		expect(idOf('https://acme.lightning.force.com/lightning/r/Lead/00Q5g00000AbCdEFGH/view')).toBe('00Q5g00000AbCdEFGH');
		expect(idOf('https://acme.lightning.force.com/lightning/r/00Q5g00000AbCdE/view')).toBe('00Q5g00000AbCdE');
		expect(idOf('https://acme.my.salesforce.com/0035g00000AbCdEFGH')).toBe('0035g00000AbCdEFGH');
		expect(idOf('https://acme.my.salesforce.com/0065g00000AbCdE?srPos=0')).toBe('0065g00000AbCdE');
		expect(idOf('https://acme.my.salesforce.com/lightning/o/Lead/list')).toBeUndefined();
	});
});
