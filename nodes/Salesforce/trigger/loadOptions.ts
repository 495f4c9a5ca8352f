import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { byName, conditionFieldOptions, fieldOptions, objectOptions, picklistOptions } from '../properties/fieldOptions';
import { SalesforceClient, type DescribeResult } from '../transport';

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

/** The describe of the watched object; no fields until one is chosen. */
async function describeWatched(ctx: ILoadOptionsFunctions): Promise<Pick<DescribeResult, 'fields' | 'recordTypeInfos'>> {
	const sobject = currentObject(ctx);
	if (!sobject) return { fields: [] };
	const client = await SalesforceClient.for(ctx);
	return await client.describe(sobject);
}

export async function getTriggerFields(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	return fieldOptions((await describeWatched(this)).fields);
}

/** The condition fields of version 2 on: picklists, checkboxes and dates named with their type. */
export async function getTriggerConditionFields(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	return conditionFieldOptions((await describeWatched(this)).fields);
}

/** The values of the picklist chosen in the same condition. */
export async function getTriggerPicklistValues(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	return picklistOptions((await describeWatched(this)).fields, this.getCurrentNodeParameter('&field'));
}

export async function getRecordTypes(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const { recordTypeInfos = [] } = await describeWatched(this);
	return recordTypeInfos
		.filter((recordType) => !recordType.master && recordType.active !== false)
		.map((recordType) => ({ name: recordType.name, value: recordType.recordTypeId }))
		.sort(byName);
}
