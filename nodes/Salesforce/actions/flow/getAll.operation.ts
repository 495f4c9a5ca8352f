import type { IExecuteFunctions, INodeExecutionData, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { flowApiNameOf, flowListQuery, type FlowDefinitionRow } from '../../helpers/flows';
import { withoutAttributes } from '../../helpers/records';
import { optionsCollection, timeoutOption } from '../../properties/options';
import { SalesforceClient } from '../../transport';
import { ItemResults } from '../toolkit/batch';
import { maxResults, returnAllProperties } from '../toolkit/descriptions';
import type { Noun } from '../toolkit/operations';

/** Its parameters; the registry shows them for the resources that offer it. */
export const description: INodeProperties[] = [
	...returnAllProperties,
	optionsCollection([
		{
			displayName: 'Include Inactive Flows',
			name: 'includeInactive',
			type: 'boolean',
			default: false,
			description: 'Whether to list flows without an active version too (Salesforce runs their latest version when invoked)',
		},
		timeoutOption,
	]),
];

export const label = (noun: Noun): Omit<INodePropertyOptions, 'value'> => ({
	name: 'Get Many',
	description: `List the autolaunched ${noun.plural} that can be invoked`,
	action: `Get many ${noun.plural}`,
});

/**
 * The autolaunched flows without trigger (the ones Invoke can run), by label: FlowDefinitionView's fields plus
 * flowApiName, the name Invoke takes (namespace__Name for a packaged flow).
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const items = this.getInputData();
	const client = await SalesforceClient.for(this);
	const results = new ItemResults(this, items.length);
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const max = maxResults(this, itemIndex);
			const includeInactive = this.getNodeParameter('options.includeInactive', itemIndex, false) as boolean;
			const flows = await client.queryAllPages<FlowDefinitionRow>(flowListQuery({ includeInactive, limit: max }), { max });
			results.add(itemIndex, flows.map((flow) => ({ flowApiName: flowApiNameOf(flow), ...withoutAttributes(flow) })));
		} catch (error) {
			// A SoqlError (a parameter that cannot become safe SOQL) becomes the item's NodeOperationError with its message.
			results.failOrThrow(itemIndex, error);
		}
	}
	return results.all;
}
