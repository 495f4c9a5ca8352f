import type { ILoadOptionsFunctions } from 'n8n-workflow';

import { SOBJECT_PARAMETER, sobjectOf } from '../helpers/resources';
import { isApiName } from '../helpers/soql';
import { SalesforceClient, type DescribeResult } from '../transport';

/** The sObject the node's Resource (and, for Any Object, Object) parameter points at; undefined before one is chosen. */
export function currentSObject(ctx: ILoadOptionsFunctions): string | undefined {
	const sobject = sobjectOf(ctx.getCurrentNodeParameter('resource') as string, () =>
		ctx.getCurrentNodeParameter(SOBJECT_PARAMETER, { extractValue: true }),
	);
	return sobject && isApiName(sobject) ? sobject : undefined;
}

/** The describe of the current sObject; no fields until an object is chosen. */
export async function describeCurrentSObject(ctx: ILoadOptionsFunctions): Promise<DescribeResult> {
	const sobject = currentSObject(ctx);
	if (!sobject) return { name: '', label: '', fields: [] };
	const client = await SalesforceClient.for(ctx);
	return await client.describe(sobject);
}
