// Safe SOQL composition: identifiers are checked against describe, keywords against closed sets, values are typed
// and escaped. Nothing a user (or an AI agent) passes is pasted into a query unchecked.
import { isNumberFieldType, parseSalesforceNumber, type InvalidNumberError, type NumberFieldType } from './numbers';
import { quoteValue } from './text';

export interface FieldInfo {
	name: string;
	type: string;
	relationshipName?: string | null;
	referenceTo?: string[];
	filterable?: boolean;
	sortable?: boolean;
}

/** A parameter that cannot become safe SOQL; the message names the parameter and what it accepts. */
export class SoqlError extends Error {}

/** A field name describe does not list (the describe result may be older than the field). */
export class UnknownFieldError extends SoqlError {}

/** `value` when it is one of `allowed` (exactly); otherwise a SoqlError naming the parameter and the allowed values. */
export function oneOf<T extends string>(parameter: string, value: unknown, allowed: readonly T[]): T {
	if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
	throw new SoqlError(`${parameter} must be one of ${allowed.join(', ')}, not ${quoteValue(value)}`);
}

/** SOQL numbers (LIMIT, date literal N) are 32-bit integers. */
const SOQL_INTEGER_MAX = 2_147_483_647;

/**
 * A whole number from `min` to SOQL's integer maximum, as a number or as decimal digits (an expression may hand
 * over text); anything else is a SoqlError naming the parameter.
 */
export function soqlInteger(parameter: string, value: unknown, min = 1): number {
	const number = typeof value === 'number' ? value : typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
	if (!Number.isInteger(number) || number < min || number > SOQL_INTEGER_MAX) {
		throw new SoqlError(`${parameter} must be a whole number from ${min} to ${SOQL_INTEGER_MAX.toLocaleString('en-US')}, not ${quoteValue(value)}`);
	}
	return number;
}

/** An API name (object, field, relationship) as a regex source, for editor validation too. */
export const API_NAME_PATTERN = '^[A-Za-z][A-Za-z0-9_]*$';
const IDENTIFIER = new RegExp(API_NAME_PATTERN);

export const isApiName = (name: string): boolean => IDENTIFIER.test(name);

/** Escapes a value for use inside a single-quoted SOQL string literal. */
export function escapeSoqlString(value: string): string {
	return value.replace(/[\\'"\n\r\t\b\f]/g, (char) => {
		switch (char) {
			case '\n':
				return '\\n';
			case '\r':
				return '\\r';
			case '\t':
				return '\\t';
			case '\b':
				return '\\b';
			case '\f':
				return '\\f';
			default:
				return `\\${char}`;
		}
	});
}

export const quote = (value: string) => `'${escapeSoqlString(value)}'`;

/** A LIKE pattern matching text that contains `value`, its LIKE wildcards (% and _) matching literally. */
export const containsPattern = (value: string) => `'%${escapeSoqlString(value).replace(/[%_]/g, '\\$&')}%'`;

/** Checks an object name (standard or custom) for shape; the caller confirms it exists through describe. */
export function assertObjectName(name: string): string {
	if (!IDENTIFIER.test(name)) throw new SoqlError(`${quoteValue(name)} is not a valid Salesforce object name`);
	return name;
}

/**
 * Resolves a field name (case-insensitive) against describe and returns its canonical spelling.
 * Parent paths such as `Owner.Name` or `Account.Industry` are accepted when the first segment is a relationship of
 * this object and every segment is a plain identifier.
 */
export function resolveField(fields: FieldInfo[], name: string, objectName: string): FieldInfo {
	const wanted = name.trim();
	const direct = fields.find((field) => field.name.toLowerCase() === wanted.toLowerCase());
	if (direct) return direct;
	const [relationship, ...rest] = wanted.split('.');
	if (rest.length > 0 && rest.length <= 4 && rest.every((segment) => IDENTIFIER.test(segment))) {
		const parent = fields.find((field) => field.relationshipName?.toLowerCase() === relationship.toLowerCase());
		if (parent?.relationshipName) {
			return { name: [parent.relationshipName, ...rest].join('.'), type: 'string' };
		}
	}
	throw new UnknownFieldError(`No field ${quoteValue(name)} on ${objectName}. Pick a field from the list, or check its API name in Salesforce Setup → Object Manager → ${objectName} → Fields & Relationships.`);
}

/** Date literals of "Date Formats and Date Literals in WHERE" (SOQL and SOSL Reference). */
const DATE_LITERALS = new Set([
	'YESTERDAY', 'TODAY', 'TOMORROW', 'LAST_WEEK', 'THIS_WEEK', 'NEXT_WEEK', 'LAST_MONTH', 'THIS_MONTH', 'NEXT_MONTH',
	'LAST_90_DAYS', 'NEXT_90_DAYS', 'THIS_QUARTER', 'LAST_QUARTER', 'NEXT_QUARTER', 'THIS_YEAR', 'LAST_YEAR', 'NEXT_YEAR',
	'THIS_FISCAL_QUARTER', 'LAST_FISCAL_QUARTER', 'NEXT_FISCAL_QUARTER', 'THIS_FISCAL_YEAR', 'LAST_FISCAL_YEAR', 'NEXT_FISCAL_YEAR',
]);
const DATE_UNITS = ['DAYS', 'WEEKS', 'MONTHS', 'QUARTERS', 'YEARS', 'FISCAL_QUARTERS', 'FISCAL_YEARS'];
/** The literals that take a number: LAST_N_DAYS:n, NEXT_N_WEEKS:n, N_MONTHS_AGO:n, … */
const DATE_LITERALS_WITH_N = new Set(DATE_UNITS.flatMap((unit) => [`LAST_N_${unit}`, `NEXT_N_${unit}`, `N_${unit}_AGO`]));

