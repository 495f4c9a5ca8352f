// The condition builder of Get Many and of the trigger; helpers/query turns its values into SOQL.
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { LIST_OPERATORS, type Condition, type Operator } from '../helpers/query';

const OPERATORS: Array<INodePropertyOptions & { value: Operator }> = [
	{ name: 'Equals', value: 'equal' },
	{ name: 'Excludes (Multi-Select Picklist)', value: 'excludes', description: 'Multi-select picklist has none of the values' },
	{ name: 'Greater Than', value: 'greaterThan' },
	{ name: 'Greater Than or Equal', value: 'greaterOrEqual' },
	{ name: 'In', value: 'in', description: 'Field equals one of the comma-separated values' },
	{ name: 'Includes (Multi-Select Picklist)', value: 'includes', description: 'Multi-select picklist has one of the values; "a;b" means both' },
	{ name: 'Is Empty', value: 'isNull' },
	{ name: 'Is Not Empty', value: 'isNotNull' },
	{ name: 'Less Than', value: 'lessThan' },
	{ name: 'Less Than or Equal', value: 'lessOrEqual' },
	{ name: 'Like', value: 'like', description: 'Text pattern: % matches any characters, _ one character' },
	{ name: 'Not Equals', value: 'notEqual' },
	{ name: 'Not In', value: 'notIn', description: 'Field equals none of the comma-separated values' },
];

const NULL_OPERATORS: Operator[] = ['isNull', 'isNotNull'];

export const COMBINATORS: INodePropertyOptions[] = [
	{ name: 'All (AND)', value: 'AND' },
	{ name: 'Any (OR)', value: 'OR' },
];

/** How the conditions next to it combine. */
export const matchProperty: INodeProperties = {
	displayName: 'Match',
	name: 'combinator',
	type: 'options',
	options: COMBINATORS,
	default: 'AND',
};

/**
 * The field types whose conditions take their value in a widget of their own (dropdown, toggle, date). The typed
 * condition builder's field list names such a field with its type, `StageName|picklist`, so that the editor can show
 * the widget (displayOptions only see parameter values); other fields are listed by their API name alone.
 */
const TYPED_KINDS = ['picklist', 'multipicklist', 'boolean', 'date', 'datetime'] as const;
type TypedKind = (typeof TYPED_KINDS)[number];

const isTypedKind = (type: string): type is TypedKind => (TYPED_KINDS as readonly string[]).includes(type);

/** The value of a field in the typed condition builder's field list. */
export const conditionFieldValue = (field: { name: string; type: string }): string => (isTypedKind(field.type) ? `${field.name}|${field.type}` : field.name);

/** A condition's field as the field list (or an expression) gives it: its API name and, for typed fields, its kind. */
export function conditionFieldOf(value: unknown): { name: string; kind?: TypedKind } {
	const text = String(value ?? '').trim();
	const separator = text.lastIndexOf('|');
	const kind = text.slice(separator + 1);
	// Anything else stays whole, for describe to refuse as a field name.
	return separator > 0 && isTypedKind(kind) ? { name: text.slice(0, separator), kind } : { name: text };
}

/** Relative dates a date condition offers (SOQL date literals), then the ones that take a number of days. */
const RELATIVE_DATES: INodePropertyOptions[] = [
	['Today', 'TODAY'],
	['Yesterday', 'YESTERDAY'],
	['Tomorrow', 'TOMORROW'],
	['This Week', 'THIS_WEEK'],
	['Last Week', 'LAST_WEEK'],
	['Next Week', 'NEXT_WEEK'],
	['This Month', 'THIS_MONTH'],
	['Last Month', 'LAST_MONTH'],
	['Next Month', 'NEXT_MONTH'],
	['This Quarter', 'THIS_QUARTER'],
	['Last Quarter', 'LAST_QUARTER'],
	['Next Quarter', 'NEXT_QUARTER'],
	['This Year', 'THIS_YEAR'],
	['Last Year', 'LAST_YEAR'],
	['Next Year', 'NEXT_YEAR'],
].map(([name, value]) => ({ name, value }));
const DAYS_DATES = ['LAST_N_DAYS', 'NEXT_N_DAYS'];
const SPECIFIC_DATE = 'specific';

/** A condition as the typed builder saves it: the field (maybe with its kind), the operator, and the value inputs. */
export interface ConditionParameters {
	field?: unknown;
	operator?: unknown;
	value?: unknown;
	picklistValue?: unknown;
	picklistValues?: unknown;
	booleanValue?: unknown;
	date?: unknown;
	dateValue?: unknown;
	days?: unknown;
}

const isListOperator = (operator: unknown) => (LIST_OPERATORS as readonly unknown[]).includes(operator);

/**
 * The condition helpers/query compiles: the field's API name and the value from the input the editor showed for the
 * field's kind and the operator (the plain Value for untyped fields and for conditions saved by older versions).
 */
