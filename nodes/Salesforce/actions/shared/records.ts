import type { IDataObject, IExecuteFunctions, ResourceMapperField } from 'n8n-workflow';
import { jsonParse, NodeOperationError } from 'n8n-workflow';

import type { DescribeField, DescribeResult, SalesforceRecord } from '../../transport';

export type Resource = 'lead' | 'contact' | 'opportunity';

const SOBJECT_BY_RESOURCE: Record<Resource, string> = {
	lead: 'Lead',
	contact: 'Contact',
	opportunity: 'Opportunity',
};

export function sobjectOf(resource: string): string {
	return SOBJECT_BY_RESOURCE[resource as Resource] ?? resource;
}

/** A record as Salesforce returns it, without the `attributes` envelope (also on parent records). */
export function withoutAttributes(value: unknown): IDataObject {
	return strip(value) as IDataObject;
}

function strip(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(strip);
	if (value === null || typeof value !== 'object') return value;
	const result: IDataObject = {};
	for (const [key, field] of Object.entries(value as IDataObject)) {
		if (key !== 'attributes') result[key] = strip(field) as IDataObject;
	}
	return result;
}

const ID_PATTERN = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

/** Regex of a record URL: Lightning (`/lightning/r/Lead/00Q…/view`) or Classic (`/00Q…`). */
export const RECORD_URL_PATTERN =
	'^https?://[^/]+/(?:lightning/r/(?:[A-Za-z0-9_]+/)?)?([a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?)(?:[/?#].*)?$';
export const RECORD_ID_PATTERN = '^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$';

/** The record ID of a resource locator parameter, checked for shape and for the object's key prefix. */
export function recordIdParameter(
	ctx: IExecuteFunctions,
	name: string,
	itemIndex: number,
	describe: Pick<DescribeResult, 'name' | 'keyPrefix'>,
	parameterLabel = 'Record',
): string {
	const raw = ctx.getNodeParameter(name, itemIndex, '', { extractValue: true }) as string;
	const id = String(raw ?? '').trim();
	if (!ID_PATTERN.test(id)) {
		throw new NodeOperationError(ctx.getNode(), `"${id}" is not a Salesforce record ID`, {
			itemIndex,
			description: `Set the ${parameterLabel} parameter to a 15- or 18-character ID (e.g. ${describe.keyPrefix ?? '00Q'}5g00000AbCdEFGH), a record URL, or pick a record from the list.`,
		});
	}
	if (describe.keyPrefix && !id.startsWith(describe.keyPrefix)) {
		throw new NodeOperationError(ctx.getNode(), `"${id}" is not a ${describe.name} ID`, {
			itemIndex,
			description: `${describe.name} IDs start with ${describe.keyPrefix}. Check the ${parameterLabel} parameter, or the Resource chosen.`,
		});
	}
	return id;
}

const NUMBER_TYPES = new Set(['int', 'double', 'currency', 'percent', 'long']);

interface DateLike {
	toISO(): string | null;
	toISODate(): string | null;
}

function isDateLike(value: unknown): value is DateLike {
	return typeof value === 'object' && value !== null && typeof (value as DateLike).toISODate === 'function';
}

/** Converts one mapped value to what Salesforce expects for the field's type (dates, numbers, multi-picklists). */
export function toSalesforceValue(value: unknown, field: DescribeField | undefined): unknown {
	if (value === undefined || value === null || !field) return value;
	if (field.type === 'date' || field.type === 'datetime') {
		const date = value instanceof Date ? value.toISOString() : isDateLike(value) ? value.toISO() : String(value);
		if (field.type === 'date' && date && /^\d{4}-\d{2}-\d{2}T/.test(date)) {
			return isDateLike(value) ? value.toISODate() : date.slice(0, 10);
		}
		return date;
	}
	if (NUMBER_TYPES.has(field.type) && typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) {
		return Number(value);
	}
	if (field.type === 'boolean' && typeof value === 'string' && /^(true|false)$/i.test(value)) {
		return value.toLowerCase() === 'true';
	}
	if (field.type === 'multipicklist' && Array.isArray(value)) return value.join(';');
	return value;
}

