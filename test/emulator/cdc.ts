// Change Data Capture: which objects the org publishes change events for, the events built from the store's changes
// when their transaction commits, and the event bus that keeps them 72 hours for replay (Change Data Capture
// Developer Guide; Streaming API Developer Guide, "Message Durability").
import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash, randomUUID } from 'node:crypto';
import { parseDateTime } from './clock.ts';
import type { Clock } from './clock.ts';
import type { ObjectMeta } from './schema.ts';
import type { RecordChange, Store } from './store.ts';

/** "Message Durability": Salesforce keeps change events 72 hours. */
export const RETENTION_MS = 72 * 3_600_000;
/** "Overflow Events": the first 100,000 changes of a transaction become change events, the rest overflow events. */
export const OVERFLOW_THRESHOLD = 100_000;
/** Selected in a new emulated org (Setup → Change Data Capture). */
export const DEFAULT_CDC_SELECTION = ['Lead', 'Contact', 'Opportunity', 'Account', 'Case', 'Task'];
/**
 * The emulator's standard objects that have a change event ("StandardObjectNameChangeEvent", Object Reference); every
 * custom object has one.
 */
const STANDARD_CHANGE_EVENTS = new Set(['Account', 'Campaign', 'CampaignMember', 'Case', 'Contact', 'Event', 'Lead', 'Opportunity', 'Task', 'User']);
export const ALL_CHANGE_EVENTS_CHANNEL = '/data/ChangeEvents';

/** "ChangeEventHeader Fields" as a CometD client receives them. */
export interface ChangeEventHeader {
	entityName: string;
	recordIds: string[];
	changeType: string;
	changedFields: string[];
	changeOrigin: string;
	transactionKey: string;
	sequenceNumber: number;
	commitTimestamp: number;
	commitNumber: number;
	commitUser: string;
}

/** The `data` of a change event message on a /data channel ("Change Event Message Structure"). */
export interface ChangeEventData {
	schema: string;
	payload: { ChangeEventHeader: ChangeEventHeader } & Record<string, unknown>;
	event: { replayId: number };
}

export interface RetainedEvent {
	replayId: number;
	entityName: string;
	/** Clock time the event bus received it (retention is counted from here). */
	publishedAt: number;
	data: ChangeEventData;
}

/** Gap events instead of change events for the next `count` changed records (of `entity`, if given). */
export interface GapFault {
	entity?: string;
	count?: number;
}

interface Transaction {
	origin: string;
	changes: RecordChange[];
}

interface EventField {
	name: string;
	/** For a component of a compound field (Name, addresses): the compound field and the component's name in it. */
	compound?: string;
	component?: string;
	datetime: boolean;
}

/** A changed record ready to become an event: its change type and body, or none for a gap event. */
interface Pending {
	change: RecordChange;
	changeType: string;
	changedFields: string[];
	body: Record<string, unknown>;
}

/** Compound fields ("Get Compound Fields in Change Events"): address components as a change event names them. */
const ADDRESS_COMPONENTS = ['Street', 'City', 'State', 'PostalCode', 'Country', 'Latitude', 'Longitude', 'GeocodeAccuracy'];
const PERSON_NAME_COMPONENTS = ['Salutation', 'FirstName', 'MiddleName', 'LastName', 'Suffix'];
/** "StandardObjectNameChangeEvent": a change event has neither IsDeleted nor SystemModstamp. */
const NOT_IN_EVENTS = new Set(['Id', 'IsDeleted', 'SystemModstamp']);

export class ChangeDataCapture {
	private readonly clock: Clock;
	private readonly store: Store;
	private readonly selection = new Set<string>();
	private readonly context = new AsyncLocalStorage<Transaction>();
	private readonly listeners = new Set<() => void>();
	/** Per object: its event fields and schema ID, for the field list they were derived from (addField changes it). */
	private readonly shapes = new WeakMap<ObjectMeta, { fieldCount: number; fields: EventField[]; schemaId: string }>();
	private events: RetainedEvent[] = [];
	private lastReplayId = 0;
	private commitNumber = 10_716_283_339_000;
	private gap: { entity?: string; remaining: number } | undefined;
	overflowThreshold = OVERFLOW_THRESHOLD;

