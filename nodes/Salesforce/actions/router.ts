import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { sobjectOf } from '../helpers/resources';
import { operationsByResource } from './registry';

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const handler = operationsByResource[resource]?.[operation];
	if (!handler) {
		throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not supported for ${resource}`, {
			description: 'Pick the operation again: the workflow may come from a newer version of the node.',
		});
	}
	return [await handler.execute.call(this, sobjectOf(resource))];
}
