import type { IExecuteFunctions, INodeExecutionData, INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { optionsCollection, timeoutOption } from '../../properties/options';
import { readEachItem } from '../toolkit/batch';
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
	return await readEachItem(this, async (itemIndex, client) => {
		const soql = String(this.getNodeParameter('query', itemIndex, '')).trim();
		if (!soql) {
			throw new NodeOperationError(this.getNode(), 'The SOQL Query is empty', { itemIndex, description: 'Write a query, such as SELECT Id, Name FROM Account.' });
		}
		const includeDeleted = this.getNodeParameter('options.includeDeleted', itemIndex, false) as boolean;
		return await queryOutput(client, soql, { includeDeleted, max: maxResults(this, itemIndex) });
	});
}
