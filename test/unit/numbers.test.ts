import { describe, expect, it } from 'vitest';

import { InvalidNumberError, parseSalesforceNumber } from '../../nodes/Salesforce/helpers/numbers';
import { abbreviate, quoteValue } from '../../nodes/Salesforce/helpers/text';

const refusal = (value: unknown, type: Parameters<typeof parseSalesforceNumber>[2] = 'double') => {
	try {
		parseSalesforceNumber(value, 'Amount', type);
	} catch (error) {
		return error as InvalidNumberError;
	}
	throw new Error(`${String(value)} was accepted`);
};

describe('parseSalesforceNumber', () => {
	it.each([
		[12, 12],
		[-0.5, -0.5],
		['42', 42],
		['  -3.75\n', -3.75],
		['+7', 7],
		['1.', 1],
		['.5', 0.5],
		['1.2e3', 1200],
		['1E-3', 0.001],
		['007', 7],
		['0', 0],
		['-0', 0],
		['0e5', 0],
		['1e308', 1e308],
	])('reads %j as %j', (value, expected) => {
		expect(Object.is(parseSalesforceNumber(value, 'Amount', 'currency'), expected)).toBe(true);
	});

	it.each([
		['0x1A', 'not decimal notation'],
		['0o17', 'not decimal notation'],
		['0b101', 'not decimal notation'],
		['1e400', 'too large'],
		['-1e400', 'too large'],
		['1e-400', 'too small to be told from 0'],
		['NaN', 'not decimal notation'],
		['Infinity', 'not decimal notation'],
		['-Infinity', 'not decimal notation'],
		['', 'the text is empty'],
		['   ', 'the text is empty'],
		['1,000', 'not decimal notation'],
		['1 000', 'not decimal notation'],
		['1_000', 'not decimal notation'],
		['12abc', 'not decimal notation'],
		['e5', 'not decimal notation'],
		['.', 'not decimal notation'],
		[Number.NaN, 'not a finite number'],
		[Number.POSITIVE_INFINITY, 'not a finite number'],
		[true, 'a boolean is not a number'],
		[null, 'a null is not a number'],
		[[1], 'a list is not a number'],
		[{ value: 1 }, 'an object is not a number'],
	])('refuses %j (%s)', (value, problem) => {
		const error = refusal(value);
		expect(error).toBeInstanceOf(InvalidNumberError);
		expect(error.problem).toBe(problem);
		expect(error.field).toBe('Amount');
		expect(error.message).toContain('field "Amount"');
		expect(error.accepted).toMatch(/^Field "Amount" \(double\) takes a plain decimal number/);
	});

	it('holds int fields to whole numbers in the 32-bit range', () => {
		expect(parseSalesforceNumber('2147483647', 'NumberOfEmployees', 'int')).toBe(2147483647);
		expect(parseSalesforceNumber('1e3', 'NumberOfEmployees', 'int')).toBe(1000);
		expect(parseSalesforceNumber(5.0, 'NumberOfEmployees', 'int')).toBe(5);
		expect(refusal('1.5', 'int').problem).toBe('int fields hold whole numbers only');
		expect(refusal(2147483648, 'int').problem).toBe('outside the int range');
		expect(refusal('12.5', 'int').accepted).toContain('whole number from -2147483648 to 2147483647');
	});

	it('refuses long values JavaScript cannot hold exactly instead of rounding them', () => {
		expect(parseSalesforceNumber('9007199254740991', 'Big__c', 'long')).toBe(9007199254740991);
		expect(refusal('123456789012345678', 'long').problem).toBe('outside the long range');
	});

	it('quotes a long bad value once, abbreviated', () => {
		const error = refusal(`0x${'1'.repeat(200_000)}`);
		expect(error.message.length).toBeLessThan(400);
		expect(error.message).toContain('"0x111');
		expect(error.message).toContain('(200,002 characters)');
	});
});

describe('abbreviate', () => {
	it('keeps short text and cuts long text to its start and length', () => {
		expect(abbreviate('short')).toBe('short');
		expect(abbreviate('abcdef', 3)).toBe('abc… (6 characters)');
		expect(quoteValue({ a: 'x'.repeat(50) }, 10)).toBe('{"a":"xxxx… (58 characters)');
	});

	it('does not split a surrogate pair', () => {
		expect(abbreviate('ab😀cd', 3)).toBe('ab… (6 characters)');
	});
});
