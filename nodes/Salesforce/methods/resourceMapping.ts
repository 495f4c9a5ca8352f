import type { FieldType, ILoadOptionsFunctions, INodePropertyOptions, ResourceMapperField, ResourceMapperFields } from 'n8n-workflow';

import { NUMBER_FIELD_TYPES } from '../helpers/numbers';
import { isRequiredOnCreate } from '../helpers/records';
import { byName } from '../properties/fieldOptions';
import { SalesforceClient, type DescribeField, type DescribeResult } from '../transport';
import { describeCurrentSObject } from './currentResource';
import { LOOKUP_OPTIONS_LIMIT, LOOKUP_SEARCHES, namedRecords } from './records';

const TYPE_BY_SALESFORCE_TYPE: Record<string, FieldType> = {
	...Object.fromEntries(NUMBER_FIELD_TYPES.map((type) => [type, 'number'])),
	boolean: 'boolean',
	date: 'dateTime',
	datetime: 'dateTime',
	time: 'time',
	picklist: 'options',
	// n8n's mapper has no multi-select: the dropdown shows the values, several go in by expression ("a;b" or a list).
	multipicklist: 'options',
};

type LookupTarget = keyof typeof LOOKUP_SEARCHES;

/** The object whose records a lookup field lists: Owner → User (queues are given by ID), Account, Contact, Campaign. */
function lookupTargetOf(field: DescribeField): LookupTarget | undefined {
	if (field.type !== 'reference') return undefined;
	return (field.referenceTo ?? []).find((target): target is LookupTarget => target in LOOKUP_SEARCHES);
}

/** Lookup options per target object of the columns (undefined for an object with too many records to list). */
async function lookupOptions(ctx: ILoadOptionsFunctions, fields: DescribeField[]): Promise<Map<string, INodePropertyOptions[] | undefined>> {
	const targets = [...new Set(fields.map(lookupTargetOf).filter((target) => target !== undefined))];
	if (targets.length === 0) return new Map();
	const client = await SalesforceClient.for(ctx);
	const lists = await Promise.all(
		targets.map(async (target) => {
			const records = await namedRecords(client, LOOKUP_SEARCHES[target], undefined, LOOKUP_OPTIONS_LIMIT + 1);
			return [target, records.length > LOOKUP_OPTIONS_LIMIT ? undefined : records.sort(byName)] as const;
		}),
	);
	return new Map(lists);
}

/**
 * One mapper column per writable field, typed from describe; picklists, record types and lookups of users, accounts,
 * contacts and campaigns become dropdowns.
 */
function toColumn(describe: DescribeResult, field: DescribeField, required: boolean, lookups: Map<string, INodePropertyOptions[] | undefined>): ResourceMapperField {
	const column: ResourceMapperField = {
		id: field.name,
		displayName: field.label === field.name ? field.name : `${field.label} (${field.name})`,
		required,
		defaultMatch: false,
		canBeUsedToMatch: false,
		display: true,
		type: TYPE_BY_SALESFORCE_TYPE[field.type] ?? 'string',
	};
	if (field.type === 'picklist' || field.type === 'multipicklist') {
		column.options = (field.picklistValues ?? [])
			.filter((value) => value.active)
			.map((value) => ({ name: value.label, value: value.value }));
	}
	const recordTypes = (describe.recordTypeInfos ?? []).filter((recordType) => !recordType.master && recordType.available !== false);
	if (field.name === 'RecordTypeId' && recordTypes.length > 0) {
		column.type = 'options';
		column.options = recordTypes.map((recordType) => ({ name: recordType.name, value: recordType.recordTypeId }));
	}
	const target = lookupTargetOf(field);
	const records = target && lookups.get(target);
	if (records) {
		column.type = 'options';
		column.options = records;
	}
	return column;
}

/** The columns of `fields`, lookups listed. */
async function columns(ctx: ILoadOptionsFunctions, describe: DescribeResult, fields: DescribeField[], isRequired: (field: DescribeField) => boolean) {
	const lookups = await lookupOptions(ctx, fields);
	return sorted(fields.map((field) => toColumn(describe, field, isRequired(field), lookups)));
}

/** Required fields first, then by label. */
function sorted(columns: ResourceMapperField[]): ResourceMapperFields {
	return {
		fields: columns.sort((a, b) => Number(b.required) - Number(a.required) || a.displayName.localeCompare(b.displayName)),
	};
}

export async function getCreateFields(this: ILoadOptionsFunctions): Promise<ResourceMapperFields> {
	const describe = await describeCurrentSObject(this);
	return await columns(this, describe, describe.fields.filter((field) => field.createable), isRequiredOnCreate);
}

export async function getUpdateFields(this: ILoadOptionsFunctions): Promise<ResourceMapperFields> {
	const describe = await describeCurrentSObject(this);
	return await columns(this, describe, describe.fields.filter((field) => field.updateable), () => false);
}

/** Fields of an upsert: the external ID field is required (it picks the record); the rest is optional. */
export async function getUpsertFields(this: ILoadOptionsFunctions): Promise<ResourceMapperFields> {
	const describe = await describeCurrentSObject(this);
	const externalIdField = String(this.getCurrentNodeParameter('externalIdField') ?? '').toLowerCase();
	const isKey = (field: DescribeField) => field.name.toLowerCase() === externalIdField;
	return await columns(this, describe, describe.fields.filter((field) => field.createable || field.updateable || isKey(field)), isKey);
}
