// Pure SOQL composition of the parts users choose (fields, conditions, sort) for Get, Get Many and the trigger:
// fields and sort from describe, operators and combinators from closed sets, conditions typed and escaped.
import { quoteValue } from './text';
import { oneOf, quote, resolveField, soqlLiteral, SORT_DIRECTIONS, SoqlError, type FieldInfo, type SortDirection } from './soql';

export const OPERATORS = [
	'equal',
	'notEqual',
	'lessThan',
	'lessOrEqual',
	'greaterThan',
	'greaterOrEqual',
	'like',
	'in',
	'notIn',
	'includes',
	'excludes',
	'isNull',
	'isNotNull',
] as const;

export type Operator = (typeof OPERATORS)[number];

const COMBINATOR_VALUES = ['AND', 'OR'] as const;

type Combinator = (typeof COMBINATOR_VALUES)[number];

/** The combinator a parameter (named `parameter` in messages) holds, refused unless AND or OR. */
const combinatorOf = (parameter: string, value: unknown): Combinator => oneOf(parameter, value, COMBINATOR_VALUES);

export interface Condition {
	field: string;
	operator: Operator;
	value?: unknown;
}

export interface ConditionGroup {
	/** AND or OR; anything else is refused when the group is compiled. */
	combinator: unknown;
	conditions: Condition[];
}

const COMPARISON: Partial<Record<Operator, string>> = {
	equal: '=',
	notEqual: '!=',
	lessThan: '<',
	lessOrEqual: '<=',
	greaterThan: '>',
	greaterOrEqual: '>=',
};

const LIST_OPERATOR: Partial<Record<Operator, string>> = {
	in: 'IN',
	notIn: 'NOT IN',
	includes: 'INCLUDES',
	excludes: 'EXCLUDES',
};

/** The operators that take a list of values. */
export const LIST_OPERATORS = Object.keys(LIST_OPERATOR) as Operator[];

/** Values of a list operator: an array, a JSON array, or comma-separated text. */
export function listValues(value: unknown): unknown[] {
	if (Array.isArray(value)) return value;
	const text = String(value ?? '').trim();
	if (text.startsWith('[')) {
		try {
			const parsed = JSON.parse(text) as unknown;
			if (Array.isArray(parsed)) return parsed;
		} catch {
			// Not JSON: read it as comma-separated text below.
		}
	}
	return text
		.split(',')
		.map((part) => part.trim())
		.filter((part) => part !== '');
}

export function conditionToSoql(fields: FieldInfo[], objectName: string, condition: Condition): string {
	const field = resolveField(fields, condition.field, objectName);
	if (field.filterable === false) {
		throw new SoqlError(`${objectName}.${field.name} cannot be used in a condition (Salesforce marks it not filterable)`);
	}
	const operator = oneOf(`Operator (condition on ${field.name})`, condition.operator, OPERATORS);
	const { value } = condition;
	if (operator === 'isNull') return `${field.name} = null`;
	if (operator === 'isNotNull') return `${field.name} != null`;
	const comparison = COMPARISON[operator];
	if (comparison) return `${field.name} ${comparison} ${soqlLiteral(value, field)}`;
	const listOperator = LIST_OPERATOR[operator];
	if (listOperator) {
		const values = listValues(value);
		if (values.length === 0) {
			throw new SoqlError(`The condition on ${field.name} needs at least one value (separate several with commas)`);
		}
		const multiPicklist = operator === 'includes' || operator === 'excludes';
		const literals = values.map((item) => (multiPicklist ? quote(String(item)) : soqlLiteral(item, field)));
		return `${field.name} ${listOperator} (${literals.join(', ')})`;
	}
	return `${field.name} LIKE ${quote(String(value ?? ''))}`;
}

/** Conditions joined by `combinator` (checked: AND or OR; `parameter` names it in messages). */
function joinConditions(
	fields: FieldInfo[],
	objectName: string,
	conditions: Condition[],
	combinator: unknown,
	parameter: string,
): { text: string; compound: boolean } | undefined {
	const join = combinatorOf(parameter, combinator);
	if (conditions.length === 0) return undefined;
	const parts = conditions.map((condition) => conditionToSoql(fields, objectName, condition));
	return { text: parts.join(` ${join} `), compound: parts.length > 1 };
}

/**
 * `(a AND b) OR (c)`: conditions joined inside each group, groups joined by `groupCombinator`. `matchParameter`
 * names a group's combinator in messages.
 */
