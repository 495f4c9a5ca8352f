/**
 * Safe SOQL composition: identifiers are checked against describe, values are typed and escaped.
 * Nothing a user types is pasted into a query unchecked.
 */
export interface FieldInfo {
	name: string;
	type: string;
	relationshipName?: string | null;
	referenceTo?: string[];
	filterable?: boolean;
	sortable?: boolean;
}

export class SoqlError extends Error {}

const IDENTIFIER = /^[A-Za-z][A-Za-z0-9_]*$/;

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

/** Checks an object name (standard or custom) for shape; the caller confirms it exists through describe. */
export function assertObjectName(name: string): string {
	if (!IDENTIFIER.test(name)) throw new SoqlError(`"${name}" is not a valid Salesforce object name`);
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
	throw new SoqlError(`No field "${name}" on ${objectName}. Pick a field from the list, or check its API name in Salesforce Setup → Object Manager → ${objectName} → Fields & Relationships.`);
}

const DATE_LITERAL =
	/^(YESTERDAY|TODAY|TOMORROW|LAST_WEEK|THIS_WEEK|NEXT_WEEK|LAST_MONTH|THIS_MONTH|NEXT_MONTH|LAST_90_DAYS|NEXT_90_DAYS|THIS_QUARTER|LAST_QUARTER|NEXT_QUARTER|THIS_YEAR|LAST_YEAR|NEXT_YEAR|THIS_FISCAL_QUARTER|LAST_FISCAL_QUARTER|NEXT_FISCAL_QUARTER|THIS_FISCAL_YEAR|LAST_FISCAL_YEAR|NEXT_FISCAL_YEAR|(LAST|NEXT)_N_(DAYS|WEEKS|MONTHS|QUARTERS|YEARS|FISCAL_QUARTERS|FISCAL_YEARS|HOURS):\d{1,4}|N_(DAYS|WEEKS|MONTHS|QUARTERS|YEARS|FISCAL_QUARTERS|FISCAL_YEARS)_AGO:\d{1,4})$/i;

const NUMERIC_TYPES = new Set(['int', 'double', 'currency', 'percent', 'long']);

/** Formats one value as a SOQL literal of the field's type. */
export function soqlLiteral(value: unknown, field: Pick<FieldInfo, 'name' | 'type'>): string {
	if (value === null || value === undefined) return 'null';
	const text = String(value).trim();
	if (NUMERIC_TYPES.has(field.type)) {
		const number = typeof value === 'number' ? value : Number(text);
		if (text === '' || !Number.isFinite(number)) {
			throw new SoqlError(`${field.name} is a number field: "${text}" is not a number`);
		}
		return String(number);
	}
	if (field.type === 'boolean') {
		if (value === true || /^true$/i.test(text)) return 'true';
		if (value === false || /^false$/i.test(text)) return 'false';
		throw new SoqlError(`${field.name} is a checkbox field: use true or false, not "${text}"`);
	}
	if (field.type === 'date' || field.type === 'datetime') {
		if (DATE_LITERAL.test(text)) return text.toUpperCase();
		if (field.type === 'date' && /^\d{4}-\d{2}-\d{2}$/.test(text)) return text;
		const date = value instanceof Date ? value : new Date(text);
		if (Number.isNaN(date.getTime())) {
			throw new SoqlError(
				`${field.name} is a ${field.type} field: "${text}" is neither a date (2026-01-31${field.type === 'datetime' ? ', 2026-01-31T12:00:00Z' : ''}) nor a date literal (TODAY, LAST_N_DAYS:7, …)`,
			);
		}
		return field.type === 'date' ? date.toISOString().slice(0, 10) : date.toISOString().replace(/\.\d{3}Z$/, 'Z');
	}
	return quote(String(value));
}

export interface SelectQuery {
	object: string;
	fields: string[];
	where?: string;
	orderBy?: Array<{ field: string; direction?: 'ASC' | 'DESC'; nulls?: 'FIRST' | 'LAST' }>;
	limit?: number;
}

/** Builds a SELECT from parts that were already validated (field names from resolveField, WHERE from this module). */
export function buildSelect(query: SelectQuery): string {
	const parts = [`SELECT ${query.fields.join(', ')} FROM ${assertObjectName(query.object)}`];
	if (query.where) parts.push(`WHERE ${query.where}`);
	if (query.orderBy?.length) {
		const order = query.orderBy.map(
			({ field, direction, nulls }) => `${field} ${direction ?? 'ASC'}${nulls ? ` NULLS ${nulls}` : ''}`,
		);
		parts.push(`ORDER BY ${order.join(', ')}`);
	}
	if (query.limit !== undefined) {
		if (!Number.isInteger(query.limit) || query.limit < 1) throw new SoqlError('Limit must be a whole number of at least 1');
		parts.push(`LIMIT ${query.limit}`);
	}
	return parts.join(' ');
}
