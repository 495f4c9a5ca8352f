import { buildWhere, COMPOUND_TYPES, type Condition, type ConditionGroup } from '../helpers/query';
import { isRecordId, STANDARD_OBJECTS } from '../helpers/records';
import { quote, resolveField, soqlInteger, SoqlError, type FieldInfo, type SelectQuery } from '../helpers/soql';
import { quoteValue } from '../helpers/text';
import { stampFieldOf, type Position, type TriggerEvent } from './cursor';

/** What the user asked to watch, as read from the node's parameters. */
export interface WatchSettings {
	sobject: string;
	event: TriggerEvent;
	/** Fields to return; empty = every field describe lists. */
	fields: string[];
	recordTypeId?: string;
	conditions: Condition[];
	/** AND or OR; anything else is refused when the watch is compiled. */
	combinator: unknown;
	/** A raw SOQL condition, ANDed with the rest. */
	where?: string;
}

/** The parts of the query that depend on describe, compiled once and cached in static data. */
export interface CompiledWatch {
	fields: string[];
	where?: string;
}

/** Compound fields repeat their components; base64 fields cannot be read many records at a time. */
const UNSELECTABLE_TYPES = new Set([...COMPOUND_TYPES, 'base64']);

/** The fields a query of many records reads when the user chose none (the instant trigger's records too). */
export const readableFields = (fields: FieldInfo[]): string[] => fields.filter((field) => !UNSELECTABLE_TYPES.has(field.type)).map((field) => field.name);
const CURSOR_FIELDS = ['Id', 'CreatedDate', 'SystemModstamp'];

/** Field list and user filter, every identifier checked against describe, every value typed and escaped. */
export function compileWatch(fields: Array<FieldInfo & { name: string }>, settings: WatchSettings): CompiledWatch {
	const { sobject } = settings;
	const chosen = settings.fields.length
		? settings.fields.map((name) => resolveField(fields, name, sobject).name)
		: readableFields(fields);
	for (const name of CURSOR_FIELDS) {
		if (!fields.some((field) => field.name === name)) {
			throw new SoqlError(`${sobject} has no ${name} field, so its changes cannot be followed`);
		}
	}
	const groups: ConditionGroup[] = [{ combinator: settings.combinator, conditions: settings.conditions.filter((condition) => condition.field) }];
	if (settings.recordTypeId) {
		if (!isRecordId(settings.recordTypeId) || !settings.recordTypeId.startsWith(STANDARD_OBJECTS.RecordType.keyPrefix)) {
			throw new SoqlError(`Record Type must be a record type ID (15 or 18 characters starting with ${STANDARD_OBJECTS.RecordType.keyPrefix}), not ${quoteValue(settings.recordTypeId)}`);
		}
		groups.unshift({ combinator: 'AND', conditions: [{ field: 'RecordTypeId', operator: 'equal', value: settings.recordTypeId }] });
	}
	const clauses = [buildWhere(fields, sobject, groups, 'AND', 'Match (filters)') ?? []].flat();
	if (settings.where?.trim()) clauses.push(`(${settings.where.trim()})`);
	return {
		fields: [...new Set([...CURSOR_FIELDS, ...chosen])],
		where: clauses.length ? clauses.join(' AND ') : undefined,
	};
}

/** A datetime literal at second precision (Salesforce stores stamps to the second). */
export function datetimeLiteral(iso: string): string {
	return new Date(Math.floor(Date.parse(iso) / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Changes after a position: strictly after (stamp, Id), or from the start of the second when there is no Id. */
export function afterPosition(stampField: string, from: Position): string {
	const at = datetimeLiteral(from.at);
	if (from.id === undefined) return `${stampField} >= ${at}`;
	return `(${stampField} > ${at} OR (${stampField} = ${at} AND Id > ${quote(from.id)}))`;
}

function baseConditions(event: TriggerEvent, where: string | undefined): string[] {
	return [...(event === 'deleted' ? ['IsDeleted = true'] : []), ...(where ? [where] : [])];
}

/** The poll query: the first `limit` changes after `from`, in the order the cursor follows. */
export function changesSelect(sobject: string, event: TriggerEvent, compiled: CompiledWatch, from: Position, limit: number): SelectQuery {
	const stampField = stampFieldOf(event);
	return {
		object: sobject,
		fields: compiled.fields,
		where: [afterPosition(stampField, from), ...baseConditions(event, compiled.where)].join(' AND '),
		orderBy: [{ field: stampField }, { field: 'Id' }],
		limit: soqlInteger('Max Records per Poll', limit),
	};
}

/** The newest changes, newest first: the start position ("now") and the manual test event. */
export function newestSelect(sobject: string, event: TriggerEvent, fields: string[], where: string | undefined, limit: number): SelectQuery {
	const stampField = stampFieldOf(event);
	const conditions = baseConditions(event, where);
	return {
		object: sobject,
		fields,
		where: conditions.length ? conditions.join(' AND ') : undefined,
		orderBy: [
			{ field: stampField, direction: 'DESC' },
			{ field: 'Id', direction: 'DESC' },
		],
		limit: soqlInteger('Limit', limit),
	};
}
