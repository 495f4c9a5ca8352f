// The condition builder of Get Many and of the trigger; helpers/query turns its values into SOQL.
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import type { Operator } from '../helpers/query';

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

/** Conditions on fields listed by the loadOptions method `fieldsMethod`, which depends on `dependsOn`. */
export function conditionsProperty(fieldsMethod: string, dependsOn: string[]): INodeProperties {
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
						displayOptions: { hide: { operator: ['isNull', 'isNotNull'] } },
					},
				],
			},
		],
	};
}