	constructor(clock: Clock, store: Store) {
		this.clock = clock;
		this.store = store;
		this.select(DEFAULT_CDC_SELECTION);
	}

	/** Replaces the org's selection (Setup → Change Data Capture); each object must have a change event. */
	select(objects: string[]): void {
		const names = objects.map((name) => {
			const meta = this.store.findObject(name);
			if (!meta || !hasChangeEvent(meta)) throw new TypeError(`${name} has no change event: Change Data Capture cannot select it`);
			return meta.name;
		});
		this.selection.clear();
		for (const name of names) this.selection.add(name);
	}

	selected(): string[] {
		return [...this.selection];
	}

	isSelected(object: string): boolean {
		return this.selection.has(object);
	}

	/**
	 * Which events a channel carries: all of them on /data/ChangeEvents (events exist only for selected objects), or
	 * those of the one object of a single-entity channel, which exists while the object is selected ("Subscription Channels": /data/<Object>ChangeEvent,
	 * /data/<Name>__ChangeEvent for <Name>__c; names are case-sensitive). Undefined: no such channel.
	 */
	channelFilter(channel: string): ((entityName: string) => boolean) | undefined {
		if (channel === ALL_CHANGE_EVENTS_CHANNEL) return () => true;
		const match = /^\/data\/(\w+?)(__)?ChangeEvent$/.exec(channel);
		if (!match) return undefined;
		const object = match[2] ? `${match[1]}__c` : match[1];
		const meta = this.store.findObject(object);
		if (!meta || meta.name !== object || object.endsWith('__c') !== Boolean(match[2]) || !this.selection.has(object)) return undefined;
		return (entityName) => entityName === object;
	}

	/** The store's observer: a change of a selected object joins its transaction (or is one, outside any). */
	readonly observe = (change: RecordChange): (() => void) | undefined => {
		if (!this.selection.has(change.meta.name)) return undefined;
		const transaction = this.context.getStore();
		if (!transaction) {
			this.commit({ origin: '', changes: [change] });
			return undefined;
		}
		transaction.changes.push(change);
		return () => {
			const index = transaction.changes.lastIndexOf(change);
			if (index >= 0) transaction.changes.splice(index, 1);
		};
	};

	/**
	 * Runs `work` as one transaction: the changes it makes (and does not roll back) are published when it ends, as the
	 * change events of one commit. `origin` is the changeOrigin header value ("com/salesforce/api/rest/64.0").
	 */
	transaction<T>(origin: string, work: () => T): T {
		const transaction: Transaction = { origin, changes: [] };
		let result: T;
		try {
			result = this.context.run(transaction, work);
		} catch (error) {
			this.commit(transaction);
			throw error;
		}
		if (result instanceof Promise) return result.finally(() => this.commit(transaction)) as T;
		this.commit(transaction);
		return result;
	}

	/** The changeOrigin of the transaction running now ('' outside any). */
	currentOrigin(): string {
		return this.context.getStore()?.origin ?? '';
	}

