import { quoteValue } from './text';

/** Salesforce's number field types (describe `type`). */
export const NUMBER_FIELD_TYPES = ['int', 'double', 'currency', 'percent', 'long'] as const;

export type NumberFieldType = (typeof NUMBER_FIELD_TYPES)[number];

export function isNumberFieldType(type: string): type is NumberFieldType {
	return (NUMBER_FIELD_TYPES as readonly string[]).includes(type);
}

/**
 * Salesforce's "Primitive Data Types": int and long hold numbers with no fractional portion; int is xsd:int (32-bit),
 * long is xsd:long, of which JavaScript numbers hold exactly the safe integers.
 */
const INTEGER_RANGE: Partial<Record<NumberFieldType, [number, number]>> = {
	int: [-2_147_483_648, 2_147_483_647],
	long: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};

/** Decimal notation only: optional sign, digits with an optional fraction, optional exponent. */
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

const ACCEPTED_FORM = 'a plain decimal number such as 1250, -3.75 or 1.2e3 (no thousands separators, no 0x/0o/0b prefix)';

/** A value that is not a number Salesforce's field can hold. `problem` says why; `accepted` what would be. */
export class InvalidNumberError extends Error {
	readonly accepted: string;

	constructor(
		readonly field: string,
		readonly type: NumberFieldType,
		readonly value: unknown,
		readonly problem: string,
	) {
		super(`${quoteValue(value)} is not a valid number for field "${field}": ${problem}`);
		this.name = 'InvalidNumberError';
		const range = INTEGER_RANGE[type];
		this.accepted = range
			? `Field "${field}" (${type}) takes a whole number from ${range[0]} to ${range[1]}, written as ${ACCEPTED_FORM}.`
			: `Field "${field}" (${type}) takes ${ACCEPTED_FORM}.`;
	}
}

/**
 * Parses a value for a Salesforce number field strictly: a finite JavaScript number, or decimal text with optional
 * surrounding whitespace. Anything JavaScript's `Number()` would also read (hex, binary, octal, `Infinity`, empty text)
 * or turn into `Infinity`/0 by overflow/underflow is refused, as are fractions and out-of-range values for int/long.
 */
export function parseSalesforceNumber(value: unknown, field: string, type: NumberFieldType = 'double'): number {
	const fail = (problem: string) => new InvalidNumberError(field, type, value, problem);
	let number: number;
	if (typeof value === 'number') {
		if (!Number.isFinite(value)) throw fail('not a finite number');
		number = value;
	} else if (typeof value === 'string') {
		const text = value.trim();
		if (text === '') throw fail('the text is empty');
		if (!DECIMAL.test(text)) throw fail('not decimal notation');
		number = Number(text);
		if (!Number.isFinite(number)) throw fail('too large');
		if (number === 0 && /[1-9]/.test(text.replace(/[eE].*$/, ''))) throw fail('too small to be told from 0');
	} else {
		const kind = value === null ? 'null' : Array.isArray(value) ? 'list' : typeof value;
		throw fail(`${/^[aeiou]/.test(kind) ? 'an' : 'a'} ${kind} is not a number`);
	}
	const range = INTEGER_RANGE[type];
	if (range) {
		if (!Number.isInteger(number)) throw fail(`${type} fields hold whole numbers only`);
		if (number < range[0] || number > range[1]) throw fail(`outside the ${type} range`);
	}
	return number === 0 ? 0 : number;
}
