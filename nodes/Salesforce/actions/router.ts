import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import * as contact from './contact/Contact.resource';
import * as lead from './lead/Lead.resource';
import * as opportunity from './opportunity/Opportunity.resource';
import { sobjectOf, type Resource } from './toolkit/records';

export const resources = { contact, lead, opportunity } satisfies Record<Resource, unknown>;

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0) as Resource;
	const operation = this.getNodeParameter('operation', 0) as string;
	const handler = resources[resource]?.operations[operation];
	if (!handler) {
		throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not supported for ${resource}`, {
			description: 'Pick the operation again: the workflow may come from a newer version of the node.',
		});
	}
	return [await handler.execute.call(this, sobjectOf(resource))];
}

/** Operation parameters, each once: the shared record operations serve all resources through displayOptions. */
export const operationParameters = [
	...new Set(Object.values(resources).flatMap((resource) => Object.values(resource.operations))),
].flatMap((operation) => operation.description);
