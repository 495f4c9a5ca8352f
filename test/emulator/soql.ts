// SOQL evaluation over the store: parsed by @jetstreamapp/soql-parser-js, evaluated here with Salesforce's
// semantics (case-insensitive text, date literals in UTC, NULLS FIRST for ASC), errors in Salesforce's words.
import { parseQuery } from '@jetstreamapp/soql-parser-js';
import type { Query, WhereClause, Condition, FieldType as ParsedField } from '@jetstreamapp/soql-parser-js';
import { formatDateTime, parseDateTime } from './clock.ts';
import { SalesforceError } from './errors.ts';
import { toId18 } from './ids.ts';
import { VALUE_TYPES } from './format.ts';
import { childRelationships } from './schema.ts';
import type { FieldMeta, FieldType, ObjectMeta } from './schema.ts';
import type { SObjectRecord, Store } from './store.ts';

export const MAX_OFFSET = 2000;
const DAY = 86_400_000;

export interface QueryResult {
	totalSize: number;
	records: SObjectRecord[];
	/**
	 * GROUP BY rows come in one batch, or not at all: REST has no query locator for them ("Considerations for GROUP
	 * BY").
	 */
	unpaged?: true;
}

interface FieldPath {
	/** Reference fields walked through, then the final field. */
	references: FieldMeta[];
	field: FieldMeta;
	/** Output keys: relationship names, then the field name. */
	keys: string[];
}

interface Context {
	soql: string;
	store: Store;
	apiVersion: string;
	includeDeleted: boolean;
}

export function runQuery(store: Store, soql: string, options: { includeDeleted?: boolean; apiVersion?: string } = {}): QueryResult {
	const ctx: Context = { soql, store, apiVersion: options.apiVersion ?? '64.0', includeDeleted: Boolean(options.includeDeleted) };
	return evaluate(ctx, parseSoql(soql), undefined);
}

/** The parsed query, or Salesforce's MALFORMED_QUERY for text that is not SOQL. */
export function parseSoql(soql: string): Query {
	try {
		return parseQuery(soql) as Query;
	} catch (error) {
		const found = /but found: '([^']*)'/.exec((error as Error).message)?.[1];
		const at = found ? locate(soql, found) : 0;
		throw malformed(soql, at, found ? `unexpected token: '${found}'` : 'unexpected end of query');
	}
}

function evaluate(ctx: Context, query: Query, parent: { relationField: FieldMeta; parentId: string } | undefined): QueryResult {
	const meta = ctx.store.findObject(query.sObject ?? '');
	if (!meta) {
		throw new SalesforceError(
			'INVALID_TYPE',
			caret(ctx.soql, locate(ctx.soql, query.sObject ?? ''), `sObject type '${query.sObject}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`),
		);
	}
	if (meta.name === 'ContentDocumentLink' && !parent && !filtersLinks(query.where)) {
		throw new SalesforceError('MALFORMED_QUERY', LINK_FILTER_REQUIRED);
	}
	if ((query.offset ?? 0) > MAX_OFFSET) {
		throw new SalesforceError('NUMBER_OUTSIDE_VALID_RANGE', `Maximum SOQL offset allowed is ${MAX_OFFSET}`);
	}
	const predicate = query.where ? compileWhere(ctx, meta, query.where) : () => true;
	let rows = ctx.store.all(meta.name, { includeDeleted: ctx.includeDeleted }).filter(predicate);
	if (parent) rows = rows.filter((r) => r[parent.relationField.name] === parent.parentId);

	const fields = query.fields ?? [];
	if (isCountQuery(query)) return { totalSize: rows.length, records: [] };
	if (isAggregateQuery(query)) {
		const records = aggregateRows(ctx, meta, query, rows);
		return { totalSize: records.length, records, ...(query.groupBy ? { unpaged: true as const } : {}) };
	}
	if (query.orderBy) rows = sortRows(ctx, meta, query.orderBy, rows);
	const offset = query.offset ?? 0;
	rows = rows.slice(offset, query.limit !== undefined ? offset + query.limit : undefined);
	const projection = compileProjection(ctx, meta, fields);
	return { totalSize: rows.length, records: rows.map(projection) };
}

// ---------------------------------------------------------------- fields

