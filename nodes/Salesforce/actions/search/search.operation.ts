import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { fieldNames } from '../../helpers/query';
import { withoutAttributes } from '../../helpers/records';
import { buildSosl, SEARCH_SCOPES, type SoslReturning } from '../../helpers/sosl';
import { assertObjectName, resolveField } from '../../helpers/soql';
import { optionsCollection, timeoutOption } from '../../properties/options';
import { SalesforceClient, type SalesforceRecord } from '../../transport';
import { readEachItem } from '../toolkit/batch';
import { ObjectSchema } from '../toolkit/schema';

const SCOPE_LABELS: Record<(typeof SEARCH_SCOPES)[number], string> = {
	ALL: 'All Fields',
	NAME: 'Name Fields',
	EMAIL: 'Email Fields',
	PHONE: 'Phone Fields',
	SIDEBAR: 'Sidebar Fields',
};

/** Its parameters; the registry shows them for the resources that offer it. */
export const description: INodeProperties[] = [
	{
		displayName: 'Search By',
		name: 'searchMode',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Search Term', value: 'build', description: 'Search text in the objects chosen below; the term is escaped' },
			{ name: 'SOSL Search', value: 'sosl', description: 'Write the whole SOSL search yourself; it is sent as written' },
		],
		default: 'build',
	},
	{
		displayName: 'Search Term',
		name: 'searchTerm',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'Lovelace',
		description: 'Text to find, at least two characters; * and ? are wildcards, every other character is searched literally',
		displayOptions: { show: { searchMode: ['build'] } },
	},
	{
		displayName: 'Search In',
		name: 'searchIn',
		type: 'options',
		options: SEARCH_SCOPES.map((value) => ({ name: SCOPE_LABELS[value], value })),
		default: 'ALL',
		displayOptions: { show: { searchMode: ['build'] } },
	},
	{
		displayName: 'Objects to Return',
		name: 'returning',
		type: 'fixedCollection',
		placeholder: 'Add object',
		typeOptions: { multipleValues: true },
		default: {},
		description: 'The objects to search and the fields each returns; none searches every searchable object (IDs only)',
		displayOptions: { show: { searchMode: ['build'] } },
		options: [
			{
				displayName: 'Object',
				name: 'object',
				values: [
					{
						displayName: 'Object Name or ID',
						name: 'name',
						type: 'options',
						typeOptions: { loadOptionsMethod: 'getSearchableObjects' },
						default: '',
						description:
							'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
					},
					{
						displayName: 'Fields',
						name: 'fields',
						type: 'string',
						default: '',
						placeholder: 'Name, Email, Phone',
						description: 'Comma-separated field API names, checked against the object; the ID always comes too, and without fields the name field',
					},
					{
						displayName: 'Limit',
						name: 'limit',
						type: 'number',
						typeOptions: { minValue: 1 },
						default: 50,
						description: 'Max number of results to return',
					},
				],
			},
		],
	},
	{
		displayName: 'SOSL Search',
		name: 'sosl',
		type: 'string',
		typeOptions: { rows: 3 },
		required: true,
		default: '',
		placeholder: 'FIND {Lovelace} IN ALL FIELDS RETURNING Contact(Name, Email), Lead(Name, Company)',
		hint: 'Sent to Salesforce as written: escape reserved characters in terms that come from expressions, or use Search Term instead.',
		displayOptions: { show: { searchMode: ['sosl'] } },
	},
	optionsCollection([
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 2000 },
			default: 50,
			description: 'Max number of results to return',
		},
		timeoutOption,
	]),
];

export const label = (): Omit<INodePropertyOptions, 'value'> => ({
	name: 'SOSL Search',
	description: 'Search text across objects (SOSL); each record found becomes an item, with its object in $object',
	action: 'Search records by text',
});

interface ReturningParameter {
	object?: Array<{ name?: string; fields?: unknown; limit?: unknown }>;
}

/** The SOSL an item asks for: objects and fields checked against describe, the term escaped. */
async function composeSearch(ctx: IExecuteFunctions, client: SalesforceClient, itemIndex: number): Promise<string> {
	if (ctx.getNodeParameter('searchMode', itemIndex, 'build') === 'sosl') return String(ctx.getNodeParameter('sosl', itemIndex, '')).trim();
	const { object: objects = [] } = ctx.getNodeParameter('returning', itemIndex, {}) as ReturningParameter;
	const returning: SoslReturning[] = [];
	for (const entry of objects) {
		const schema = await ObjectSchema.load(client, assertObjectName(String(entry.name ?? '').trim()));
		const object = schema.describe.name;
		const chosen = await schema.withRetryOnStale((describe) =>
			fieldNames(`Fields (${object})`, entry.fields).map((name) => resolveField(describe.fields, name, object).name),
		);
		const nameField = schema.describe.fields.find((field) => field.nameField)?.name;
		const fields = [...new Set(['Id', ...(chosen.length ? chosen : nameField ? [nameField] : [])])];
		returning.push({ object, fields, limit: entry.limit === undefined || entry.limit === '' ? undefined : (entry.limit as number) });
	}
	return buildSosl({
		term: String(ctx.getNodeParameter('searchTerm', itemIndex, '')),
		scope: ctx.getNodeParameter('searchIn', itemIndex, 'ALL'),
		returning,
		limit: ctx.getNodeParameter('options.limit', itemIndex, 50) as number,
	});
}

/** One search per item; every record found becomes an item paired with it, `$object` naming its object. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await readEachItem(this, async (itemIndex, client) => {
		const sosl = await composeSearch(this, client, itemIndex);
		if (!sosl) throw new NodeOperationError(this.getNode(), 'The SOSL Search is empty', { itemIndex, description: 'Write a search, such as FIND {Acme} RETURNING Account(Id, Name).' });
		const { searchRecords = [] } = await client.request<{ searchRecords?: SalesforceRecord[] }>('GET', `/search?q=${encodeURIComponent(sosl)}`);
		return searchRecords.map((record): IDataObject => ({ $object: record.attributes?.type, ...withoutAttributes(record) }));
	});
}
