// Record helpers the sObject and Collections routes share: record URLs, field lists, external ID fields, upsert.
import { SalesforceError, notFound } from '../errors.ts';
import { jsonRecord } from '../format.ts';
import type { Request } from '../http.ts';
import type { FieldMeta, ObjectMeta } from '../schema.ts';
import type { SObjectRecord, Store } from '../store.ts';

/** The record's URL relative to the instance, as Salesforce writes it in `attributes.url`. */
export function sobjectUrl(req: Request, type: string, id: string): string {
	return `/services/data/v${req.version}/sobjects/${type}/${id}`;
}

/** The record with its `attributes` and the given fields (default: all), null for an unset field. */
export function withAttributes(req: Request, meta: ObjectMeta, record: SObjectRecord, fields?: FieldMeta[]): SObjectRecord {
	const out: SObjectRecord = { attributes: { type: meta.name, url: sobjectUrl(req, meta.name, record.Id as string) } };
	for (const f of fields ?? meta.fields) out[f.name] = record[f.name] ?? null;
	return jsonRecord(out, () => meta);
}

/** The fields of a comma-separated `fields` parameter; undefined when it is absent. */
export function fieldList(meta: ObjectMeta, names: string | null | undefined): FieldMeta[] | undefined {
	if (!names) return undefined;
	return names.split(',').map((n) => {
		const f = meta.fieldIndex.get(n.trim().toLowerCase());
		if (!f) throw new SalesforceError('INVALID_FIELD', `No such column '${n.trim()}' on entity '${meta.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`);
		return f;
	});
}

export function externalField(meta: ObjectMeta, name: string): FieldMeta {
	const f = meta.fieldIndex.get(name.toLowerCase());
	if (!f || !(f.externalId || f.idLookup)) throw notFound(`Provided external ID field does not exist or is not accessible: ${name}`);
	return f;
}

export function asWrite(req: Request): { userId: string } {
	return { userId: req.userId };
}

/** Inserts or updates the record whose external ID field `f` is `value`; 300 when several records match. */
export function upsertOne(store: Store, req: Request, meta: ObjectMeta, f: FieldMeta, value: string, body: Record<string, unknown>) {
	if (f.type === 'id') {
		const record = store.update(meta.name, value, body, asWrite(req));
		return { record, created: false };
	}
	const matches = store.findByField(meta, f.name, value);
	if (matches.length > 1) {
		const urls = matches.map((m) => sobjectUrl(req, meta.name, m.Id as string));
		throw new SalesforceError('MULTIPLE_CHOICES', `${f.name}: more than one record found for external id field: ${urls.join(', ')}`, { httpStatus: 300, body: urls });
	}
	const fields = Object.fromEntries(Object.entries(body).filter(([k]) => k.toLowerCase() !== f.name.toLowerCase()));
	if (matches.length === 1) return { record: store.update(meta.name, matches[0].Id as string, fields, asWrite(req)), created: false };
	return { record: store.insert(meta.name, { ...fields, [f.name]: value }, asWrite(req)), created: true };
}