function resolvePath(ctx: Context, meta: ObjectMeta, raw: string): FieldPath {
	const segments = raw.split('.');
	const references: FieldMeta[] = [];
	const keys: string[] = [];
	let current = meta;
	// A leading segment naming the queried object itself is allowed (SELECT Lead.Name FROM Lead).
	if (segments.length > 1 && segments[0].toLowerCase() === meta.name.toLowerCase()) segments.shift();
	for (const segment of segments.slice(0, -1)) {
		const ref = current.fields.find((f) => f.relationshipName?.toLowerCase() === segment.toLowerCase());
		if (!ref) {
			throw new SalesforceError(
				'INVALID_FIELD',
				caret(ctx.soql, locate(ctx.soql, raw), `Didn't understand relationship '${segment}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`),
			);
		}
		references.push(ref);
		keys.push(ref.relationshipName!);
		current = ctx.store.describe(ref.referenceTo[0]);
	}
	const last = segments[segments.length - 1];
	const field = current.fieldIndex.get(last.toLowerCase());
	if (!field) {
		throw new SalesforceError(
			'INVALID_FIELD',
			caret(ctx.soql, locate(ctx.soql, raw), `No such column '${last}' on entity '${current.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`),
		);
	}
	keys.push(field.name);
	return { references, field, keys };
}

function readPath(ctx: Context, record: SObjectRecord, path: FieldPath): unknown {
	let current: SObjectRecord | undefined = record;
	for (const ref of path.references) {
		const id: unknown = current?.[ref.name];
		current = typeof id === 'string' ? ctx.store.byId(id)?.record : undefined;
		if (!current) return null;
	}
	return current[path.field.name] ?? null;
}

function compileProjection(ctx: Context, meta: ObjectMeta, fields: ParsedField[]): (record: SObjectRecord) => SObjectRecord {
	const parts: Array<(record: SObjectRecord, out: SObjectRecord) => void> = [];
	for (const f of fields) {
		if (f.type === 'Field' || f.type === 'FieldRelationship') {
			const path = resolvePath(ctx, meta, f.type === 'Field' ? f.field : f.rawValue ?? [...f.relationships, f.field].join('.'));
			parts.push((record, out) => writePath(ctx, record, path, out));
		} else if (f.type === 'FieldFunctionExpression' && f.functionName.toUpperCase() === 'FIELDS') {
			const which = String(f.parameters?.[0] ?? '').toUpperCase();
			const chosen = meta.fields.filter((mf) => which === 'ALL' || (which === 'CUSTOM' ? mf.custom : !mf.custom));
			for (const mf of chosen) parts.push((record, out) => (out[mf.name] = record[mf.name] ?? null));
		} else if (f.type === 'FieldSubquery') {
			const relationshipName = f.subquery.relationshipName.toLowerCase();
			const relationship = childRelationships(ctx.store.schema, meta.name).find((r) => r.relationshipName?.toLowerCase() === relationshipName);
			const childMeta = relationship && ctx.store.describe(relationship.childSObject);
			const child = childMeta && { o: childMeta, cf: childMeta.fieldIndex.get(relationship.field.toLowerCase())! };
			if (!child) {
				throw new SalesforceError('INVALID_TYPE', caret(ctx.soql, locate(ctx.soql, f.subquery.relationshipName), `Didn't understand relationship '${f.subquery.relationshipName}' in FROM part of query call. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`));
			}
			const subquery = { ...f.subquery, sObject: child.o.name } as Query;
			parts.push((record, out) => {
				const result = evaluate(ctx, subquery, { relationField: child.cf, parentId: record.Id as string });
				out[f.subquery.relationshipName] = result.totalSize ? { totalSize: result.totalSize, done: true, records: result.records } : null;
			});
		} else {
			throw malformed(ctx.soql, locate(ctx.soql, 'rawValue' in f && f.rawValue ? f.rawValue : ''), 'the emulator does not support this field expression');
		}
	}
	return (record) => {
		const out: SObjectRecord = { attributes: attributesOf(ctx, meta.name, record.Id as string) };
		for (const part of parts) part(record, out);
		return out;
	};
}

function attributesOf(ctx: Context, type: string, id: string) {
	return { type, url: `/services/data/v${ctx.apiVersion}/sobjects/${type}/${id}` };
}

