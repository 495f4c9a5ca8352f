import type { IExecuteFunctions, INodeExecutionData, INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { buildSelect, SoqlError, type SelectQuery } from '../../helpers/soql';
import { SalesforceClient, type DescribeResult } from '../../transport';
import { ItemResults } from '../toolkit/batch';
import { DESCRIBE_DEPENDS_ON, fieldSetProperties, includeDeletedOption, maxResults, returnAllProperties } from '../toolkit/descriptions';
import { buildOrderBy, buildWhere, selectFields, type ConditionGroup } from '../../helpers/query';
import { COMBINATORS, conditionOf, conditionsProperty, matchProperty, type ConditionParameters } from '../../properties/conditions';
import { queryOutput } from '../toolkit/read';
import { isStaleField, ObjectSchema } from '../toolkit/schema';
import { optionsCollection, timeoutOption } from '../../properties/options';
import type { Noun } from '../toolkit/operations';

/** Condition Groups with the conditions of the node versions `versions`. */
function conditionGroupsProperty(conditions: INodeProperties, versions: Array<number | { _cnd: { gte: number } }>): INodeProperties {
	return {
		displayName: 'Condition Groups',
		name: 'filterGroups',
		type: 'fixedCollection',
		placeholder: 'Add condition group',
		typeOptions: { multipleValues: true },
		default: {},
		description: 'Records matching the groups. Inside a group, conditions are combined as the group says.',
		displayOptions: { show: { queryMode: ['build'], '@version': versions } },
		options: [{ displayName: 'Group', name: 'groups', values: [matchProperty, conditions] }],
	};
}

/** Its parameters; the registry shows them for the resources that offer it. */
export const description: INodeProperties[] = [
	{
		displayName: 'Filter By',
		name: 'queryMode',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Conditions', value: 'build', description: 'Build the filter from fields and values, checked and escaped' },
			{
				name: 'WHERE Clause',
				value: 'where',
				description: 'Write the WHERE clause yourself; it is sent as written',
			},
			{ name: 'SOQL Query', value: 'soql', description: 'Write the whole query yourself; it is sent as written' },
		],
		default: 'build',
	},
	// Version 3: picklists, checkboxes and dates take their values in a dropdown, a toggle and a date picker (the field
	// list names them with their type); versions 1 and 2 keep text values and their plain field names.
	conditionGroupsProperty(conditionsProperty('getFilterableFields', DESCRIBE_DEPENDS_ON), [1, 2]),
	conditionGroupsProperty(conditionsProperty('getConditionFields', DESCRIBE_DEPENDS_ON, 'getConditionPicklistValues'), [{ _cnd: { gte: 3 } }]),
	{
		displayName: 'Combine Groups',
		name: 'groupCombinator',
		type: 'options',
		options: COMBINATORS,
		default: 'AND',
		description: 'How the condition groups combine',
		displayOptions: { show: { queryMode: ['build'] } },
	},
	{
		displayName: 'WHERE Clause',
		name: 'where',
		type: 'string',
		default: '',
		placeholder: "Status = 'Open - Not Contacted' AND CreatedDate = LAST_N_DAYS:7",
		hint: 'Sent to Salesforce as written: escape quotes in values that come from expressions, or use Conditions instead.',
		displayOptions: { show: { queryMode: ['where'] } },
	},
	{
		displayName: 'SOQL Query',
		name: 'soql',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required: true,
		placeholder: 'SELECT Id, Name, Email FROM Lead WHERE IsConverted = false ORDER BY CreatedDate DESC',
		description: 'SELECT COUNT() FROM … returns one item, { totalSize }; aggregate queries (COUNT(fieldName), GROUP BY) return one item per result row',
		hint: 'Sent to Salesforce as written: escape quotes in values that come from expressions, or use Conditions instead.',
		displayOptions: { show: { queryMode: ['soql'] } },
	},
	...updateDisplayOptions({ hide: { queryMode: ['soql'] } }, fieldSetProperties('useful')),
	{
		displayName: 'Sort',
		name: 'sort',
		type: 'fixedCollection',
		placeholder: 'Add sort field',
		typeOptions: { multipleValues: true },
		default: {},
		displayOptions: { hide: { queryMode: ['soql'] } },
		options: [
			{
				displayName: 'Sort By',
				name: 'sortField',
				values: [
					{
						displayName: 'Field Name or ID',
						name: 'field',
						type: 'options',
						typeOptions: { loadOptionsMethod: 'getSortableFields', loadOptionsDependsOn: DESCRIBE_DEPENDS_ON },
						default: '',
						description:
							'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
					},
					{
						displayName: 'Direction',
						name: 'direction',
						type: 'options',
						options: [
							{ name: 'Ascending', value: 'ASC' },
							{ name: 'Descending', value: 'DESC' },
						],
						default: 'ASC',
					},
				],
			},
		],
	},
	...returnAllProperties,
	optionsCollection([
		includeDeletedOption,
		timeoutOption,
	]),
];

