// Records of the emulated org: validation like Salesforce's, system fields from the controllable clock,
// deleted rows kept (IsDeleted = true) for queryAll and getDeleted, and an undo log for all-or-none calls.
import { Clock, formatDate, formatDateTime, parseDateTime } from './clock.ts';
import { SalesforceError, UnreadableValueError } from './errors.ts';
import { IdGenerator, toId18 } from './ids.ts';
import { deriveVersionFields, documentFieldsOf } from './files.ts';
import { CASCADE_DELETE_FIELDS, CASE_STATUSES, OPPORTUNITY_STAGES, buildSchema, field as buildField } from './schema.ts';
import type { FieldMeta, FieldType, ObjectMeta } from './schema.ts';

export type SObjectRecord = Record<string, unknown>;
export interface WriteOptions {
	at?: Date;
	userId?: string;
}

/** A record change as committed: `before` is the record before an update, `after` the record as stored. */
export interface RecordChange {
	type: 'CREATE' | 'UPDATE' | 'DELETE' | 'UNDELETE';
	meta: ObjectMeta;
	before?: SObjectRecord;
	after: SObjectRecord;
	userId: string;
	at: Date;
}

/** Told of every record change (Change Data Capture); the function it returns, if any, takes the change back (rollback). */
export type ChangeObserver = (change: RecordChange) => (() => void) | undefined;

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const BASE64_PATTERN = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
/** Child object and reference field of each cascading delete. */
const CASCADES = [...CASCADE_DELETE_FIELDS].map((name) => name.split('.') as [string, string]);
const MINUTE = 60_000;
/** The longest timed Event without "Enable Multiday Events" (Activity Settings). */
const MAX_EVENT_MINUTES = 1440;

function addToIndex(index: Map<string, Set<string>>, value: unknown, id: string): void {
	if (value == null) return;
	const key = String(value).toLowerCase();
	index.set(key, (index.get(key) ?? new Set()).add(id));
}

function removeFromIndex(index: Map<string, Set<string>>, value: unknown, id: string): void {
	if (value == null) return;
	const key = String(value).toLowerCase();
	const ids = index.get(key);
	ids?.delete(id);
	if (ids?.size === 0) index.delete(key);
}

export class Store {
	readonly schema: Map<string, ObjectMeta>;
	readonly clock: Clock;
	/** The user that owns records created without an explicit OwnerId (the default app's Run-As user). */
	defaultUserId = '';
	private readonly ids = new IdGenerator();
	private readonly tables = new Map<string, Map<string, SObjectRecord>>();
	private readonly objectById = new Map<string, string>();
	private readonly deletedAt = new Map<string, Date>();
	/** Child record → the record whose deletion cascaded to it, so that undeleting the parent restores it. */
	private readonly cascadedFrom = new Map<string, string>();
	private undoLog: Array<() => void> | undefined;
	/** When each object's describe last changed (a field added or removed, a record type written), on the org's clock. */
	private readonly metadataChanges = new Map<string, Date>();
	/**
	 * Per object and field: record IDs by lower-cased value (`findByField`: upsert matches, unique checks), built on a
	 * field's first lookup and kept current by every row write, so that a write costs no scan of its table.
	 */
	private readonly valueIndexes = new Map<string, Map<string, Map<string, Set<string>>>>();
	private readonly createdAt: Date;
	observer: ChangeObserver | undefined;

	constructor(clock: Clock) {
		this.clock = clock;
		this.createdAt = clock.now();
		this.schema = buildSchema();
		for (const meta of this.schema.values()) this.tables.set(meta.name, new Map());
	}

	/** Case-insensitive object lookup; throws NOT_FOUND like the REST API does for unknown sObjects. */
	describe(sobject: string): ObjectMeta {
		const meta = this.schema.get(sobject.toLowerCase());
		if (!meta) throw new SalesforceError('NOT_FOUND', 'The requested resource does not exist', { httpStatus: 404 });
		return meta;
	}