function writePath(ctx: Context, record: SObjectRecord, path: FieldPath, out: SObjectRecord): void {
	let source: SObjectRecord = record;
	let target = out;
	for (const ref of path.references) {
		const id: unknown = source[ref.name];
		const found: { meta: ObjectMeta; record: SObjectRecord } | undefined = typeof id === 'string' ? ctx.store.byId(id) : undefined;
		if (!found) {
			target[ref.relationshipName!] ??= null;
			return;
		}
		source = found.record;
		const existing = target[ref.relationshipName!] as SObjectRecord | null | undefined;
		target = existing ?? (target[ref.relationshipName!] = { attributes: attributesOf(ctx, found.meta.name, id as string) }) as SObjectRecord;
	}
	target[path.field.name] = source[path.field.name] ?? null;
}

// ---------------------------------------------------------------- aggregates
// "Aggregate Functions", "GROUP BY", "HAVING" and "Use Aliases with GROUP BY" (SOQL and SOSL Reference), "Working
// with SOQL Aggregate Functions" (Apex Developer Guide): one AggregateResult per group, grouped fields under their
// field name, an aggregate without alias named expr0, expr1… counting only the unaliased aggregates.

const AGGREGATE_FUNCTIONS = new Set(['COUNT', 'COUNT_DISTINCT', 'SUM', 'AVG', 'MIN', 'MAX']);
const NUMERIC_TYPES: ReadonlySet<FieldType> = new Set(['int', 'double', 'currency', 'percent']);

interface AggregateCall {
	name: string;
	/** The aggregated field; none for COUNT(). */
	path: FieldPath | undefined;
	/** The type of the result, for serialisation (SUM of currency is currency, AVG of int is double). */
	type: FieldType;
}

type Group = SObjectRecord[];
type GroupOperand = { field?: string; fn?: { functionName: string; parameters?: unknown[]; rawValue?: string } };

function functionName(f: ParsedField): string | undefined {
	return f.type === 'FieldFunctionExpression' ? f.functionName.toUpperCase() : undefined;
}

/** `SELECT COUNT() FROM …`: the count comes in totalSize, with no records ("COUNT() and COUNT(fieldName)"). */
function isCountQuery(query: Query): boolean {
	const fields = query.fields ?? [];
	return !query.groupBy && fields.length === 1 && functionName(fields[0]) === 'COUNT' &&
		fields[0].type === 'FieldFunctionExpression' && (fields[0].parameters ?? []).length === 0;
}

export function isAggregateQuery(query: Query): boolean {
	return Boolean(query.groupBy) || (query.fields ?? []).some((f) => AGGREGATE_FUNCTIONS.has(functionName(f) ?? ''));
}

function aggregateCall(ctx: Context, meta: ObjectMeta, name: string, parameters: unknown[] | undefined, rawValue: string): AggregateCall {
	if (!AGGREGATE_FUNCTIONS.has(name)) throw malformed(ctx.soql, locate(ctx.soql, rawValue), `the emulator does not support ${name}()`);
	const param = parameters?.[0];
	const path = typeof param === 'string' ? resolvePath(ctx, meta, param) : undefined;
	const refused = (name === 'SUM' || name === 'AVG') ? !path || !NUMERIC_TYPES.has(path.field.type) : path?.field.type === 'multipicklist';
	if (refused) {
		throw new SalesforceError('INVALID_FIELD', caret(ctx.soql, locate(ctx.soql, rawValue), `field ${path?.field.name ?? ''} does not support aggregate operator ${name}`));
	}
	const type: FieldType = name === 'COUNT' || name === 'COUNT_DISTINCT' ? 'int' : name === 'AVG' && path!.field.type === 'int' ? 'double' : path!.field.type;
	return { name, path, type };
}

function aggregateValue(ctx: Context, call: AggregateCall, rows: Group): unknown {
	const { name, path } = call;
	if (!path) return rows.length;
	const values = rows.map((r) => readPath(ctx, r, path)).filter((v) => v !== null);
	const keys = values.map((v) => comparable(path.field, v));
	const total = () => keys.reduce<number>((sum, k) => sum + Number(k), 0);
	const pick = (better: (a: string | number | boolean, b: string | number | boolean) => boolean) => {
		let best = -1;
		keys.forEach((k, i) => {
			if (k !== null && (best < 0 || better(k, keys[best]!))) best = i;
		});
		return best < 0 ? null : values[best];
	};
	switch (name) {
		case 'COUNT': return values.length;
		case 'COUNT_DISTINCT': return new Set(keys).size;
		case 'SUM': return values.length ? total() : null;
		case 'AVG': return values.length ? total() / values.length : null;
		case 'MIN': return pick((a, b) => a < b);
		default: return pick((a, b) => a > b);
	}
}

