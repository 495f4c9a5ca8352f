import type { IDataObject } from 'n8n-workflow';

import type { DescribeField } from '../transport';

/** A Salesforce record ID: 15 or 18 letters and digits. */
const ID = '[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?';

/** Regex sources for resource locators: an ID, or a record URL, Lightning (`/lightning/r/Lead/00Q…/view`) or Classic (`/00Q…`). */
export const RECORD_ID_PATTERN = `^${ID}$`;
export const RECORD_URL_PATTERN = `^https?://[^/]+/(?:lightning/r/(?:[A-Za-z0-9_]+/)?)?(${ID})(?:[/?#].*)?$`;

const RECORD_ID = new RegExp(RECORD_ID_PATTERN);

export const isRecordId = (value: string): boolean => RECORD_ID.test(value);

/** Standard objects whose record IDs the node checks, with their key prefix (the first three characters of an ID). */
export const STANDARD_OBJECTS = {
	Account: { name: 'Account', keyPrefix: '001' },
	Campaign: { name: 'Campaign', keyPrefix: '701' },
	Contact: { name: 'Contact', keyPrefix: '003' },
	RecordType: { name: 'RecordType', keyPrefix: '012' },
	User: { name: 'User', keyPrefix: '005' },
} as const;

/** A record as Salesforce returns it, without the `attributes` envelope (also on parent records and child lists). */
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

/** Fields an update may empty: nillable (Salesforce allows no value) and updateable by this user. */
export function isClearable(field: DescribeField): boolean {
	return field.nillable && field.updateable;
}

/** Salesforce requires a value on create when the field is createable, not nillable and has no default. */
export function isRequiredOnCreate(field: DescribeField): boolean {
	return field.createable && !field.nillable && !field.defaultedOnCreate && field.type !== 'boolean';
}