	findObject(sobject: string): ObjectMeta | undefined {
		return this.schema.get(sobject.toLowerCase());
	}

	objectOfId(id: string): ObjectMeta | undefined {
		const id18 = toId18(id);
		const name = id18 && this.objectById.get(id18);
		return name ? this.schema.get(name.toLowerCase()) : undefined;
	}

	now(): Date {
		const d = this.clock.now();
		d.setUTCMilliseconds(0);
		return d;
	}

	/** A record by ID in any object (including deleted ones), for relationship traversal. */
	byId(id: string): { meta: ObjectMeta; record: SObjectRecord } | undefined {
		const meta = this.objectOfId(id);
		const record = meta && this.tables.get(meta.name)!.get(toId18(id)!);
		return meta && record ? { meta, record } : undefined;
	}

	get(sobject: string, id: string): SObjectRecord | undefined {
		const meta = this.describe(sobject);
		const id18 = toId18(id);
		return id18 ? this.tables.get(meta.name)!.get(id18) : undefined;
	}

	all(sobject: string, opts: { includeDeleted?: boolean } = {}): SObjectRecord[] {
		const rows = [...this.tables.get(this.describe(sobject).name)!.values()];
		return opts.includeDeleted ? rows : rows.filter((r) => !r.IsDeleted);
	}

	deletedDate(id: string): Date | undefined {
		return this.deletedAt.get(id);
	}

	addField(sobject: string, partial: Partial<FieldMeta> & { name: string; type: string }): void {
		const meta = this.describe(sobject);
		const { name, type, ...rest } = partial;
		const values = rest.picklistValues?.map((p) => p.value);
		const f = { ...buildField(name, type as FieldType, { ...rest, values } as never), ...rest };
		meta.fields.push(f);
		meta.fieldIndex.set(name.toLowerCase(), f);
		for (const record of this.tables.get(meta.name)!.values()) record[name] ??= f.defaultValue ?? null;
		this.valueIndexes.delete(meta.name);
		this.metadataChanges.set(meta.name, this.clock.now());
	}

	/** Deletes a custom field (Setup → Object Manager → Fields & Relationships → Delete) with its values. */
	removeField(sobject: string, name: string): void {
		const meta = this.describe(sobject);
		const f = meta.fieldIndex.get(name.toLowerCase());
		if (!f?.custom) throw new Error(`${meta.name} has no custom field ${name}`);
		meta.fields.splice(meta.fields.indexOf(f), 1);
		meta.fieldIndex.delete(name.toLowerCase());
		for (const record of this.tables.get(meta.name)!.values()) delete record[f.name];
		this.valueIndexes.delete(meta.name);
		this.metadataChanges.set(meta.name, this.clock.now());
	}

	/** When the describe of an object (or, without one, of any object) last changed, on the org's clock. */
	metadataModifiedAt(sobject?: string): Date {
		if (sobject) return this.metadataChanges.get(this.describe(sobject).name) ?? this.createdAt;
		return new Date(Math.max(this.createdAt.getTime(), ...[...this.metadataChanges.values()].map((at) => at.getTime())));
	}

	/** Runs `work` so that every change is undone when it throws or rejects (all-or-none requests). */
	async atomically<T>(work: () => T | Promise<T>): Promise<T> {
		const outer = this.undoLog;
		const log: Array<() => void> = [];
		this.undoLog = log;
		try {
			const result = await work();
			outer?.push(...log);
			return result;
		} catch (error) {
			for (const undo of log.reverse()) undo();
			throw error;
		} finally {
			this.undoLog = outer;
		}
	}

	insert(sobject: string, fields: Record<string, unknown>, opts: WriteOptions = {}): SObjectRecord {
		const meta = this.describe(sobject);
		if (!meta.createable) throw new SalesforceError('INVALID_TYPE', `entity type ${meta.name} does not support insert`);
		const values = this.validate(meta, fields, 'insert');
		return meta.name === 'ContentVersion' ? this.insertVersion(meta, values, opts) : this.commitNew(meta, values, opts, true);
	}