/** GROUP BY keys, HAVING, ORDER BY, OFFSET and LIMIT over groups; the SELECT list as AggregateResult rows. */
function aggregateRows(ctx: Context, meta: ObjectMeta, query: Query, rows: SObjectRecord[]): SObjectRecord[] {
	const groupBy = query.groupBy ? [query.groupBy].flat() : [];
	const groupPaths = groupBy.map((clause) => {
		if (!('field' in clause) || !clause.field) {
			throw malformed(ctx.soql, locate(ctx.soql, 'GROUP'), 'the emulator does not support functions in GROUP BY');
		}
		return resolvePath(ctx, meta, clause.field);
	});
	const groupIndex = (path: FieldPath) => groupPaths.findIndex((g) => g.keys.join('.').toLowerCase() === path.keys.join('.').toLowerCase());

	type Column = { key: string; type: FieldType; value: (group: Group) => unknown };
	const columns: Column[] = [];
	let unaliased = 0;
	for (const f of query.fields ?? []) {
		if (f.type === 'Field' || f.type === 'FieldRelationship') {
			const raw = f.type === 'Field' ? f.field : f.rawValue ?? [...f.relationships, f.field].join('.');
			const path = resolvePath(ctx, meta, raw);
			if (groupIndex(path) < 0) throw malformed(ctx.soql, locate(ctx.soql, raw), `Field must be grouped or aggregated: ${path.field.name}`);
			columns.push({ key: ('alias' in f && f.alias) || path.field.name, type: path.field.type, value: (group) => readPath(ctx, group[0], path) });
		} else if (f.type === 'FieldFunctionExpression') {
			const call = aggregateCall(ctx, meta, f.functionName.toUpperCase(), f.parameters, f.rawValue ?? f.functionName);
			columns.push({ key: f.alias ?? `expr${unaliased++}`, type: call.type, value: (group) => aggregateValue(ctx, call, group) });
		} else {
			throw malformed(ctx.soql, 0, 'the emulator does not support this field expression in an aggregate query');
		}
	}

	// Grouped parent fields are named by their own name, so Account.Name and Owner.Name need an alias.
	const duplicate = columns.find((c, i) => columns.findIndex((other) => other.key.toLowerCase() === c.key.toLowerCase()) !== i);
	if (duplicate) throw malformed(ctx.soql, 0, `duplicate alias: ${duplicate.key}`);

	const groups = new Map<string, Group>();
	for (const row of rows) {
		const key = JSON.stringify(groupPaths.map((path) => comparable(path.field, readPath(ctx, row, path))));
		const group = groups.get(key);
		if (group) group.push(row);
		else groups.set(key, [row]);
	}
	// Without GROUP BY the whole result is one group, even an empty one (COUNT(Id) = 0).
	let result: Group[] = groupPaths.length ? [...groups.values()] : [rows];

	/** A HAVING or ORDER BY operand: an aggregate over the group, or a grouped field. */
	const operand = (item: GroupOperand) => {
		if (item.fn) {
			const call = aggregateCall(ctx, meta, item.fn.functionName.toUpperCase(), item.fn.parameters, item.fn.rawValue ?? item.fn.functionName);
			return { field: call.path?.field, value: (group: Group) => aggregateValue(ctx, call, group) };
		}
		const path = resolvePath(ctx, meta, item.field ?? '');
		if (groupIndex(path) < 0) throw malformed(ctx.soql, locate(ctx.soql, item.field ?? ''), `Field must be grouped or aggregated: ${path.field.name}`);
		return { field: path.field, value: (group: Group) => readPath(ctx, group[0], path) };
	};
	if (query.having) {
		const having = compileBoolean<Group>(ctx, query.having as WhereClause, (condition) => {
			const clause = condition as unknown as GroupOperand & { operator: string; value: unknown; literalType: unknown };
			const { field, value } = operand(clause);
			const operator = clause.operator.toUpperCase();
			const target = literal(ctx, String(clause.value), String(clause.literalType), condition);
			return (group) => compare(ctx, operator, comparable(field, value(group)), target === null ? null : comparable(field, target));
		});
		result = result.filter(having);
	}
	if (query.orderBy) {
		const clauses = (Array.isArray(query.orderBy) ? query.orderBy : [query.orderBy]).map((clause) => ({
			...operand(clause as GroupOperand),
			descending: clause.order === 'DESC',
			nullsFirst: clause.nulls ? clause.nulls === 'FIRST' : clause.order !== 'DESC',
		}));
		result = [...result].sort((a, b) => {
			for (const { field, value, descending, nullsFirst } of clauses) {
				const order = compareKeys(comparable(field, value(a)), comparable(field, value(b)), descending, nullsFirst);
				if (order) return order;
			}
			return 0;
		});
	}
	const offset = query.offset ?? 0;
	result = result.slice(offset, query.limit !== undefined ? offset + query.limit : undefined);
	const types = Object.fromEntries(columns.map((c) => [c.key, c.type]));
	return result.map((group) => {
		const out: SObjectRecord = { attributes: { type: 'AggregateResult' } };
		for (const column of columns) out[column.key] = column.value(group);
		Object.defineProperty(out, VALUE_TYPES, { value: types, enumerable: true });
		return out;
	});
}

