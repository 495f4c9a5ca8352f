// Records as the REST API writes them in JSON. Salesforce serialises double, currency and percent values as Java
// doubles: always with a decimal point (37.0), in E notation from 10^7 on or below 10^-3 (1.5E7, 1.0E-4); a blob
// (base64) field as the URL of its content.
import type { FieldType, ObjectMeta } from './schema.ts';
import type { SObjectRecord } from './store.ts';

/** On AggregateResult rows, which have no describe: output key → the type of its value. */
export const VALUE_TYPES = Symbol('valueTypes');

const DECIMAL_TYPES: ReadonlySet<FieldType> = new Set(['double', 'currency', 'percent']);
const rawJson = (JSON as unknown as { rawJSON(text: string): unknown }).rawJSON;

/** Java's Double.toString(n), the form Salesforce's JSON gives a decimal field. */
export function javaDouble(n: number): string {
	const magnitude = Math.abs(n);
	if (n === 0 || (magnitude >= 1e-3 && magnitude < 1e7)) {
		const text = String(n);
		return text.includes('.') ? text : `${text}.0`;
	}
	const [mantissa, exponent] = n.toExponential().split('e');
	return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${Number(exponent)}`;
}

/**
 * A copy of a record (with its parent records and child subquery results) whose decimal values JSON.stringify
 * writes as Salesforce does; everything else is unchanged.
 */
export function jsonRecord(record: SObjectRecord, findObject: (name: string) => ObjectMeta | undefined): SObjectRecord {
	const type = (record.attributes as { type?: string } | undefined)?.type;
	const aggregateTypes = (record as { [VALUE_TYPES]?: Record<string, FieldType> })[VALUE_TYPES];
	const meta = type ? findObject(type) : undefined;
	const typeOf = (key: string) => aggregateTypes?.[key] ?? meta?.fieldIndex.get(key.toLowerCase())?.type;
	const out: SObjectRecord = {};
	for (const [key, value] of Object.entries(record)) {
		if (typeof value === 'number' && Number.isFinite(value) && DECIMAL_TYPES.has(typeOf(key)!)) out[key] = rawJson(javaDouble(value));
		// A blob field's value is where to get it, not its content (sObject Blob Get: sobjects/{sObject}/{id}/{field}).
		else if (value !== null && typeOf(key) === 'base64') out[key] = `${(record.attributes as { url: string }).url}/${key}`;
		else if (key !== 'attributes' && isChildResult(value)) out[key] = { ...value, records: value.records.map((r) => jsonRecord(r, findObject)) };
		else if (key !== 'attributes' && value && typeof value === 'object' && 'attributes' in value) out[key] = jsonRecord(value as SObjectRecord, findObject);
		else out[key] = value;
	}
	return out;
}

function isChildResult(value: unknown): value is { records: SObjectRecord[] } {
	return Boolean(value && typeof value === 'object' && Array.isArray((value as { records?: unknown }).records));
}