	/**
	 * A ContentVersion, as "ContentDocument" (Object Reference) describes it: without ContentDocumentId it creates the
	 * document (version 1), with one it becomes that document's latest version. A new document is shared with its owner
	 * (ShareType I) and with its FirstPublishLocationId, when that is a record (ShareType V, the emulator's choice of the
	 * values "ContentDocumentLink" lists); without one, FirstPublishLocationId is the owner ("ContentVersion").
	 */
	private insertVersion(meta: ObjectMeta, values: SObjectRecord, opts: WriteOptions): SObjectRecord {
		const documentMeta = this.describe('ContentDocument');
		const existing = values.ContentDocumentId as string | undefined;
		const documentId = existing ?? this.ids.next(documentMeta.keyPrefix);
		const siblings = this.all(meta.name).filter((version) => version.ContentDocumentId === documentId);
		const ownerId = (values.OwnerId as string | undefined) ?? opts.userId ?? this.defaultUserId;
		const version = this.commitNew(meta, {
			...values, ContentDocumentId: documentId, VersionNumber: String(siblings.length + 1), IsLatest: true,
			...(existing ? {} : { FirstPublishLocationId: values.FirstPublishLocationId ?? ownerId }),
		}, opts, true);
		for (const sibling of siblings.filter((s) => s.IsLatest)) this.systemUpdate(meta, sibling.Id as string, { IsLatest: false });
		if (existing) {
			this.systemUpdate(documentMeta, documentId, documentFieldsOf(version));
			return version;
		}
		this.commitNew(documentMeta, { OwnerId: ownerId, PublishStatus: 'P', ...documentFieldsOf(version) }, opts, false, documentId);
		const link = (LinkedEntityId: unknown, ShareType: string) =>
			this.commitNew(this.describe('ContentDocumentLink'), { LinkedEntityId, ContentDocumentId: documentId, ShareType, Visibility: 'AllUsers' }, opts, false);
		link(ownerId, 'I');
		if (version.FirstPublishLocationId !== ownerId) link(version.FirstPublishLocationId, 'V');
		return version;
	}

	/** Inserts setup rows (LeadStatus, OpportunityStage, the Organization…) that the API itself cannot create. */
	systemInsert(sobject: string, values: SObjectRecord, id?: string): SObjectRecord {
		return this.commitNew(this.describe(sobject), values, {}, false, id);
	}

	private commitNew(meta: ObjectMeta, values: SObjectRecord, opts: WriteOptions, check: boolean, id = this.ids.next(meta.keyPrefix)): SObjectRecord {
		const record: SObjectRecord = {};
		for (const f of meta.fields) record[f.name] = f.defaultValue ?? null;
		Object.assign(record, values);
		const at = formatDateTime(opts.at ?? this.now());
		const userId = opts.userId ?? this.defaultUserId;
		stamp(meta, record, {
			Id: id,
			IsDeleted: false,
			CreatedDate: at,
			CreatedById: userId || null,
			LastModifiedDate: at,
			LastModifiedById: userId || null,
			SystemModstamp: at,
		});
		if (meta.fieldIndex.has('ownerid') && !record.OwnerId) record.OwnerId = userId || null;
		const { size } = this.tables.get(meta.name)!;
		for (const f of meta.fields) if (f.autoNumber) record[f.name] = String(1000 + size).padStart(8, '0');
		this.deriveFields(meta, record, values);
		if (check) {
			this.checkRequired(meta, record);
			this.checkIntegrity(meta, record, undefined);
		}
		this.setRow(meta.name, record.Id as string, record);
		this.objectById.set(record.Id as string, meta.name);
		this.undoLog?.push(() => {
			this.setRow(meta.name, record.Id as string, undefined);
			this.objectById.delete(record.Id as string);
		});
		this.notify({ type: 'CREATE', meta, after: record, userId, at: opts.at ?? this.now() });
		return { ...record };
	}

