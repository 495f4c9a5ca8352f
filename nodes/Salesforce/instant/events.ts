// Change events as Salesforce delivers them over CometD ("Change Event Message Structure", "ChangeEventHeader Fields",
// "Change Event Body Fields", "Get Compound Fields in Change Events", "Gap Events", "Overflow Events"), the user's
// filters, and the items they become. Pure code: no I/O.
import type { IDataObject } from 'n8n-workflow';

import { isRecordId } from '../helpers/records';
import { toIso } from '../trigger/cursor';

export const CHANGE_KINDS = ['created', 'updated', 'deleted', 'undeleted'] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

const KIND_OF_CHANGE_TYPE: Record<string, ChangeKind> = { CREATE: 'created', UPDATE: 'updated', DELETE: 'deleted', UNDELETE: 'undeleted' };
const GAP_PREFIX = 'GAP_';
const OVERFLOW = 'GAP_OVERFLOW';

export interface ChangeEvent {
	replayId: number;
	entityName: string;
	recordIds: string[];
	/** The change Salesforce reports; undefined for an overflow event, which names none. */
	kind?: ChangeKind;
	/** A gap event (GAP_CREATE, …): the header only, the records must be read again. */
	gap: boolean;
	/** An overflow event (GAP_OVERFLOW): the rest of a transaction of more than 100,000 changes, without details. */
	overflow: boolean;
	changedFields: string[];
	commitTimestamp: number;
	transactionKey: string;
	sequenceNumber?: number;
	commitUser?: string;
	changeOrigin?: string;
	/** The body: the record's values (an update: its changed fields only), compound fields nested. */
	fields: IDataObject;
}

/** Data on the channel that is not a change event. */
export class MalformedEventError extends Error {}

/** The `data` of a Bayeux message on a change event channel as a ChangeEvent. */
export function readChangeEvent(data: unknown): ChangeEvent {
	const { payload, event } = (data ?? {}) as { payload?: IDataObject; event?: { replayId?: unknown } };
	const header = payload?.ChangeEventHeader as IDataObject | undefined;
	const replayId = event?.replayId;
	if (!header || typeof replayId !== 'number' || typeof header.changeType !== 'string' || typeof header.entityName !== 'string') {
		throw new MalformedEventError(`Not a change event: ${JSON.stringify(data)?.slice(0, 200)}`);
	}
	const changeType = header.changeType;
	const overflow = changeType === OVERFLOW;
	const gap = !overflow && changeType.startsWith(GAP_PREFIX);
	const kind = overflow ? undefined : KIND_OF_CHANGE_TYPE[gap ? changeType.slice(GAP_PREFIX.length) : changeType];
	if (!overflow && !kind) throw new MalformedEventError(`Unknown changeType ${changeType} (replay ID ${replayId})`);
	const fields: IDataObject = { ...payload };
	delete fields.ChangeEventHeader;
	return {
		replayId,
		entityName: header.entityName,
		recordIds: strings(header.recordIds),
		kind,
		gap,
		overflow,
		changedFields: strings(header.changedFields),
		commitTimestamp: Number(header.commitTimestamp),
		transactionKey: String(header.transactionKey ?? ''),
		sequenceNumber: typeof header.sequenceNumber === 'number' ? header.sequenceNumber : undefined,
		commitUser: typeof header.commitUser === 'string' ? header.commitUser : undefined,
		changeOrigin: typeof header.changeOrigin === 'string' ? header.changeOrigin : undefined,
		fields,
	};
}

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((entry): entry is string => typeof entry === 'string') : []);

/** "Only when one of these fields changed": a field, and optionally what it changed to. */
export interface FieldChange {
	field: string;
	/** any: whatever the new value; value: exactly `value`; empty: cleared. */
	to: 'any' | 'value' | 'empty';
	value?: string;
}

/**
 * The object fields a changedFields entry stands for. Compound fields are listed as Compound.Component
 * ("Get Compound Fields in Change Events"): Name.LastName is LastName, BillingAddress.City is BillingCity, Address.City
 * (Lead) is City, Location__c.Latitude is Location__Latitude__s; the compound field itself matches too.
 */
export function fieldsOfEntry(entry: string): string[] {
	const dot = entry.indexOf('.');
	if (dot < 0) return [entry];
	const compound = entry.slice(0, dot);
	const component = entry.slice(dot + 1);
	const names = [entry, compound, component];
	if (compound.endsWith('Address')) names.push(`${compound.slice(0, -'Address'.length)}${component}`);
	if (compound.endsWith('__c')) names.push(`${compound.slice(0, -'c'.length)}${component}__s`);
	return [...new Set(names)];
}

/** An entry's new value in the body: `fields.Title`, or the component of a nested compound field. */
function valueOfEntry(fields: IDataObject, entry: string): unknown {
	const dot = entry.indexOf('.');
	if (dot < 0) return fields[entry];
	const compound = fields[entry.slice(0, dot)];
	return compound && typeof compound === 'object' ? (compound as IDataObject)[entry.slice(dot + 1)] : undefined;
}

/**
 * The fields an event says changed: an update's changedFields; for a created or undeleted record, the fields it holds
 * (Salesforce lists none, the body has them all); none for a deletion.
 */
export function changedEntries(event: ChangeEvent): string[] {
	if (event.kind === 'updated') return event.changedFields;
	if (event.kind === 'deleted' || event.gap || event.overflow) return [];
	return Object.entries(event.fields).flatMap(([name, value]) =>
		value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.keys(value).map((component) => `${name}.${component}`) : [name],
	);
}

const isEmpty = (value: unknown) => value === null || value === undefined || value === '';