interface GroupsParameter {
	groups?: Array<{ combinator?: unknown; conditions?: { condition?: ConditionParameters[] } }>;
}

/** What an item asks for: its SOQL (with its parts unless written by the user) and, without Return All, the most records to return. */
interface ItemQuery {
	soql: string;
	select?: SelectQuery;
	max?: number;
}

/**
 * The SOQL an item asks for. Values and field names of Conditions are checked against describe and escaped;
 * combinators, sort directions and the limit against their closed sets.
 */
function composeQuery(ctx: IExecuteFunctions, itemIndex: number, sobject: string, describe: DescribeResult): ItemQuery {
	const queryMode = ctx.getNodeParameter('queryMode', itemIndex, 'build') as string;
	const max = maxResults(ctx, itemIndex);
	if (queryMode === 'soql') return { soql: String(ctx.getNodeParameter('soql', itemIndex)).trim(), max };
	const fieldSet = ctx.getNodeParameter('fieldSet', itemIndex, 'useful');
	const chosen = ctx.getNodeParameter('fields', itemIndex, []);
	const sort = ctx.getNodeParameter('sort.sortField', itemIndex, []) as Array<{ field: string; direction?: unknown }>;
	let where: string | undefined;
	if (queryMode === 'where') {
		where = String(ctx.getNodeParameter('where', itemIndex, '')).trim().replace(/^WHERE\s+/i, '') || undefined;
	} else {
		const { groups = [] } = ctx.getNodeParameter('filterGroups', itemIndex, {}) as GroupsParameter;
		const conditionGroups: ConditionGroup[] = groups.map((group) => ({
			combinator: group.combinator ?? 'AND',
			conditions: (group.conditions?.condition ?? []).map(conditionOf),
		}));
		where = buildWhere(describe.fields, sobject, conditionGroups, ctx.getNodeParameter('groupCombinator', itemIndex, 'AND'));
	}
	const select: SelectQuery = {
		object: sobject,
		fields: selectFields(describe.fields, sobject, fieldSet, chosen),
		where,
		orderBy: buildOrderBy(describe.fields, sobject, sort.filter((entry) => entry.field)),
		limit: max,
	};
	return { soql: buildSelect(select), select, max };
}

export const label = (noun: Noun): Omit<INodePropertyOptions, 'value'> => ({ name: 'Get Many', description: `Get many ${noun.plural}`, action: `Get many ${noun.plural}` });

export async function execute(this: IExecuteFunctions, sobject: string): Promise<INodeExecutionData[]> {
	const items = this.getInputData();
	const client = await SalesforceClient.for(this);
	const schema = await ObjectSchema.load(client, sobject);
	const results = new ItemResults(this, items.length);
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const includeDeleted = this.getNodeParameter('options.includeDeleted', itemIndex, false) as boolean;
			// A query written in full names no field from describe: its INVALID_FIELD is the user's to fix.
			const fromDescribe = this.getNodeParameter('queryMode', itemIndex, 'build') !== 'soql';
			const output = await schema.withRetryOnStale(
				async (describe) => {
					const { soql, select, max } = composeQuery(this, itemIndex, sobject, describe);
					return await queryOutput(client, soql, { includeDeleted, max, select });
				},
				(error) => isStaleField(error) && fromDescribe,
			);
			results.add(itemIndex, output);
		} catch (error) {
			const invalid = error instanceof SoqlError;
			results.failOrThrow(
				itemIndex,
				invalid ? new NodeOperationError(this.getNode(), error.message, { itemIndex, description: 'Check the conditions, fields and sort of this operation.' }) : error,
			);
		}
	}
	return results.all;
}