	update(sobject: string, id: string, fields: Record<string, unknown>, opts: WriteOptions = {}): SObjectRecord {
		const meta = this.describe(sobject);
		const current = this.live(meta, id);
		if (meta.name === 'Lead' && current.IsConverted) {
			throw new SalesforceError('CANNOT_UPDATE_CONVERTED_LEAD', 'cannot reference converted lead');
		}
		const values = this.validate(meta, withoutId(fields), 'update');
		const updated: SObjectRecord = { ...current, ...values };
		const at = formatDateTime(opts.at ?? this.now());
		stamp(meta, updated, { LastModifiedDate: at, LastModifiedById: opts.userId ?? this.defaultUserId, SystemModstamp: at });
		this.deriveFields(meta, updated, values);
		this.checkRequired(meta, updated);
		this.checkIntegrity(meta, updated, current.Id as string);
		this.replace(meta, updated);
		this.notify({ type: 'UPDATE', meta, before: current, after: updated, userId: opts.userId ?? this.defaultUserId, at: opts.at ?? this.now() });
		if (meta.name === 'ContentVersion' && updated.IsLatest) {
			this.systemUpdate(this.describe('ContentDocument'), updated.ContentDocumentId as string, documentFieldsOf(updated));
		}
		return { ...updated };
	}

	/** Writes system-computed values (conversion results and the like) without field-level checks. */
	systemUpdate(meta: ObjectMeta, id: string, values: SObjectRecord): SObjectRecord {
		const now = this.now();
		const at = formatDateTime(now);
		const current = this.live(meta, id);
		const updated = { ...current, ...values };
		stamp(meta, updated, { LastModifiedDate: at, SystemModstamp: at });
		this.replace(meta, updated);
		this.notify({ type: 'UPDATE', meta, before: current, after: updated, userId: this.defaultUserId, at: now });
		return { ...updated };
	}

	delete(sobject: string, id: string, opts: WriteOptions = {}): void {
		const meta = this.describe(sobject);
		if (!meta.deletable) throw new SalesforceError('INVALID_TYPE', `entity type ${meta.name} does not support delete`);
		this.remove(meta, this.live(meta, id), opts);
	}

	/** Moves the record to the Recycle Bin with the rows that cascade from it (CASCADE_DELETE_FIELDS), deletable or not. */
	private remove(meta: ObjectMeta, current: SObjectRecord, opts: WriteOptions): void {
		const at = opts.at ?? this.now();
		const deleted = { ...current, IsDeleted: true, SystemModstamp: formatDateTime(at) };
		this.replace(meta, deleted);
		this.deletedAt.set(current.Id as string, at);
		this.undoLog?.push(() => this.deletedAt.delete(current.Id as string));
		this.notify({ type: 'DELETE', meta, before: current, after: deleted, userId: opts.userId ?? this.defaultUserId, at });
		for (const [child, field] of CASCADES) {
			for (const row of this.all(child)) {
				if (row[field] !== current.Id) continue;
				this.remove(this.describe(child), row, opts);
				this.cascadedFrom.set(row.Id as string, current.Id as string);
				this.undoLog?.push(() => this.cascadedFrom.delete(row.Id as string));
			}
		}
	}

	/**
	 * Restores a record from the Recycle Bin with the rows its deletion took along ("undelete()", SOAP API Developer
	 * Guide): UNDELETE_FAILED for a record that is not deleted.
	 */
	undelete(sobject: string, id: string, opts: WriteOptions = {}): SObjectRecord {
		const meta = this.describe(sobject);
		const record = this.get(meta.name, id);
		if (!record) throw new SalesforceError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id');
		if (!record.IsDeleted) throw new SalesforceError('UNDELETE_FAILED', 'Entity is not in the recycle bin');
		this.restore(meta, record, opts);
		return { ...this.get(meta.name, id)! };
	}

