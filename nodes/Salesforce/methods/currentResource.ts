import type { ILoadOptionsFunctions } from 'n8n-workflow';

import { sobjectOf } from '../helpers/resources';
import { SalesforceClient } from '../transport';

/** The client and the describe of the sObject the node's Resource parameter points at. */
export async function describeCurrentResource(ctx: ILoadOptionsFunctions) {
	const client = await SalesforceClient.for(ctx);
	const sobject = sobjectOf(ctx.getCurrentNodeParameter('resource') as string);
	return { client, sobject, describe: await client.describe(sobject) };
}