/** A date literal in canonical (upper) case, or undefined when `text` is not one; N is a SOQL integer from 0. */
export function dateLiteral(text: string): string | undefined {
	const [name, n, ...rest] = text.trim().toUpperCase().split(':');
	if (rest.length > 0) return undefined;
	if (n === undefined) return DATE_LITERALS.has(name) ? name : undefined;
	if (!DATE_LITERALS_WITH_N.has(name) || !/^\d{1,10}$/.test(n) || Number(n) > SOQL_INTEGER_MAX) return undefined;
	return `${name}:${Number(n)}`;
}

/** ISO 8601 as SOQL writes dates and datetimes; a datetime without a zone is read as UTC. */
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?$/;

/**
 * A moment from a Date, a Luxon DateTime (what n8n expressions yield) or ISO 8601 text (a date is midnight UTC);
 * undefined otherwise.
 */
function dateOf(value: unknown): Date | undefined {
	if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value;
	const iso = typeof (value as { toISO?: unknown })?.toISO === 'function' ? (value as { toISO(): string | null }).toISO() : value;
	if (typeof iso !== 'string') return undefined;
	const text = iso.trim();
	const day = ISO_DATE.exec(text);
	if (day) {
		const date = new Date(`${text}T00:00:00Z`);
		// 2026-02-30 is not a day: the Date would roll over to March.
		return date.toISOString().startsWith(text) ? date : undefined;
	}
	if (!ISO_DATETIME.test(text)) return undefined;
	const date = new Date(/Z|[+-]\d{2}:?\d{2}$/.test(text.slice(10)) ? text : `${text}Z`);
	return Number.isNaN(date.getTime()) ? undefined : date;
}

/** The number parseSalesforceNumber reads, or the InvalidNumberError (the only error it throws) saying why not. */
function numberOrRefusal(value: unknown, field: string, type: NumberFieldType): number | InvalidNumberError {
	try {
		return parseSalesforceNumber(value, field, type);
	} catch (error) {
		return error as InvalidNumberError;
	}
}

/** Formats one value as a SOQL literal of the field's type. */
export function soqlLiteral(value: unknown, field: Pick<FieldInfo, 'name' | 'type'>): string {
	if (value === null || value === undefined) return 'null';
	const text = String(value).trim();
	if (isNumberFieldType(field.type)) {
		const number = numberOrRefusal(value, field.name, field.type);
		// SOQL numbers are plain decimals: 1e21 and 1e-7 are written out.
		if (typeof number === 'number') return number.toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 20 });
		throw new SoqlError(`${field.name} is a number field: ${quoteValue(value)} is not a number it can hold (${number.problem}). ${number.accepted}`);
	}
	if (field.type === 'boolean') {
		if (value === true || /^true$/i.test(text)) return 'true';
		if (value === false || /^false$/i.test(text)) return 'false';
		throw new SoqlError(`${field.name} is a checkbox field: use true or false, not ${quoteValue(text)}`);
	}
	if (field.type === 'date' || field.type === 'datetime') {
		const literal = dateLiteral(text);
		if (literal) return literal;
		const date = dateOf(value);
		if (!date) {
			throw new SoqlError(
				`${field.name} is a ${field.type} field: ${quoteValue(text)} is neither a date (2026-01-31${field.type === 'datetime' ? ', 2026-01-31T12:00:00Z' : ''}) nor a date literal (TODAY, LAST_N_DAYS:7, …)`,
			);
		}
		return field.type === 'date' ? date.toISOString().slice(0, 10) : date.toISOString().replace(/\.\d{3}Z$/, 'Z');
	}
	return quote(String(value));
}

/**
 * `SELECT COUNT() FROM …`: Salesforce answers with the number of matching rows in totalSize and no records
 * ("COUNT() and COUNT(fieldName)", SOQL and SOSL Reference).
 */
export const isCountQuery = (soql: string): boolean => /^\s*SELECT\s+COUNT\s*\(\s*\)\s+FROM\s/i.test(soql);

export const SORT_DIRECTIONS = ['ASC', 'DESC'] as const;
export type SortDirection = (typeof SORT_DIRECTIONS)[number];
const NULLS_ORDERS = ['FIRST', 'LAST'] as const;

export interface SelectQuery {
	object: string;
	fields: string[];
	where?: string;
	orderBy?: Array<{ field: string; direction?: SortDirection; nulls?: (typeof NULLS_ORDERS)[number] }>;
	limit?: number;
}

/**
 * Builds a SELECT from parts that were already validated (field names from resolveField, WHERE from this module);
 * sort direction, NULLS and LIMIT are checked here.
 */
export function buildSelect(query: SelectQuery): string {
	const parts = [`SELECT ${query.fields.join(', ')} FROM ${assertObjectName(query.object)}`];
	if (query.where) parts.push(`WHERE ${query.where}`);
	if (query.orderBy?.length) {
		const order = query.orderBy.map(({ field, direction = 'ASC', nulls }) => {
			const nullsOrder = nulls === undefined ? '' : ` NULLS ${oneOf('Nulls', nulls, NULLS_ORDERS)}`;
			return `${field} ${oneOf('Sort Direction', direction, SORT_DIRECTIONS)}${nullsOrder}`;
		});
		parts.push(`ORDER BY ${order.join(', ')}`);
	}
	if (query.limit !== undefined) parts.push(`LIMIT ${soqlInteger('Limit', query.limit)}`);
	return parts.join(' ');
}