	/** Called after every publication (the Streaming API wakes its waiting clients). */
	onPublish(listener: () => void): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}

	/** The events still retained, oldest first. */
	retained(): RetainedEvent[] {
		const cutoff = this.clock.now().getTime() - RETENTION_MS;
		const firstKept = this.events.findIndex((event) => event.publishedAt >= cutoff);
		if (firstKept !== 0) this.events = firstKept < 0 ? [] : this.events.slice(firstKept);
		return this.events;
	}

	/** The retained events after `replayId` (exclusive), oldest first. */
	after(replayId: number): RetainedEvent[] {
		const events = this.retained();
		let low = 0;
		let high = events.length;
		while (low < high) {
			const middle = (low + high) >> 1;
			if (events[middle].replayId <= replayId) low = middle + 1;
			else high = middle;
		}
		return events.slice(low);
	}

	/** Whether `replayId` is a retained event's (a position a subscriber can resume after). */
	isRetained(replayId: number): boolean {
		return this.retained().some((event) => event.replayId === replayId);
	}

	latestReplayId(): number {
		return this.lastReplayId;
	}

	injectGap(fault: GapFault = {}): void {
		const count = fault.count ?? 1;
		if (!(Number.isInteger(count) && count >= 1)) throw new TypeError('count must be an integer ≥ 1');
		const entity = fault.entity === undefined ? undefined : this.store.findObject(fault.entity)?.name;
		if (fault.entity !== undefined && !entity) throw new TypeError(`Unknown object ${fault.entity}`);
		this.gap = { entity, remaining: count };
	}

	setOverflowThreshold(changes: number | null): void {
		if (changes !== null && !(Number.isInteger(changes) && changes >= 0)) throw new TypeError('The overflow threshold must be an integer ≥ 0');
		this.overflowThreshold = changes ?? OVERFLOW_THRESHOLD;
	}

	resetFaults(): void {
		this.gap = undefined;
		this.overflowThreshold = OVERFLOW_THRESHOLD;
	}

	/**
	 * Publishes a committed transaction. A record changed several times in it gives one event of its first change type
	 * with its values at commit ("General Considerations"); beyond the overflow threshold the rest becomes one
	 * GAP_OVERFLOW event per object ("Overflow Events"); the same update or delete of several records of an object is
	 * merged into one event listing their IDs ("ChangeEventHeader Fields", recordIds).
	 */
	private commit(transaction: Transaction): void {
		if (!transaction.changes.length) return;
		const byRecord = new Map<string, RecordChange>();
		for (const change of transaction.changes) {
			const id = change.after.Id as string;
			const first = byRecord.get(id);
			byRecord.set(id, first ? { ...first, after: change.after } : change);
		}
		const pending: Pending[] = [];
		const overflowed: string[] = [];
		let counted = 0;
		for (const change of byRecord.values()) {
			const event = this.eventOf(change);
			const weight = change.type === 'UPDATE' ? Math.max(1, event.changedFields.filter((f) => f !== 'LastModifiedDate').length) : 1;
			if (overflowed.length || counted + weight > this.overflowThreshold) {
				if (!overflowed.includes(change.meta.name)) overflowed.push(change.meta.name);
				continue;
			}
			counted += weight;
			pending.push(this.takeGap(change.meta.name) ? { change, changeType: `GAP_${change.type}`, changedFields: [], body: {} } : event);
		}
		const first = transaction.changes[0];
		const events = [
			...mergeSameChanges(pending).map((group) => ({
				entityName: group[0].change.meta.name, recordIds: group.map((p) => p.change.after.Id as string), changeType: group[0].changeType,
				changedFields: group[0].changedFields, body: group[0].body, commitUser: group[0].change.userId,
			})),
			...overflowed.map((entityName) => ({ entityName, recordIds: [], changeType: 'GAP_OVERFLOW', changedFields: [], body: {}, commitUser: first.userId })),
		];
		// One commit: its key (a UUID, the 8-4-4-4-12 hex shape Salesforce's keys have), number and time.
		const commit = { transactionKey: randomUUID(), commitTimestamp: first.at.getTime(), commitNumber: ++this.commitNumber };
		const publishedAt = this.clock.now().getTime();
		events.forEach(({ entityName, recordIds, changeType, changedFields, body, commitUser }, index) => {
			const replayId = ++this.lastReplayId;
			const header: ChangeEventHeader = {
				entityName, recordIds, changeType, changedFields, changeOrigin: transaction.origin, transactionKey: commit.transactionKey,
				sequenceNumber: changeType.startsWith('GAP_') ? 1 : index + 1, commitTimestamp: commit.commitTimestamp, commitNumber: commit.commitNumber, commitUser,
			};
			const { schemaId } = this.shapeOf(this.store.describe(entityName));
			this.events.push({ replayId, entityName, publishedAt, data: { schema: schemaId, payload: { ChangeEventHeader: header, ...body }, event: { replayId } } });
		});
		for (const listener of this.listeners) listener();
	}

	private takeGap(entityName: string): boolean {
		if (!this.gap || (this.gap.entity && this.gap.entity !== entityName)) return false;
		if (--this.gap.remaining <= 0) this.gap = undefined;
		return true;
	}

	/**
	 * The body of a record's change event ("Change Event Body Fields", JSON messages): a new or undeleted record's
	 * non-empty fields, an update's changed fields (with LastModifiedDate, and nulls for cleared fields), nothing for
	 * a delete. Compound fields are nested, their changed components named Compound.Component.
	 */
	private eventOf(change: RecordChange): Pending {
		const body: Record<string, unknown> = {};
		const changedFields: string[] = [];
		const put = (f: EventField, value: unknown) => {
			const converted = f.datetime && typeof value === 'string' ? isoDateTime(value) : value;
			if (f.compound) ((body[f.compound] ??= {}) as Record<string, unknown>)[f.component!] = converted;
			else body[f.name] = converted;
		};
		const { fields } = this.shapeOf(change.meta);
		if (change.type === 'CREATE' || change.type === 'UNDELETE') {
			for (const f of fields) if (change.after[f.name] != null) put(f, change.after[f.name]);
		} else if (change.type === 'UPDATE') {
			for (const f of fields) {
				const value = change.after[f.name] ?? null;
				if (f.name !== 'LastModifiedDate' && value === (change.before![f.name] ?? null)) continue;
				put(f, value);
				changedFields.push(f.compound ? `${f.compound}.${f.component}` : f.name);
			}
		}
		return { change, changeType: change.type, changedFields, body };
	}

	private shapeOf(meta: ObjectMeta): { fields: EventField[]; schemaId: string } {
		const known = this.shapes.get(meta);
		if (known?.fieldCount === meta.fields.length) return known;
		const shape = { fieldCount: meta.fields.length, fields: eventFields(meta), schemaId: schemaId(meta) };
		this.shapes.set(meta, shape);
		return shape;
	}
}