// ---------------------------------------------------------------- WHERE

type Token = { kind: 'cond'; condition: Condition } | { kind: 'AND' | 'OR' | 'NOT' | '(' | ')' };

/**
 * "ContentDocumentLink" (Object Reference): "You can't run a query without filters against ContentDocumentLink";
 * Salesforce answers MALFORMED_QUERY with this text (as clients quote it, e.g. sfdc-convert-attachments-to-chatter-files
 * issue #29). Id filters pass too (the Object Reference names filters "on id, LinkedEntityId, and documentID").
 */
const LINK_FILTER_REQUIRED =
	"Implementation restriction: ContentDocumentLink requires a filter by a single Id on ContentDocumentId or LinkedEntityId using the equals operator or multiple Id's using the IN operator.";
const LINK_FILTER_FIELDS = new Set(['id', 'contentdocumentid', 'linkedentityid']);

/** Whether a WHERE clause filters ContentDocumentLink as Salesforce requires: `=` or IN on an ID field, not under OR or NOT. */
function filtersLinks(where: WhereClause | undefined): boolean {
	const tokens = tokenize(where, []);
	if (tokens.some((token) => token.kind === 'OR')) return false;
	return tokens.some((token, index) => {
		if (token.kind !== 'cond' || tokens[index - 1]?.kind === 'NOT' || !('field' in token.condition)) return false;
		const field = String(token.condition.field).toLowerCase().replace(/^contentdocumentlink\./, '');
		return LINK_FILTER_FIELDS.has(field) && ['=', 'IN'].includes(token.condition.operator.toUpperCase());
	});
}

type Predicate = (record: SObjectRecord) => boolean;

function tokenize(clause: WhereClause | undefined, out: Token[]): Token[] {
	if (!clause) return out;
	const left = clause.left as (Condition & { openParen?: number; closeParen?: number }) | null;
	for (let i = 0; i < (left?.openParen ?? 0); i++) out.push({ kind: '(' });
	if (left && 'field' in left && left.field !== undefined) out.push({ kind: 'cond', condition: left });
	else if (left && ('fn' in left)) out.push({ kind: 'cond', condition: left });
	for (let i = 0; i < (left?.closeParen ?? 0); i++) out.push({ kind: ')' });
	if ('operator' in clause && clause.operator) out.push({ kind: clause.operator as 'AND' | 'OR' | 'NOT' });
	if ('right' in clause) tokenize(clause.right as WhereClause, out);
	return out;
}

function compileWhere(ctx: Context, meta: ObjectMeta, where: WhereClause): Predicate {
	return compileBoolean<SObjectRecord>(ctx, where, (condition) => compileCondition(ctx, meta, condition));
}

