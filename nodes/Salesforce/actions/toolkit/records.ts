import type { IDataObject, IExecuteFunctions, ResourceMapperField } from 'n8n-workflow';
import { jsonParse, NodeOperationError, validateFieldType } from 'n8n-workflow';

import { isClearable, isRecordId, STANDARD_OBJECTS } from '../../helpers/records';
import { InvalidNumberError, isNumberFieldType, parseSalesforceNumber } from '../../helpers/numbers';
import { abbreviate, MESSAGE_LIMIT } from '../../helpers/text';
import type { DescribeField, DescribeResult, SalesforceRecord } from '../../transport';
import { itemParameter } from './parameters';

/** The record ID of a resource locator parameter, checked for shape and for the object's key prefix. */
export function recordIdParameter(
	ctx: IExecuteFunctions,
	name: string,
	itemIndex: number,
	describe: Pick<DescribeResult, 'name' | 'keyPrefix'>,
	parameterLabel = 'Record',
): string {
	const raw = itemParameter(ctx, name, itemIndex, '', { extractValue: true }) as string;
	const id = String(raw ?? '').trim();
	if (!isRecordId(id)) {
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

const fieldIndexes = new WeakMap<DescribeResult, ReadonlyMap<string, DescribeField>>();

/**
 * The describe result's fields by lower-case API name, built once per describe result (which serves every item of
 * an execution, and later executions while it is shared) rather than once per item.
 */
export function fieldsByName(describe: DescribeResult): ReadonlyMap<string, DescribeField> {
	let index = fieldIndexes.get(describe);
	if (!index) {
		index = new Map(describe.fields.map((field) => [field.name.toLowerCase(), field]));
		fieldIndexes.set(describe, index);
	}
	return index;
}

interface DateLike {
	toISO(): string | null;
	toISODate(): string | null;
}

function isDateLike(value: unknown): value is DateLike {
	return typeof value === 'object' && value !== null && typeof (value as DateLike).toISODate === 'function';
}

/**
 * Converts one mapped value to what Salesforce expects for the field's type (dates, numbers, multi-picklists).
 * Throws InvalidNumberError for a number field given anything but a finite number or decimal text.
 */
export function toSalesforceValue(value: unknown, field: DescribeField | undefined): unknown {
	if (value === undefined || value === null || !field) return value;
	if (field.type === 'date' || field.type === 'datetime') {
		const date = value instanceof Date ? value.toISOString() : isDateLike(value) ? value.toISO() : String(value);
		if (field.type === 'date' && date && /^\d{4}-\d{2}-\d{2}T/.test(date)) {
			return isDateLike(value) ? value.toISODate() : date.slice(0, 10);
		}
		return date;
	}
	if (isNumberFieldType(field.type)) return parseSalesforceNumber(value, field.name, field.type);
	if (field.type === 'boolean' && typeof value === 'string' && /^(true|false)$/i.test(value)) {
		return value.toLowerCase() === 'true';
	}
	if (field.type === 'multipicklist' && Array.isArray(value)) return value.join(';');
	return value;
}

/** What an update or upsert does with a mapped field whose value is empty (the Empty Values option). */
type EmptyValues = 'fail' | 'skip' | 'clear';

/** No value: undefined, null or the empty string. */
export const isEmpty = (value: unknown) => value === undefined || value === null || value === '';

/**
 * On create an empty value and no value are the same to Salesforce (the field starts empty or at its default).
 * On update and upsert they are not: the item fails unless the Empty Values option says to leave or clear the field.
 */
function emptyValuesOf(ctx: IExecuteFunctions, itemIndex: number): EmptyValues {
	if (itemParameter(ctx, 'operation', itemIndex) === 'create') return 'skip';
	// Node version 1 left empty fields unchanged: its workflows keep that behaviour unless they set the option.
	const byVersion: EmptyValues = ctx.getNode().typeVersion >= 2 ? 'fail' : 'skip';
	return itemParameter(ctx, 'options.emptyValues', itemIndex, byVersion) as EmptyValues;
}

/** Whether the operation may set the field, as describe says for this user (create, update, or either for upsert). */
function isWritable(field: DescribeField, operation: string): boolean {
	if (operation === 'create') return field.createable;
	if (operation === 'update') return field.updateable;
	return field.createable || field.updateable;
}

/** Field names written loosely ("Last_Name", "Rating__c" for the standard Rating) compare equal. */
const looseName = (name: string) => name.toLowerCase().replace(/__c$/, '').replace(/[^a-z0-9]/g, '');

/** Names per unknown-field message: enough for a person or an AI agent to pick the right one. */
const LISTED_FIELDS = 40;

/**
 * The fix for a field name describe does not know: the field it probably means (same name but for case, spaces,
 * underscores or a `__c` suffix, or its label), and the fields the operation can set.
 */
export function unknownFieldFix(name: string, describe: DescribeResult, operation: string): string {
	const writable = describe.fields.filter((field) => isWritable(field, operation));
	const loose = looseName(name);
	const meant = writable.find((field) => looseName(field.name) === loose || looseName(field.label) === loose);
	const listed = writable.slice(0, LISTED_FIELDS).map((field) => field.name).join(', ');
	const more = writable.length > LISTED_FIELDS ? `, and ${writable.length - LISTED_FIELDS} more` : '';
	return [
		meant ? `Did you mean ${meant.name}?` : '',
		`Use the API name of a ${describe.name} field; this operation can set ${listed}${more}.`,
		`Salesforce Setup → Object Manager → ${describe.name} → Fields & Relationships lists them.`,
	]
		.filter(Boolean)
		.join(' ');
}

/**
 * Builds the record to send from mapped fields: names resolved to their API spelling through describe (an unknown
 * or read-only name is this item's error, not the whole batch's), values converted to the field's type. `dropEmpty`
 * says the values come from the mapper, whose empty values follow `emptyValuesOf`; JSON values are sent as written
 * (null clears a field).
 */
export function recordFromFields(
	ctx: IExecuteFunctions,
	itemIndex: number,
	describe: DescribeResult,
	fields: IDataObject,
	options: { dropEmpty: boolean },
): SalesforceRecord {
	const byName = fieldsByName(describe);
	const operation = itemParameter(ctx, 'operation', itemIndex) as string;
	const emptyValues = options.dropEmpty ? emptyValuesOf(ctx, itemIndex) : undefined;
	const record: SalesforceRecord = {};
	const empty: string[] = [];
	for (const [name, value] of Object.entries(fields)) {
		const field = byName.get(name.toLowerCase());
		if (!field) {
			throw new NodeOperationError(ctx.getNode(), `No field "${abbreviate(name)}" on ${describe.name}`, {
				itemIndex,
				description: unknownFieldFix(name, describe, operation),
			});
		}
		if (!isWritable(field, operation)) {
			throw new NodeOperationError(ctx.getNode(), `${describe.name} field "${field.name}" is read-only`, {
				itemIndex,
				description: `Salesforce does not let this user ${operation === 'create' ? 'set it on create' : 'change it'} (a formula, system or auto-number field, or field-level security). Remove it from the fields.`,
			});
		}
		if (emptyValues && isEmpty(value)) {
			if (emptyValues === 'fail') empty.push(field.name);
			if (emptyValues === 'clear') record[field.name] = null;
			continue;
		}
		try {
			record[field.name] = toSalesforceValue(value, field);
		} catch (error) {
			if (error instanceof InvalidNumberError) {
				throw new NodeOperationError(ctx.getNode(), error.message, { itemIndex, description: error.accepted });
			}
			throw new NodeOperationError(ctx.getNode(), error as Error, { itemIndex });
		}
	}
	if (empty.length) {
		throw new NodeOperationError(ctx.getNode(), `No value for ${empty.join(', ')}`, {
			itemIndex,
			description:
				'Map a value; to keep what Salesforce has, remove the field from Fields or set Options → Empty Values to "Leave the Field Unchanged"; to clear it, add it to Options → Fields to Clear or set Empty Values to "Clear the Field".',
		});
	}
	return record;
}

/**
 * The Fields to Clear option of update and upsert, as null values (Collections JSON; Bulk API 2.0 CSV writes #N/A).
 * A field can only be cleared when Salesforce lets it be empty and lets this user change it.
 */
export function clearedFields(
	ctx: IExecuteFunctions,
	itemIndex: number,
	describe: DescribeResult,
	record: SalesforceRecord,
): SalesforceRecord {
	const names = itemParameter(ctx, 'options.fieldsToClear', itemIndex, []) as string[];
	const byName = fieldsByName(describe);
	const cleared: SalesforceRecord = {};
	for (const name of names) {
		const field = byName.get(String(name).toLowerCase());
		if (!field || !isClearable(field)) {
			throw new NodeOperationError(ctx.getNode(), `"${abbreviate(String(name))}" cannot be cleared`, {
				itemIndex,
				description: field
					? `Salesforce requires a value in ${describe.name} field ${field.name}, or does not let this user change it. Remove it from Fields to Clear.`
					: `${describe.name} has no such field. Pick fields from the Fields to Clear list.`,
			});
		}
		if (!isEmpty(record[field.name])) {
			throw new NodeOperationError(ctx.getNode(), `"${field.name}" is both mapped and in Fields to Clear`, {
				itemIndex,
				description: `Either give ${field.name} a value or clear it: remove it from Fields, or from Options → Fields to Clear.`,
			});
		}
		cleared[field.name] = null;
	}
	return cleared;
}

/**
 * A dropdown column that lists some of the values the field takes: a lookup's records (an ID from an expression is
 * just as good) or a multi-select picklist's single values ("a;b" or a list picks several). Salesforce checks them.
 */
const isOpenChoice = (column: ResourceMapperField, field: DescribeField | undefined) =>
	column.type === 'options' && (field?.type === 'reference' || field?.type === 'multipicklist');

/**
 * n8n converts mapped values to their column's type before the node sees them, with `Number()` for numbers: "0x1A"
 * would become 26, "" 0 and "1e400" Infinity. So the mapper's values are read as given; number columns stay as
 * written for the strict parser, and every other column is converted the way n8n does it.
 */
function mapperValues(ctx: IExecuteFunctions, itemIndex: number, schema: ResourceMapperField[], describe: DescribeResult): IDataObject {
	const values = (itemParameter(ctx, 'columns.value', itemIndex, {}, { skipValidation: true }) as IDataObject | null) ?? {};
	const columns = new Map(schema.map((column) => [column.id, column]));
	const fields = fieldsByName(describe);
	const converted: IDataObject = {};
	for (const [name, value] of Object.entries(values)) {
		const column = columns.get(name);
		if (isEmpty(value) || !column?.type || column.type === 'number' || isOpenChoice(column, fields.get(name.toLowerCase()))) {
			converted[name] = value;
			continue;
		}
		const result = validateFieldType(name, value, column.type, { valueOptions: column.options });
		if (!result.valid) {
			throw new NodeOperationError(ctx.getNode(), `Invalid value for field "${name}"`, {
				itemIndex,
				description: abbreviate(result.errorMessage ?? `The ${column.type} column "${name}" cannot take this value.`, MESSAGE_LIMIT),
			});
		}
		converted[name] = result.newValue as IDataObject[string];
	}
	return converted;
}

/**
 * The fields an item writes, from the Fields parameters: the resource mapper (values set below, or the item's own
 * keys matching the schema when mapping automatically: n8n's convention, keys matching no column are ignored) or the
 * JSON object.
 */
export function itemFields(ctx: IExecuteFunctions, itemIndex: number, describe: DescribeResult): { fields: IDataObject; dropEmpty: boolean } {
	const dataMode = itemParameter(ctx, 'dataMode', itemIndex, 'mapper') as string;
	if (dataMode === 'json') {
		const raw = itemParameter(ctx, 'recordJson', itemIndex, '{}') as string | IDataObject;
		const fields = typeof raw === 'string' ? jsonParse<unknown>(raw, { errorMessage: 'Fields (JSON) is not valid JSON' }) : raw;
		if (fields === null || typeof fields !== 'object' || Array.isArray(fields)) {
			throw new NodeOperationError(ctx.getNode(), 'Fields (JSON) must be an object', {
				itemIndex,
				description: 'Write an object of field API names and values, e.g. {"LastName": "Lovelace", "Company": "Acme"}.',
			});
		}
		return { fields: fields as IDataObject, dropEmpty: false };
	}
	const schema = itemParameter(ctx, 'columns.schema', itemIndex, []) as ResourceMapperField[];
	const mappingMode = itemParameter(ctx, 'columns.mappingMode', itemIndex, 'defineBelow') as string;
	if (mappingMode === 'autoMapInputData') {
		const usable = new Set(schema.filter((field) => field.display && !field.removed).map((field) => field.id));
		const input = ctx.getInputData()[itemIndex].json;
		return { fields: Object.fromEntries(Object.entries(input).filter(([key]) => usable.has(key))), dropEmpty: true };
	}
	return { fields: mapperValues(ctx, itemIndex, schema, describe), dropEmpty: true };
}

/** OwnerId and AccountId chosen in the Owner and Account options, if any. */
export function lookupFields(ctx: IExecuteFunctions, itemIndex: number): SalesforceRecord {
	const lookups: SalesforceRecord = {};
	const chosen = (name: string) => (itemParameter(ctx, `options.${name}`, itemIndex, null) as { value?: unknown } | null)?.value;
	if (chosen('owner')) {
		lookups.OwnerId = recordIdParameter(ctx, 'options.owner', itemIndex, STANDARD_OBJECTS.User, 'Owner');
	}
	if (chosen('account')) {
		lookups.AccountId = recordIdParameter(ctx, 'options.account', itemIndex, STANDARD_OBJECTS.Account, 'Account');
	}
	return lookups;
}