/** The fields a change event carries, compound fields' components mapped to their place in it. */
function eventFields(meta: ObjectMeta): EventField[] {
	const has = (name: string) => meta.fieldIndex.has(name.toLowerCase());
	const personName = has('FirstName') && has('LastName') && meta.fieldIndex.get('name')?.createable === false;
	return meta.fields.filter((f) => !NOT_IN_EVENTS.has(f.name) && !f.calculated && !(personName && f.name === 'Name')).map((f): EventField => {
		const datetime = f.type === 'datetime';
		if (personName && PERSON_NAME_COMPONENTS.includes(f.name)) return { name: f.name, compound: 'Name', component: f.name, datetime };
		const component = ADDRESS_COMPONENTS.find((c) => f.name.endsWith(c));
		const prefix = component && f.name.slice(0, -component.length);
		if (component && has(`${prefix}Street`) && has(`${prefix}City`)) return { name: f.name, compound: `${prefix}Address`, component, datetime };
		return { name: f.name, datetime };
	});
}

/** An opaque ID of the object's event schema, which changes with its fields (the emulator's own derivation). */
function schemaId(meta: ObjectMeta): string {
	return createHash('sha256').update(`${meta.name}:${meta.fields.map((f) => `${f.name}/${f.type}`).join(',')}`).digest('base64url').slice(0, 22);
}

/** A stored datetime (2026-11-22T10:00:00.000+0000) as change events write it: 2026-11-22T10:00:00.000Z. */
function isoDateTime(value: string): string {
	return /\.\d{3}\+0000$/.test(value) ? `${value.slice(0, -5)}Z` : parseDateTime(value)!.toISOString();
}

/** Whether an object has a change event ("StandardObjectNameChangeEvent"; every custom object has one). */
export function hasChangeEvent(meta: ObjectMeta): boolean {
	return meta.name.endsWith('__c') || STANDARD_CHANGE_EVENTS.has(meta.name);
}

/** The single-entity channel of an object: /data/AccountChangeEvent, /data/Project__ChangeEvent for Project__c. */
export function changeEventChannel(object: string): string {
	return object.endsWith('__c') ? `/data/${object.slice(0, -3)}__ChangeEvent` : `/data/${object}ChangeEvent`;
}

/** Groups the same change (object, type, fields and values, user) of several records; new records are never merged. */
function mergeSameChanges(pending: Pending[]): Pending[][] {
	const groups = new Map<string, Pending[]>();
	const order: Pending[][] = [];
	for (const p of pending) {
		const key = p.changeType === 'CREATE' ? undefined : JSON.stringify([p.change.meta.name, p.changeType, p.changedFields, p.body, p.change.userId]);
		const group = key === undefined ? undefined : groups.get(key);
		if (group) {
			group.push(p);
			continue;
		}
		const created = [p];
		if (key !== undefined) groups.set(key, created);
		order.push(created);
	}
	return order;
}