/** AND, OR, NOT and parentheses over conditions, each compiled by `leaf` (WHERE over records, HAVING over groups). */
function compileBoolean<T>(ctx: Context, clause: WhereClause, leaf: (condition: Condition) => (row: T) => boolean): (row: T) => boolean {
	type Test = (row: T) => boolean;
	const tokens = tokenize(clause, []);
	let pos = 0;
	const peek = () => tokens[pos]?.kind;
	const parseOr = (): Test => {
		const parts = [parseAnd()];
		while (peek() === 'OR') {
			pos++;
			parts.push(parseAnd());
		}
		return parts.length === 1 ? parts[0] : (r) => parts.some((p) => p(r));
	};
	const parseAnd = (): Test => {
		const parts = [parseUnary()];
		while (peek() === 'AND') {
			pos++;
			parts.push(parseUnary());
		}
		return parts.length === 1 ? parts[0] : (r) => parts.every((p) => p(r));
	};
	const parseUnary = (): Test => {
		const token = tokens[pos++];
		if (token?.kind === 'NOT') {
			const inner = parseUnary();
			return (r) => !inner(r);
		}
		if (token?.kind === '(') {
			const inner = parseOr();
			if (tokens[pos++]?.kind !== ')') throw malformed(ctx.soql, 0, 'unexpected token: missing )');
			return inner;
		}
		if (token?.kind === 'cond') return leaf(token.condition);
		throw malformed(ctx.soql, ctx.soql.length, 'unexpected token in WHERE');
	};
	const predicate = parseOr();
	if (pos !== tokens.length) throw malformed(ctx.soql, ctx.soql.length, 'unexpected token in WHERE');
	return predicate;
}

function compileCondition(ctx: Context, meta: ObjectMeta, condition: Condition): Predicate {
	if (!('field' in condition) || typeof condition.field !== 'string') {
		throw malformed(ctx.soql, 0, 'the emulator does not support functions in WHERE');
	}
	const path = resolvePath(ctx, meta, condition.field);
	const field = path.field;
	const operator = condition.operator.toUpperCase();
	const read = (r: SObjectRecord) => readPath(ctx, r, path);

	if (condition.literalType === 'SUBQUERY' && 'valueQuery' in condition && condition.valueQuery) {
		const sub = evaluate(ctx, condition.valueQuery as Query, undefined).records;
		const key = Object.keys(sub[0] ?? {}).find((k) => k !== 'attributes');
		const ids = new Set(sub.map((row) => (key ? row[key] : null)).filter(Boolean));
		return operator === 'NOT IN' ? (r) => !ids.has(read(r)) : (r) => ids.has(read(r));
	}
	const literalTypes = Array.isArray(condition.literalType) ? condition.literalType : [condition.literalType];
	if ((field.type === 'date' || field.type === 'datetime') && literalTypes.includes('STRING')) {
		throw new SalesforceError(
			'INVALID_QUERY_FILTER_OPERATOR',
			caret(ctx.soql, locate(ctx.soql, String(rawValuesOf(condition)[0])), `value of filter criterion for field '${field.name}' must be of type ${field.type === 'date' ? 'date' : 'dateTime'} and should not be enclosed in quotes`),
		);
	}
	const literals = rawValuesOf(condition).map((v, i) => literal(ctx, String(v), String(literalTypes[i] ?? literalTypes[0]), condition));

	if (operator === 'LIKE') {
		const pattern = likePattern(String(literals[0] ?? ''));
		return (r) => {
			const v = read(r);
			return v !== null && pattern.test(String(v));
		};
	}
	if (operator === 'INCLUDES' || operator === 'EXCLUDES') {
		const wanted = literals.map((l) => String(l).toLowerCase().split(';').map((s) => s.trim()));
		const includes = (r: SObjectRecord) => {
			const chosen = new Set(String(read(r) ?? '').toLowerCase().split(';'));
			return wanted.some((all) => all.every((v) => chosen.has(v)));
		};
		return operator === 'INCLUDES' ? (r) => read(r) !== null && includes(r) : (r) => !includes(r);
	}
	if (operator === 'IN' || operator === 'NOT IN') {
		const set = new Set(literals.map((l) => keyOf(field, l)));
		return operator === 'IN' ? (r) => set.has(keyOf(field, read(r))) : (r) => !set.has(keyOf(field, read(r)));
	}
	const value = literals[0];
	if (value instanceof DateRange) {
		return (r) => {
			const v = read(r);
			if (v === null) return operator === '!=' || operator === '<>';
			const t = comparable(field, v) as number;
			switch (operator) {
				case '=': return t >= value.start && t < value.end;
				case '!=': case '<>': return t < value.start || t >= value.end;
				case '<': return t < value.start;
				case '<=': return t < value.end;
				case '>': return t >= value.end;
				case '>=': return t >= value.start;
			}
			return false;
		};
	}
	const target = value === null ? null : comparable(field, value);
	return (r) => compare(ctx, operator, comparable(field, read(r)), target);
}

