import type { IExecuteFunctions, INodeExecutionData, INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { optionsCollection, timeoutOption } from '../../properties/options';
import { SalesforceClient } from '../../transport';
import { ItemResults } from '../toolkit/batch';
import { includeDeletedOption, maxResults, returnAllProperties } from '../toolkit/descriptions';
import { queryOutput } from '../toolkit/read';

/** Its parameters; the registry shows them for the resources that offer it. */
export const description: INodeProperties[] = [
	{
		displayName: 'SOQL Query',
		name: 'query',
		type: 'string',
		typeOptions: { rows: 4 },
		required: true,
		default: '',
		placeholder: 'SELECT Id, Name, Industry FROM Account WHERE CreatedDate = LAST_N_DAYS:7',
		description:
			'Any SOQL query, parent and child relationships included. SELECT COUNT() FROM … returns one item, { totalSize }; aggregate queries (SUM(Amount), MAX(CloseDate) … GROUP BY) return one item per result row.',
		hint: 'Sent to Salesforce as written: escape quotes in values that come from expressions (or use Get Many with Conditions).',
	},
	...returnAllProperties,
	optionsCollection([
		includeDeletedOption,
		timeoutOption,
	]),
];

export const label = (): Omit<INodePropertyOptions, 'value'> => ({
	name: 'SOQL Query',
	description: 'Run a SOQL query: its records, aggregate rows or count become items',
	action: 'Run a SOQL query',
});

/** One query per item (the items' queries differ); each row becomes an item paired with the item that asked. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const items = this.getInputData();
	const client = await SalesforceClient.for(this);
	const results = new ItemResults(this, items.length);
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const soql = String(this.getNodeParameter('query', itemIndex, '')).trim();
			if (!soql) {
				throw new NodeOperationError(this.getNode(), 'The SOQL Query is empty', { itemIndex, description: 'Write a query, such as SELECT Id, Name FROM Account.' });
			}
			const max = maxResults(this, itemIndex);
			const includeDeleted = this.getNodeParameter('options.includeDeleted', itemIndex, false) as boolean;
			results.add(itemIndex, await queryOutput(client, soql, { includeDeleted, max }));
		} catch (error) {
			// A SoqlError (a parameter that cannot become safe SOQL) becomes the item's NodeOperationError with its message.
			results.failOrThrow(itemIndex, error);
		}
	}
	return results.all;
}