/**
 * Builds the record to send from mapped fields: names resolved to their API spelling through describe (an unknown
 * name is this item's error, not the whole batch's), values converted to the field's type.
 */
export function recordFromFields(
	ctx: IExecuteFunctions,
	itemIndex: number,
	describe: DescribeResult,
	fields: IDataObject,
	options: { dropEmpty: boolean },
): SalesforceRecord {
	const byName = new Map(describe.fields.map((field) => [field.name.toLowerCase(), field]));
	const record: SalesforceRecord = {};
	for (const [name, value] of Object.entries(fields)) {
		if (options.dropEmpty && (value === undefined || value === null || value === '')) continue;
		const field = byName.get(name.toLowerCase());
		if (!field) {
			throw new NodeOperationError(ctx.getNode(), `No field "${name}" on ${describe.name}`, {
				itemIndex,
				description: `Use the API name of a ${describe.name} field (e.g. ${describe.fields.slice(0, 3).map((f) => f.name).join(', ')}); Salesforce Setup → Object Manager → ${describe.name} → Fields & Relationships lists them.`,
			});
		}
		record[field.name] = toSalesforceValue(value, field);
	}
	return record;
}

/**
 * The fields an item writes, from the Fields parameters: the resource mapper (values set below, or the item's own
 * keys matching the schema when mapping automatically) or the JSON object. Mapper values left empty are not sent.
 */
export function itemFields(ctx: IExecuteFunctions, itemIndex: number): { fields: IDataObject; dropEmpty: boolean } {
	const dataMode = ctx.getNodeParameter('dataMode', itemIndex, 'mapper') as string;
	if (dataMode === 'json') {
		const raw = ctx.getNodeParameter('recordJson', itemIndex, '{}') as string | IDataObject;
		const fields = typeof raw === 'string' ? jsonParse<unknown>(raw, { errorMessage: 'Fields (JSON) is not valid JSON' }) : raw;
		if (fields === null || typeof fields !== 'object' || Array.isArray(fields)) {
			throw new NodeOperationError(ctx.getNode(), 'Fields (JSON) must be an object', {
				itemIndex,
				description: 'Write an object of field API names and values, e.g. {"LastName": "Lovelace", "Company": "Acme"}.',
			});
		}
		return { fields: fields as IDataObject, dropEmpty: false };
	}
	const mappingMode = ctx.getNodeParameter('columns.mappingMode', itemIndex, 'defineBelow') as string;
	if (mappingMode === 'autoMapInputData') {
		const schema = ctx.getNodeParameter('columns.schema', itemIndex, []) as ResourceMapperField[];
		const usable = new Set(schema.filter((field) => field.display && !field.removed).map((field) => field.id));
		const input = ctx.getInputData()[itemIndex].json;
		return { fields: Object.fromEntries(Object.entries(input).filter(([key]) => usable.has(key))), dropEmpty: true };
	}
	return { fields: (ctx.getNodeParameter('columns.value', itemIndex, {}) as IDataObject) ?? {}, dropEmpty: true };
}

/** Salesforce requires a value on create when the field is createable, not nillable and has no default. */
export function isRequiredOnCreate(field: DescribeField): boolean {
	return field.createable && !field.nillable && !field.defaultedOnCreate && field.type !== 'boolean';
}

/** OwnerId and AccountId chosen in the Owner and Account options, if any. */
export function lookupFields(ctx: IExecuteFunctions, itemIndex: number): SalesforceRecord {
	const lookups: SalesforceRecord = {};
	const chosen = (name: string) => (ctx.getNodeParameter(`options.${name}`, itemIndex, null) as { value?: unknown } | null)?.value;
	if (chosen('owner')) {
		lookups.OwnerId = recordIdParameter(ctx, 'options.owner', itemIndex, { name: 'User', keyPrefix: '005' }, 'Owner');
	}
	if (chosen('account')) {
		lookups.AccountId = recordIdParameter(ctx, 'options.account', itemIndex, { name: 'Account', keyPrefix: '001' }, 'Account');
	}
	return lookups;
}