export function buildWhere(
	fields: FieldInfo[],
	objectName: string,
	groups: ConditionGroup[],
	groupCombinator: unknown,
	matchParameter = 'Match (condition group)',
): string | undefined {
	const join = combinatorOf('Combine Groups', groupCombinator);
	const clauses = groups.flatMap((group) => joinConditions(fields, objectName, group.conditions, group.combinator, matchParameter) ?? []);
	if (clauses.length === 0) return undefined;
	if (clauses.length === 1) return clauses[0].text;
	return clauses.map((clause) => (clause.compound ? `(${clause.text})` : clause.text)).join(` ${join} `);
}

export function buildOrderBy(
	fields: FieldInfo[],
	objectName: string,
	sort: Array<{ field: string; direction?: unknown }>,
): Array<{ field: string; direction: SortDirection }> {
	return sort.map(({ field: name, direction }) => {
		const field = resolveField(fields, name, objectName);
		if (field.sortable === false) {
			throw new SoqlError(`${objectName}.${field.name} cannot be used to sort (Salesforce marks it not sortable)`);
		}
		return { field: field.name, direction: oneOf(`Sort Direction (${field.name})`, direction ?? 'ASC', SORT_DIRECTIONS) };
	});
}

/** What Get Many returns when no fields are chosen: the columns people look at, not 50+ system fields. */
const USEFUL_FIELDS: Record<string, string[]> = {
	Lead: ['Id', 'FirstName', 'LastName', 'Name', 'Company', 'Title', 'Email', 'Phone', 'Status', 'LeadSource', 'OwnerId', 'IsConverted', 'CreatedDate', 'LastModifiedDate'],
	Contact: ['Id', 'FirstName', 'LastName', 'Name', 'Email', 'Phone', 'Title', 'AccountId', 'OwnerId', 'CreatedDate', 'LastModifiedDate'],
	Opportunity: ['Id', 'Name', 'AccountId', 'StageName', 'Amount', 'CloseDate', 'Probability', 'IsClosed', 'IsWon', 'OwnerId', 'CreatedDate', 'LastModifiedDate'],
	Account: ['Id', 'Name', 'Type', 'Industry', 'Phone', 'Website', 'BillingCity', 'BillingCountry', 'ParentId', 'OwnerId', 'CreatedDate', 'LastModifiedDate'],
	Case: ['Id', 'CaseNumber', 'Subject', 'Status', 'Priority', 'Origin', 'AccountId', 'ContactId', 'IsClosed', 'OwnerId', 'CreatedDate', 'LastModifiedDate'],
	Task: ['Id', 'Subject', 'Status', 'Priority', 'ActivityDate', 'WhoId', 'WhatId', 'IsClosed', 'OwnerId', 'CreatedDate', 'LastModifiedDate'],
	Event: ['Id', 'Subject', 'StartDateTime', 'EndDateTime', 'IsAllDayEvent', 'Location', 'WhoId', 'WhatId', 'OwnerId', 'CreatedDate', 'LastModifiedDate'],
	User: ['Id', 'Name', 'Username', 'Email', 'Title', 'IsActive', 'CreatedDate', 'LastModifiedDate'],
};

/** Compound fields duplicate their components (Street, City, …); selecting the components keeps output flat. */
export const COMPOUND_TYPES = new Set(['address', 'location']);

const FIELD_SETS = ['useful', 'all', 'selected'] as const;

/** Field names as a list parameter holds them: a list of names, or (from an expression) comma-separated text. */
export function fieldNames(parameter: string, value: unknown): string[] {
	if (value === undefined || value === null || value === '') return [];
	if (typeof value === 'string') return value.split(',').map((name) => name.trim()).filter(Boolean);
	if (Array.isArray(value) && value.every((name) => typeof name === 'string')) return value;
	throw new SoqlError(`${parameter} must be a list of field names, not ${quoteValue(value)}`);
}

export function selectFields(
	fields: FieldInfo[],
	objectName: string,
	fieldSet: unknown,
	selected: unknown = [],
): string[] {
	const set = oneOf('Fields to Return', fieldSet, FIELD_SETS);
	const chosen = fieldNames('Field Names or IDs', selected);
	const known = new Set(fields.map((field) => field.name));
	let names: string[];
	if (set === 'selected' && chosen.length > 0) {
		names = chosen.map((name) => resolveField(fields, name, objectName).name);
	} else if (set === 'useful' && USEFUL_FIELDS[objectName]) {
		names = USEFUL_FIELDS[objectName].filter((name) => known.has(name));
	} else {
		names = fields.filter((field) => !COMPOUND_TYPES.has(field.type)).map((field) => field.name);
	}
	return [...new Set(['Id', ...names])];
}