/** A comparison operator over two comparable values; null is only equal to null. */
function compare(ctx: Context, operator: string, current: Comparable, target: Comparable): boolean {
	switch (operator) {
		case '=': return current === target;
		case '!=': case '<>': return current !== target;
	}
	if (current === null || target === null) return false;
	switch (operator) {
		case '<': return current < target;
		case '<=': return current <= target;
		case '>': return current > target;
		case '>=': return current >= target;
	}
	throw malformed(ctx.soql, locate(ctx.soql, operator), `unexpected token: '${operator}'`);
}

function rawValuesOf(condition: Condition): unknown[] {
	const value = 'value' in condition ? condition.value : undefined;
	return Array.isArray(value) ? value : [value];
}

class DateRange {
	readonly start: number;
	readonly end: number;
	constructor(start: number, end: number) {
		this.start = start;
		this.end = end;
	}
}

function literal(ctx: Context, raw: string, type: string, condition: Condition): unknown {
	switch (type) {
		case 'STRING': return unquote(raw);
		case 'INTEGER': case 'DECIMAL': case 'INTEGER_WITH_CURRENCY_PREFIX': case 'DECIMAL_WITH_CURRENCY_PREFIX':
			return Number(raw.replace(/^[A-Z]{3}/, ''));
		case 'BOOLEAN': return raw.toUpperCase() === 'TRUE';
		case 'NULL': return null;
		case 'DATE':
		case 'DATETIME': {
			const d = parseDateTime(raw);
			if (!d) throw malformed(ctx.soql, locate(ctx.soql, raw), `line 1:0 no viable alternative at character '${raw}'`);
			return formatDateTime(d);
		}
		case 'DATE_LITERAL': case 'DATE_N_LITERAL': {
			const n = 'dateLiteralVariable' in condition ? Number(condition.dateLiteralVariable) : 0;
			return dateLiteral(ctx, raw.split(':')[0].toUpperCase(), n);
		}
	}
	throw malformed(ctx.soql, locate(ctx.soql, raw), `unexpected token: '${raw}'`);
}

/** A date literal as the UTC range [start, end) it stands for, relative to the emulator's clock. */
export function dateLiteralRange(now: Date, name: string, n = 0): { start: Date; end: Date } {
	const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
	const weekStart = today - now.getUTCDay() * DAY;
	const month = (offset: number) => Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1);
	const quarter = (offset: number) => Date.UTC(now.getUTCFullYear(), Math.floor(now.getUTCMonth() / 3) * 3 + offset * 3, 1);
	const year = (offset: number) => Date.UTC(now.getUTCFullYear() + offset, 0, 1);
	const ranges: Record<string, [number, number]> = {
		YESTERDAY: [today - DAY, today],
		TODAY: [today, today + DAY],
		TOMORROW: [today + DAY, today + 2 * DAY],
		LAST_WEEK: [weekStart - 7 * DAY, weekStart],
		THIS_WEEK: [weekStart, weekStart + 7 * DAY],
		NEXT_WEEK: [weekStart + 7 * DAY, weekStart + 14 * DAY],
		LAST_MONTH: [month(-1), month(0)],
		THIS_MONTH: [month(0), month(1)],
		NEXT_MONTH: [month(1), month(2)],
		LAST_90_DAYS: [today - 90 * DAY, today + DAY],
		NEXT_90_DAYS: [today + DAY, today + 91 * DAY],
		LAST_QUARTER: [quarter(-1), quarter(0)],
		THIS_QUARTER: [quarter(0), quarter(1)],
		NEXT_QUARTER: [quarter(1), quarter(2)],
		LAST_YEAR: [year(-1), year(0)],
		THIS_YEAR: [year(0), year(1)],
		NEXT_YEAR: [year(1), year(2)],
		LAST_N_DAYS: [today - n * DAY, today + DAY],
		NEXT_N_DAYS: [today + DAY, today + (n + 1) * DAY],
		N_DAYS_AGO: [today - n * DAY, today - (n - 1) * DAY],
		LAST_N_WEEKS: [weekStart - 7 * n * DAY, weekStart],
		NEXT_N_WEEKS: [weekStart + 7 * DAY, weekStart + 7 * (n + 1) * DAY],
		LAST_N_MONTHS: [month(-n), month(0)],
		NEXT_N_MONTHS: [month(1), month(n + 1)],
		LAST_N_YEARS: [year(-n), year(0)],
		NEXT_N_YEARS: [year(1), year(n + 1)],
	};
	const range = ranges[name];
	if (!range) throw new Error(`Unknown date literal ${name}`);
	return { start: new Date(range[0]), end: new Date(range[1]) };
}