/** Whether a new value is what the filter asks for; `expected` is text as typed (numbers and checkboxes compare as such). */
export function valueMatches(change: FieldChange, actual: unknown): boolean {
	if (change.to === 'any') return true;
	if (change.to === 'empty') return isEmpty(actual);
	const expected = change.value ?? '';
	if (isEmpty(actual)) return expected === '';
	if (typeof actual === 'boolean') return expected.trim().toLowerCase() === String(actual);
	if (typeof actual === 'number') return expected.trim() !== '' && Number(expected) === actual;
	return String(actual) === expected;
}

/** Whether the field a filter names is the one an entry stands for (API names compare case-insensitively). */
const sameField = (change: FieldChange, entry: string) => fieldsOfEntry(entry).some((name) => name.toLowerCase() === change.field.toLowerCase());

/**
 * Whether an event passes "only when one of these fields changed": one of its changed fields is a chosen one with a
 * matching new value. Deletions are not filtered by field changes (they change no field); gap events are decided on the
 * record read again (recordMatches).
 */
export function eventMatches(event: ChangeEvent, changes: FieldChange[]): boolean {
	if (changes.length === 0 || event.kind === 'deleted' || event.gap || event.overflow) return true;
	return changedEntries(event).some((entry) =>
		changes.some((change) => sameField(change, entry) && valueMatches(change, valueOfEntry(event.fields, entry))),
	);
}

/**
 * Whether a record read again (after a gap event) passes the field filters: which fields changed is unknown, so a
 * filter on any new value passes, one on a value when the record holds it now.
 */
export function recordMatches(record: IDataObject | null | undefined, changes: FieldChange[]): boolean {
	if (changes.length === 0 || changes.some((change) => change.to === 'any')) return true;
	if (!record) return false;
	return changes.some((change) => {
		const name = Object.keys(record).find((key) => key.toLowerCase() === change.field.toLowerCase());
		return name !== undefined && valueMatches(change, record[name]);
	});
}

export interface Selection {
	kinds: readonly ChangeKind[];
	fieldChanges: FieldChange[];
	/** Read each record's current values into `$record`. */
	includeRecord: boolean;
}

/** The events the trigger reports: of a chosen kind and passing the field filters; overflow events always. */
export function selectEvents(events: ChangeEvent[], selection: Selection): ChangeEvent[] {
	return events.filter((event) => event.overflow || (selection.kinds.includes(event.kind!) && eventMatches(event, selection.fieldChanges)));
}

/** The records to read for these (selected) events: a gap event's always, every record's with Include Current Record. */
export function recordIdsToRead(events: ChangeEvent[], selection: Selection): string[] {
	const ids = events.filter((event) => event.gap || (selection.includeRecord && !event.overflow)).flatMap((event) => event.recordIds);
	// recordIds may hold a wildcard ("001*") after a field type conversion: there is no record to read then.
	return [...new Set(ids.filter(isRecordId))];
}

const iso = (milliseconds: number) => (Number.isFinite(milliseconds) ? new Date(milliseconds).toISOString() : null);

/** What every item of an event says about it: `$event`. */
function eventMetadata(event: ChangeEvent): IDataObject {
	return {
		type: event.kind ?? 'overflow',
		object: event.entityName,
		changedFields: changedEntries(event),
		commitTimestamp: iso(event.commitTimestamp),
		commitUser: event.commitUser ?? null,
		transactionKey: event.transactionKey,
		sequenceNumber: event.sequenceNumber ?? null,
		replayId: event.replayId,
		gap: event.gap,
	};
}

export const OVERFLOW_MESSAGE = (event: ChangeEvent) =>
	`A transaction changed more than 100,000 records or fields; Salesforce sent no details of its remaining ${event.entityName} changes (GAP_OVERFLOW event, committed ${iso(event.commitTimestamp)}). Read the ${event.entityName} records changed at that time (SystemModstamp) to catch up.`;

/**
 * The items of one selected event: one per record ID, `{ Id, ...body, $event, $record? }` (the body as Salesforce
 * sends it, compound fields nested); a gap event's records as read again, when they pass the field filters; an overflow
 * event as one item saying what is missing. `records` holds the records read (null: not found).
 */
export function eventItems(event: ChangeEvent, selection: Selection, records: Map<string, IDataObject | null>): IDataObject[] {
	if (event.overflow) return [{ $event: eventMetadata(event), message: OVERFLOW_MESSAGE(event) }];
	const ids = event.gap ? event.recordIds.filter((id) => recordMatches(records.get(id), selection.fieldChanges)) : event.recordIds;
	return ids.map((id) => {
		const item: IDataObject = { Id: id, ...structuredClone(event.fields), $event: eventMetadata(event) };
		if (event.gap || selection.includeRecord) item.$record = records.get(id) ?? null;
		return item;
	});
}

/**
 * The records read after a replay gap (their changes' events were no longer retained): one item per record,
 * `{ Id, $event: { type: 'reconciled', … }, $record }`, when it passes the field filters.
 */
export function reconciledItems(records: IDataObject[], sobject: string, changes: FieldChange[]): IDataObject[] {
	return records
		.filter((record) => recordMatches(record, changes))
		.map((record) => ({
			Id: record.Id,
			$event: {
				type: 'reconciled',
				object: sobject,
				changedFields: [],
				commitTimestamp: record.SystemModstamp ? toIso(record.SystemModstamp) : null,
				commitUser: record.LastModifiedById ?? null,
				transactionKey: null,
				sequenceNumber: null,
				replayId: null,
				gap: true,
			},
			$record: record,
		}));
}
