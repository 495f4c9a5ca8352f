import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { byName, fieldOptions, objectOptions } from '../properties/fieldOptions';
import { SalesforceClient } from '../transport';

/** The object the trigger watches: one listed by name, or the one picked from the list of other objects. */
export function watchedObject(sobject: string, otherObject: unknown): string {
	return sobject === 'other' ? String(otherObject ?? '') : sobject;
}

function currentObject(ctx: ILoadOptionsFunctions): string {
	return watchedObject(ctx.getNodeParameter('sobject', 'Lead') as string, ctx.getNodeParameter('otherObject', ''));
}

export async function getQueryableObjects(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const client = await SalesforceClient.for(this);
	return objectOptions((await client.describeGlobal()).filter((object) => object.queryable));
}

export async function getTriggerFields(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const sobject = currentObject(this);
	if (!sobject) return [];
	const client = await SalesforceClient.for(this);
	const { fields } = await client.describe(sobject);
	return fieldOptions(fields);
}

export async function getRecordTypes(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const sobject = currentObject(this);
	if (!sobject) return [];
	const client = await SalesforceClient.for(this);
	const { recordTypeInfos = [] } = await client.describe(sobject);
	return recordTypeInfos
		.filter((recordType) => !recordType.master && recordType.active !== false)
		.map((recordType) => ({ name: recordType.name, value: recordType.recordTypeId }))
		.sort(byName);
}