	private restore(meta: ObjectMeta, deleted: SObjectRecord, opts: WriteOptions): void {
		const id = deleted.Id as string;
		const now = opts.at ?? this.now();
		const at = formatDateTime(now);
		const restored = { ...deleted, IsDeleted: false };
		stamp(meta, restored, { LastModifiedDate: at, LastModifiedById: opts.userId ?? this.defaultUserId, SystemModstamp: at });
		this.replace(meta, restored);
		const deletedAt = this.deletedAt.get(id);
		this.deletedAt.delete(id);
		this.undoLog?.push(() => deletedAt && this.deletedAt.set(id, deletedAt));
		this.notify({ type: 'UNDELETE', meta, before: deleted, after: restored, userId: opts.userId ?? this.defaultUserId, at: now });
		for (const [childId, parentId] of this.cascadedFrom) {
			if (parentId !== id) continue;
			this.cascadedFrom.delete(childId);
			const child = this.byId(childId);
			if (child?.record.IsDeleted) this.restore(child.meta, child.record, opts);
		}
	}

	/** The live (not deleted) record, or the REST error for a missing or deleted one. */
	live(meta: ObjectMeta, id: string): SObjectRecord {
		const id18 = toId18(id);
		const record = id18 && this.tables.get(meta.name)!.get(id18);
		if (!record) {
			throw new SalesforceError('NOT_FOUND', 'The requested resource does not exist', { httpStatus: 404 });
		}
		if (record.IsDeleted) throw new SalesforceError('ENTITY_IS_DELETED', 'entity is deleted', { httpStatus: 404 });
		return record;
	}

	/** The live records whose `fieldName` equals `value` ignoring case, but `except`, in table order. */
	findByField(meta: ObjectMeta, fieldName: string, value: unknown, except?: string): SObjectRecord[] {
		const needle = String(value).toLowerCase();
		const ids = [...(this.valueIndex(meta.name, fieldName).get(needle) ?? [])];
		const table = this.tables.get(meta.name)!;
		// Several matches are rare (a non-unique external ID): table order then comes from the table itself.
		const rows = ids.length > 1 ? [...table.values()].filter((r) => ids.includes(r.Id as string)) : ids.map((id) => table.get(id)!);
		return rows.filter((r) => !r.IsDeleted && r.Id !== except && r[fieldName] != null && String(r[fieldName]).toLowerCase() === needle);
	}

	private valueIndex(object: string, fieldName: string): Map<string, Set<string>> {
		const indexes = this.valueIndexes.get(object) ?? new Map<string, Map<string, Set<string>>>();
		this.valueIndexes.set(object, indexes);
		let index = indexes.get(fieldName);
		if (!index) {
			index = new Map();
			for (const record of this.tables.get(object)!.values()) addToIndex(index, record[fieldName], record.Id as string);
			indexes.set(fieldName, index);
		}
		return index;
	}

	/** Writes a row of an object's table (or removes it: `record` undefined), keeping the object's value indexes current. */
	private setRow(object: string, id: string, record: SObjectRecord | undefined): void {
		const table = this.tables.get(object)!;
		const previous = table.get(id);
		if (record) table.set(id, record);
		else table.delete(id);
		for (const [fieldName, index] of this.valueIndexes.get(object) ?? []) {
			if (previous?.[fieldName] === record?.[fieldName]) continue;
			removeFromIndex(index, previous?.[fieldName], id);
			addToIndex(index, record?.[fieldName], id);
		}
	}

	private notify(change: RecordChange): void {
		// Record types are part of their object's describe (recordTypeInfos).
		if (change.meta.name === 'RecordType') {
			for (const row of [change.before, change.after]) {
				const object = row && this.findObject(String(row.SobjectType));
				if (object) this.metadataChanges.set(object.name, this.clock.now());
			}
		}
		const takeBack = this.observer?.(change);
		if (takeBack) this.undoLog?.push(takeBack);
	}

