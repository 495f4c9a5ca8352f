import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { resourceOf, SOBJECT_PARAMETER, sobjectOf } from '../helpers/resources';
import { isApiName } from '../helpers/soql';
import { quoteValue } from '../helpers/text';
import { operationsByResource } from './registry';
import { itemParameter } from './toolkit/parameters';

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const handler = operationsByResource[resource]?.[operation];
	if (!handler) {
		throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not supported for ${resource}`, {
			description: 'Pick the operation again: the workflow may come from a newer version of the node.',
		});
	}
	return [await handler.execute.call(this, sobjectOfExecution(this, resource) ?? '')];
}

/**
 * The sObject of this execution. Any Object's Object parameter may be an expression: every item must name the same
 * object, since items are written together in batches of one object.
 */
function sobjectOfExecution(ctx: IExecuteFunctions, resource: string): string | undefined {
	const declared = resourceOf(resource)?.sobject;
	if (!declared || 'fixed' in declared) return declared?.fixed;
	const chosenBy = (itemIndex: number): string => {
		const name = sobjectOf(resource, () => itemParameter(ctx, SOBJECT_PARAMETER, itemIndex, '', { extractValue: true })) ?? '';
		if (isApiName(name)) return name;
		throw new NodeOperationError(ctx.getNode(), `Object: ${quoteValue(name)} is not a valid Salesforce object name`, {
			itemIndex,
			description: 'Choose the object from the list, or give its API name, such as Account or Invoice__c.',
		});
	};
	const sobject = chosenBy(0);
	// Without an expression the object is read once (itemParameter); with one, every item must name the same object.
	const items = ctx.getInputData();
	for (let itemIndex = 1; itemIndex < items.length; itemIndex++) {
		const other = chosenBy(itemIndex);
		if (other.toLowerCase() !== sobject.toLowerCase()) {
			throw new NodeOperationError(ctx.getNode(), `Item ${itemIndex} names the object ${other}, item 0 names ${sobject}`, {
				itemIndex,
				description: 'One run of the node works on one object. Split the items by object first (e.g. with a Switch node), one Salesforce CRM node per object.',
			});
		}
	}
	return sobject;
}