export function conditionOf(parameters: ConditionParameters): Condition {
	const { name, kind } = conditionFieldOf(parameters.field);
	const operator = parameters.operator as Operator;
	const condition = (value: unknown): Condition => ({ field: name, operator, value });
	if (kind === 'picklist' || kind === 'multipicklist') {
		return condition(isListOperator(operator) ? (parameters.picklistValues ?? []) : (parameters.picklistValue ?? ''));
	}
	if (kind === 'boolean') return condition(parameters.booleanValue ?? false);
	if (kind === 'date' || kind === 'datetime') {
		const date = String(parameters.date ?? SPECIFIC_DATE);
		if (date === SPECIFIC_DATE) return condition(parameters.dateValue ?? '');
		return condition(DAYS_DATES.includes(date) ? `${date}:${String(parameters.days ?? '')}` : date);
	}
	return condition(parameters.value);
}

const endsWithKind = (...kinds: TypedKind[]) => kinds.map((kind) => ({ _cnd: { endsWith: `|${kind}` } }) as const);
const CHOICE_KINDS = endsWithKind('picklist', 'multipicklist');
const DATE_KINDS = endsWithKind('date', 'datetime');
const SINGLE_VALUE_OPERATORS = OPERATORS.map((option) => option.value).filter((operator) => !isListOperator(operator) && !NULL_OPERATORS.includes(operator));

/** The value inputs of the typed builder, each shown for the field kinds and operators `conditionOf` reads it for. */
function typedValueProperties(picklistValuesMethod: string): INodeProperties[] {
	const picklist = { loadOptionsMethod: picklistValuesMethod, loadOptionsDependsOn: ['&field'] };
	const choose = 'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>';
	return [
		{
			displayName: 'Value Name or ID',
			name: 'picklistValue',
			type: 'options',
			typeOptions: picklist,
			default: '',
			description: `One of the picklist's values. ${choose}.`,
			displayOptions: { show: { field: CHOICE_KINDS, operator: SINGLE_VALUE_OPERATORS } },
		},
		{
			displayName: 'Value Names or IDs',
			name: 'picklistValues',
			type: 'multiOptions',
			typeOptions: picklist,
			default: [],
			description:
				'The picklist\'s values to compare with. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			displayOptions: { show: { field: CHOICE_KINDS, operator: [...LIST_OPERATORS] } },
		},
		{
			displayName: 'Value',
			name: 'booleanValue',
			type: 'boolean',
			default: false,
			description: 'Whether the checkbox is ticked',
			displayOptions: { show: { field: endsWithKind('boolean') }, hide: { operator: NULL_OPERATORS } },
		},
		{
			displayName: 'Date',
			name: 'date',
			type: 'options',
			options: [
				{ name: 'A Specific Date', value: SPECIFIC_DATE },
				...RELATIVE_DATES,
				{ name: 'Last N Days', value: 'LAST_N_DAYS', description: 'The last N days, today included' },
				{ name: 'Next N Days', value: 'NEXT_N_DAYS', description: 'The next N days, today excluded' },
			],
			default: SPECIFIC_DATE,
			description: "A date, or a period relative to today (in the Salesforce user's time zone)",
			displayOptions: { show: { field: DATE_KINDS }, hide: { operator: NULL_OPERATORS } },
		},
		{
			displayName: 'Value',
			name: 'dateValue',
			type: 'dateTime',
			default: '',
			description: 'Date fields compare the day; date/time fields the moment (UTC unless it carries a time zone)',
			displayOptions: { show: { field: DATE_KINDS, date: [SPECIFIC_DATE] }, hide: { operator: NULL_OPERATORS } },
		},
		{
			displayName: 'Days',
			name: 'days',
			type: 'number',
			typeOptions: { minValue: 1, numberPrecision: 0 },
			default: 7,
			displayOptions: { show: { field: DATE_KINDS, date: DAYS_DATES }, hide: { operator: NULL_OPERATORS } },
		},
	];
}

/**
 * Conditions on fields listed by the loadOptions method `fieldsMethod`, which depends on `dependsOn`. With
 * `picklistValuesMethod` (the typed builder) `fieldsMethod` lists fields by `conditionFieldValue`, and picklists,
 * checkboxes and dates take their values in a dropdown, a toggle and a date picker; other fields, and fields given
 * by expression, take text.
 */
export function conditionsProperty(fieldsMethod: string, dependsOn: string[], picklistValuesMethod?: string): INodeProperties {
	const hideValue = picklistValuesMethod
		? { operator: NULL_OPERATORS, field: endsWithKind(...TYPED_KINDS) }
		: { operator: NULL_OPERATORS };
	return {
		displayName: 'Conditions',
		name: 'conditions',
		type: 'fixedCollection',
		placeholder: 'Add condition',
		typeOptions: { multipleValues: true },
		default: {},
		options: [
			{
				displayName: 'Condition',
				name: 'condition',
				values: [
					{
						displayName: 'Field Name or ID',
						name: 'field',
						type: 'options',
						typeOptions: { loadOptionsMethod: fieldsMethod, loadOptionsDependsOn: dependsOn },
						default: '',
						description:
							'Parent fields such as Owner.Name work too. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
					},
					{
						displayName: 'Operator',
						name: 'operator',
						type: 'options',
						options: OPERATORS,
						default: 'equal',
					},
					{
						displayName: 'Value',
						name: 'value',
						type: 'string',
						default: '',
						description:
							'Typed by the field: numbers, true/false, dates (2026-01-31) or date literals (TODAY, LAST_N_DAYS:7). Lists are comma-separated.',
						displayOptions: { hide: hideValue },
					},
					...(picklistValuesMethod ? typedValueProperties(picklistValuesMethod) : []),
				],
			},
		],
	};
}