	private replace(meta: ObjectMeta, record: SObjectRecord): void {
		const previous = this.tables.get(meta.name)!.get(record.Id as string)!;
		this.setRow(meta.name, record.Id as string, record);
		this.undoLog?.push(() => this.setRow(meta.name, record.Id as string, previous));
	}

	private validate(meta: ObjectMeta, input: Record<string, unknown>, mode: 'insert' | 'update'): SObjectRecord {
		const values: SObjectRecord = {};
		const readOnly: string[] = [];
		for (const [key, raw] of Object.entries(input)) {
			if (key === 'attributes') continue;
			const f = meta.fieldIndex.get(key.toLowerCase());
			if (!f) throw new SalesforceError('INVALID_FIELD', `No such column '${key}' on sobject of type ${meta.name}`);
			if (mode === 'insert' ? !f.createable : !f.updateable) {
				readOnly.push(f.name);
				continue;
			}
			values[f.name] = this.coerce(f, raw);
		}
		if (readOnly.length) {
			throw new SalesforceError(
				'INVALID_FIELD_FOR_INSERT_UPDATE',
				`Unable to create/update fields: ${readOnly.join(', ')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
				{ fields: readOnly },
			);
		}
		return values;
	}

	private coerce(f: FieldMeta, raw: unknown): unknown {
		if (raw === null || raw === undefined || raw === '') return f.type === 'boolean' ? false : null;
		const wrongType = () =>
			new SalesforceError('INVALID_TYPE_ON_FIELD_IN_RECORD', `${f.label}: value not of required type: ${String(raw)}`, { fields: [f.name] });
		switch (f.type) {
			case 'boolean':
				if (typeof raw === 'boolean') return raw;
				if (raw === 'true' || raw === 'false') return raw === 'true';
				throw wrongType();
			case 'int':
			case 'double':
			case 'currency':
			case 'percent': {
				const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
				if (!Number.isFinite(n) || (f.type === 'int' && !Number.isInteger(n))) throw wrongType();
				return n;
			}
			case 'date':
			case 'datetime': {
				if (typeof raw === 'number' && f.type === 'datetime') return formatDateTime(new Date(raw));
				if (typeof raw !== 'string') throw wrongType();
				const d = parseDateTime(raw);
				if (!d) throw new UnreadableValueError(f.name, f.type, raw);
				return f.type === 'date' ? formatDate(d) : formatDateTime(d);
			}
			case 'id':
			case 'reference':
				return this.coerceReference(f, raw);
			case 'base64': {
				// Kept as the base64 text the REST API carries; multipart bodies arrive here encoded (rest/multipart.ts).
				const text = typeof raw === 'string' ? raw.replace(/\s/g, '') : '';
				if (!BASE64_PATTERN.test(text)) throw new UnreadableValueError(f.name, 'base64', String(raw));
				return text;
			}
		}
		if (typeof raw === 'object') throw wrongType();
		const text = String(raw);
		if (text.length > f.length) {
			throw new SalesforceError('STRING_TOO_LONG', `${f.label}: data value too large: ${text} (max length=${f.length})`, { fields: [f.name] });
		}
		if (f.type === 'email' && !EMAIL_PATTERN.test(text)) {
			throw new SalesforceError('INVALID_EMAIL_ADDRESS', `${f.label}: invalid email address: ${text}`, { fields: [f.name] });
		}
		if (f.restrictedPicklist) {
			const allowed = new Set(f.picklistValues.filter((p) => p.active).map((p) => p.value));
			const chosen = f.type === 'multipicklist' ? text.split(';') : [text];
			const bad = chosen.find((v) => !allowed.has(v));
			if (bad !== undefined) {
				throw new SalesforceError('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', `${f.label}: bad value for restricted picklist field: ${bad}`, { fields: [f.name] });
			}
		}
		return text;
	}

	private coerceReference(f: FieldMeta, raw: unknown): string {
		const id18 = toId18(raw);
		if (!id18) {
			throw new SalesforceError('MALFORMED_ID', `${f.label}: id value of incorrect type: ${String(raw)}`, { fields: [f.name] });
		}
		const target = this.byId(id18);
		if (!target) {
			const typed = f.referenceTo.some((name) => this.findObject(name)?.keyPrefix === id18.slice(0, 3));
			if (!typed) {
				throw new SalesforceError('FIELD_INTEGRITY_EXCEPTION', `${f.label}: id value of incorrect type: ${String(raw)}`, { fields: [f.name] });
			}
			throw new SalesforceError('INVALID_CROSS_REFERENCE_KEY', `invalid cross reference id`, { fields: [f.name] });
		}
		if (!f.referenceTo.includes(target.meta.name)) {
			throw new SalesforceError('FIELD_INTEGRITY_EXCEPTION', `${f.label}: id value of incorrect type: ${String(raw)}`, { fields: [f.name] });
		}
		if (target.record.IsDeleted) throw new SalesforceError('ENTITY_IS_DELETED', 'entity is deleted', { fields: [f.name] });
		return id18;
	}

	private checkRequired(meta: ObjectMeta, record: SObjectRecord): void {
		const missing = meta.fields
			.filter((f) => !f.nillable && f.createable && !f.defaultedOnCreate && (record[f.name] === null || record[f.name] === ''))
			.map((f) => f.name);
		if (meta.name === 'CampaignMember' && !record.LeadId && !record.ContactId) missing.push('LeadId', 'ContactId');
		// A file stored in Salesforce (not a link, ContentUrl) needs its name and body.
		if (meta.name === 'ContentVersion' && !record.ContentUrl) missing.push(...['PathOnClient', 'VersionData'].filter((name) => record[name] == null));
		if (missing.length) {
			throw new SalesforceError('REQUIRED_FIELD_MISSING', `Required fields are missing: [${missing.join(', ')}]`, { fields: missing });
		}
	}

	private checkIntegrity(meta: ObjectMeta, record: SObjectRecord, existingId: string | undefined): void {
		for (const f of meta.fields) {
			if (!f.unique || f.type === 'id' || record[f.name] == null) continue;
			const [duplicate] = this.findByField(meta, f.name, record[f.name], existingId);
			if (duplicate) {
				throw new SalesforceError('DUPLICATE_VALUE', `duplicate value found: ${f.name} duplicates value on record with id: ${duplicate.Id}`, { fields: [f.name] });
			}
		}
		if (meta.name === 'CampaignMember' && !existingId) {
			const member = this.all('CampaignMember').find(
				(m) => m.CampaignId === record.CampaignId && ((record.LeadId && m.LeadId === record.LeadId) || (record.ContactId && m.ContactId === record.ContactId)),
			);
			if (member) throw new SalesforceError('DUPLICATE_VALUE', 'Already a campaign member.');
		}
	}

	/** Computes derived fields of `record`; `written` holds the values the call itself set. */
	private deriveFields(meta: ObjectMeta, record: SObjectRecord, written: SObjectRecord): void {
		if (meta.fieldIndex.has('firstname') && meta.fieldIndex.get('name')?.createable === false) {
			record.Name = [record.FirstName, record.LastName].filter(Boolean).join(' ') || null;
		}
		if (meta.name === 'Opportunity') {
			const stage = OPPORTUNITY_STAGES.find((s) => s.label === record.StageName);
			record.IsClosed = stage?.closed ?? false;
			record.IsWon = stage?.won ?? false;
			record.Probability ??= stage?.probability ?? null;
			record.ForecastCategoryName ??= stage?.forecast ?? null;
		}
		if (meta.name === 'Task') record.IsClosed = record.Status === 'Completed';
		if (meta.name === 'Case') {
			record.IsClosed = CASE_STATUSES.find((s) => s.label === record.Status)?.closed ?? false;
			record.ClosedDate = record.IsClosed ? (record.ClosedDate ?? record.LastModifiedDate) : null;
		}
		if (meta.name === 'Event') deriveEventTimes(record, written);
		if (meta.name === 'ContentVersion') deriveVersionFields(record, written);
		if (meta.name === 'CampaignMember') {
			const person = (record.ContactId ?? record.LeadId) as string | null;
			const source = person ? this.byId(person)?.record : undefined;
			Object.assign(record, { FirstName: source?.FirstName ?? null, LastName: source?.LastName ?? null, Email: source?.Email ?? null });
			const status = this.all('CampaignMemberStatus').find((s) => s.CampaignId === record.CampaignId && s.Label === record.Status);
			record.HasResponded = Boolean(status?.HasResponded);
		}
	}
}

/**
 * An Event's times, as "Event" (Object Reference) describes them: StartDateTime and ActivityDateTime are one instant,
 * ActivityDate its day; EndDateTime and DurationInMinutes describe the same span (one is computed from the other,
 * both given must agree); an all-day event starts at midnight UTC of its day and lasts a day unless told otherwise.
 */
function deriveEventTimes(record: SObjectRecord, written: SObjectRecord): void {
	const startWritten = written.StartDateTime ?? written.ActivityDateTime;
	let start = parseDateTime(String(startWritten ?? record.StartDateTime ?? record.ActivityDateTime ?? ''));
	if (record.IsAllDayEvent) {
		const day = (written.ActivityDate ?? (start ? formatDate(start) : record.ActivityDate)) as string | null;
		if (!day) throw new SalesforceError('REQUIRED_FIELD_MISSING', 'Required fields are missing: [ActivityDate]', { fields: ['ActivityDate'] });
		start = parseDateTime(day)!;
		record.DurationInMinutes ??= 24 * 60;
	}
	if (!start) throw new SalesforceError('REQUIRED_FIELD_MISSING', 'Required fields are missing: [ActivityDateTime]', { fields: ['ActivityDateTime'] });
	const end = record.EndDateTime ? parseDateTime(String(record.EndDateTime))! : undefined;
	if (written.EndDateTime != null && written.DurationInMinutes != null) {
		if (end!.getTime() - start.getTime() !== Number(written.DurationInMinutes) * MINUTE) {
			throw new SalesforceError('FIELD_INTEGRITY_EXCEPTION', 'End Date Time and Duration do not match: Duration', { fields: ['DurationInMinutes'] });
		}
	} else if (end && (written.EndDateTime != null || record.DurationInMinutes == null)) {
		record.DurationInMinutes = Math.round((end.getTime() - start.getTime()) / MINUTE);
	}
	if (record.DurationInMinutes == null) {
		throw new SalesforceError('REQUIRED_FIELD_MISSING', 'Required fields are missing: [DurationInMinutes]', { fields: ['DurationInMinutes'] });
	}
	const minutes = Number(record.DurationInMinutes);
	if (minutes < 0 || minutes > MAX_EVENT_MINUTES) {
		throw new SalesforceError('FIELD_INTEGRITY_EXCEPTION', `Duration must be between 0 and ${MAX_EVENT_MINUTES} minutes: Duration`, { fields: ['DurationInMinutes'] });
	}
	Object.assign(record, {
		StartDateTime: formatDateTime(start), ActivityDateTime: record.IsAllDayEvent ? null : formatDateTime(start), ActivityDate: formatDate(start),
		EndDateTime: formatDateTime(new Date(start.getTime() + minutes * MINUTE)),
	});
}

/** Sets the system fields the object has (ContentDocumentLink has no Created/LastModified fields). */
function stamp(meta: ObjectMeta, record: SObjectRecord, values: SObjectRecord): void {
	for (const [name, value] of Object.entries(values)) if (meta.fieldIndex.has(name.toLowerCase())) record[name] = value;
}

function withoutId(fields: Record<string, unknown>): Record<string, unknown> {
	return Object.fromEntries(Object.entries(fields).filter(([key]) => key.toLowerCase() !== 'id'));
}