function dateLiteral(ctx: Context, name: string, n: number): DateRange {
	try {
		const { start, end } = dateLiteralRange(ctx.store.now(), name, n);
		return new DateRange(start.getTime(), end.getTime());
	} catch {
		throw malformed(ctx.soql, locate(ctx.soql, name), `unexpected token: '${name}'`);
	}
}

function unquote(raw: string): string {
	const body = raw.replace(/^'|'$/g, '');
	return body.replace(/\\(.)/g, (_, c: string) => {
		const map: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f' };
		if (c === '%' || c === '_') return '\\' + c;
		return map[c] ?? c;
	});
}

/** SOQL LIKE: % any run, _ one character, \% and \_ literal; case-insensitive. */
export function likePattern(pattern: string): RegExp {
	let source = '';
	for (let i = 0; i < pattern.length; i++) {
		const c = pattern[i];
		if (c === '\\' && (pattern[i + 1] === '%' || pattern[i + 1] === '_')) source += pattern[++i];
		else if (c === '%') source += '.*';
		else if (c === '_') source += '.';
		else source += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
	}
	return new RegExp(`^${source}$`, 'is');
}

/** The value in a form where === and < follow SOQL: numbers for dates and numbers, lower-case text, 18-char IDs. */
type Comparable = string | number | boolean | null;

function comparable(field: FieldMeta | undefined, value: unknown): Comparable {
	if (value === null || value === undefined) return null;
	switch (field?.type) {
		case 'date': case 'datetime': {
			const d = parseDateTime(String(value));
			return d ? d.getTime() : String(value);
		}
		case 'int': case 'double': case 'currency': case 'percent':
			return Number(value);
		case 'boolean':
			return typeof value === 'boolean' ? value : String(value).toLowerCase() === 'true';
		case 'id': case 'reference':
			return toId18(value) ?? String(value);
	}
	return typeof value === 'string' ? value.toLowerCase() : (value as number);
}

function keyOf(field: FieldMeta, value: unknown): unknown {
	return comparable(field, value);
}

// ---------------------------------------------------------------- ORDER BY

function sortRows(ctx: Context, meta: ObjectMeta, orderBy: Query['orderBy'], rows: SObjectRecord[]): SObjectRecord[] {
	const clauses = (Array.isArray(orderBy) ? orderBy : [orderBy]).map((clause) => {
		if (!clause || !('field' in clause) || !clause.field) throw malformed(ctx.soql, 0, 'the emulator does not support this ORDER BY');
		const path = resolvePath(ctx, meta, clause.field);
		const descending = clause.order === 'DESC';
		const nullsFirst = clause.nulls ? clause.nulls === 'FIRST' : !descending;
		return { path, descending, nullsFirst };
	});
	return [...rows].sort((a, b) => {
		for (const { path, descending, nullsFirst } of clauses) {
			const order = compareKeys(comparable(path.field, readPath(ctx, a, path)), comparable(path.field, readPath(ctx, b, path)), descending, nullsFirst);
			if (order) return order;
		}
		return 0;
	});
}

function compareKeys(x: Comparable, y: Comparable, descending: boolean, nullsFirst: boolean): number {
	if (x === y) return 0;
	if (x === null) return nullsFirst ? -1 : 1;
	if (y === null) return nullsFirst ? 1 : -1;
	const order = x < y ? -1 : 1;
	return descending ? -order : order;
}

// ---------------------------------------------------------------- errors

function locate(soql: string, token: string): number {
	if (!token) return 0;
	const escaped = token.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
	const match = new RegExp(`(^|[^A-Za-z0-9_.])(${escaped})(?![A-Za-z0-9_])`, 'i').exec(soql);
	return match ? match.index + match[1].length : Math.max(0, soql.toLowerCase().indexOf(token.toLowerCase()));
}

/** Salesforce's query error layout: the query, a caret under the offending token, its row and column, the reason. */
function caret(soql: string, index: number, reason: string): string {
	const before = soql.slice(0, index).split('\n');
	const row = before.length;
	const column = before[before.length - 1].length + 1;
	const line = soql.split('\n')[row - 1];
	return `\n${line}\n${' '.repeat(column - 1)}^\nERROR at Row:${row}:Column:${column}\n${reason}`;
}

function malformed(soql: string, index: number, reason: string): SalesforceError {
	return new SalesforceError('MALFORMED_QUERY', caret(soql, index, reason));
}
