import type { IExecuteFunctions, IGetNodeParameterOptions, NodeParameterValueType } from 'n8n-workflow';
import { isResourceLocatorValue, isResourceMapperValue, isSafeObjectProperty } from 'n8n-workflow';

/** Reads a parameter for an item. */
type Reader = (itemIndex: number) => unknown;

/** Per execution: how each parameter is read, by name and read options. */
const readers = new WeakMap<IExecuteFunctions, Map<string, Reader>>();

/**
 * A parameter's value for an item. n8n resolves a parameter anew on every read (a deep copy, then each value checked
 * for expressions, each expression run by n8n's expression engine), which makes the per-item work of a large batch:
 * - a parameter without an expression has one value for every item, so it is read once per execution;
 * - a parameter whose expressions only name an input field (`{{ $json.Email }}`, what the editor writes when a field
 *   is dragged in) takes those fields from the item's `$json` as n8n's own data proxy gives it, without the engine.
 *   Anything else, and any field that is absent or not a plain value, is left to n8n, errors included.
 */
export function itemParameter<T = NodeParameterValueType>(
	ctx: IExecuteFunctions,
	name: string,
	itemIndex: number,
	fallback?: unknown,
	options?: IGetNodeParameterOptions,
): T {
	let byName = readers.get(ctx);
	if (!byName) readers.set(ctx, (byName = new Map()));
	const key = options ? `${name} ${JSON.stringify(options)}` : name;
	let read = byName.get(key);
	if (!read) byName.set(key, (read = reader(ctx, name, fallback, options)));
	return read(itemIndex) as T;
}

function reader(ctx: IExecuteFunctions, name: string, fallback: unknown, options: IGetNodeParameterOptions | undefined): Reader {
	const evaluate: Reader = (itemIndex) => ctx.getNodeParameter(name, itemIndex, fallback, options);
	const raw = rawParameter(ctx, name);
	if (!holdsExpression(raw)) {
		let value: { read: unknown } | undefined;
		return (itemIndex) => (value ??= { read: evaluate(itemIndex) }).read;
	}
	const resolve = fieldReader(ctx, name, raw, options);
	if (!resolve) return evaluate;
	return (itemIndex) => {
		const value = resolve(itemIndex);
		return value === UNRESOLVED ? evaluate(itemIndex) : value;
	};
}

/** The parameter as the workflow stores it (`options.owner`: a path into the node's parameters). */
function rawParameter(ctx: IExecuteFunctions, name: string): unknown {
	let value: unknown = ctx.getNode().parameters;
	for (const key of name.split('.')) value = (value as Record<string, unknown> | undefined)?.[key];
	return value;
}

function holdsExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	if (value !== null && typeof value === 'object') return Object.values(value).some(holdsExpression);
	return false;
}

/** What a reader returns when n8n must evaluate the parameter for this item. */
const UNRESOLVED = Symbol('unresolved');

/** A parameter's value for the input item's JSON, or UNRESOLVED. */
type Resolver = (json: unknown) => unknown;

/**
 * Reads `raw` without n8n's expression engine when every expression in it names an input field, and when n8n would do
 * nothing more to the value than evaluate it: read options limited to skipping validation and taking a resource
 * locator's ID (the ID mode, which has no pattern to extract with), and no resource mapper values n8n would convert.
 * n8n validates nothing else for this node's parameters (none declares a `validateType`: a unit test keeps it so).
 */
function fieldReader(ctx: IExecuteFunctions, name: string, raw: unknown, options: IGetNodeParameterOptions = {}): Reader | undefined {
	if (Object.keys(options).some((option) => option !== 'skipValidation' && option !== 'extractValue')) return undefined;
	if (!options.skipValidation && isResourceMapperValue(ctx.getNode().parameters[name.split('.')[0]])) return undefined;
	const locator = isResourceLocatorValue(raw) ? raw : undefined;
	if (options.extractValue && locator?.mode !== 'id') return undefined;
	const resolve = resolver(locator && options.extractValue ? locator.value : raw);
	if (!resolve) return undefined;
	return (itemIndex) => {
		let json: unknown;
		try {
			json = ctx.getWorkflowDataProxy(itemIndex).$json;
		} catch {
			return UNRESOLVED;
		}
		return resolve(json);
	};
}

function resolver(raw: unknown): Resolver | undefined {
	if (typeof raw === 'string' && raw.startsWith('=')) {
		const path = fieldPath(raw);
		return path && ((json) => plainValueAt(json, path));
	}
	if (raw === null || typeof raw !== 'object') return () => raw;
	const entries = Object.entries(raw).map(([key, value]) => [key, resolver(value)] as const);
	if (entries.some(([, resolve]) => !resolve)) return undefined;
	return (json) => {
		const value = (Array.isArray(raw) ? [] : {}) as Record<string, unknown>;
		for (const [key, resolve] of entries) {
			const resolved = resolve!(json);
			if (resolved === UNRESOLVED) return UNRESOLVED;
			value[key] = resolved;
		}
		return value;
	};
}

/** One step of a field path: `.name`, `[0]`, `['a name']` or `["a name"]`, the name in one of its four groups. */
const PATH_STEP = /\.([A-Za-z_$][\w$]*)|\[(\d+)\]|\['([^'\\]*)'\]|\["([^"\\]*)"\]/g;
/** `={{ $json.Email }}`, `={{ $json["Last Name"] }}`, `={{ $json.address.city }}`, `={{ $json.tags[0] }}`. */
const FIELD_REFERENCE = new RegExp(`^=\\{\\{\\s*\\$json((?:${PATH_STEP.source})+)\\s*\\}\\}$`);

/**
 * The field path an expression names, if that is all it does. Names n8n's expression sandbox refuses (`constructor`,
 * `__proto__`, …) are left to n8n; with an n8n too old to say which those are, every expression is.
 */
function fieldPath(expression: string): string[] | undefined {
	const match = FIELD_REFERENCE.exec(expression);
	if (!match || typeof isSafeObjectProperty !== 'function') return undefined;
	const path = [...match[1].matchAll(PATH_STEP)].map((step) => step[1] ?? step[2] ?? step[3] ?? step[4]);
	return path.every((key) => isSafeObjectProperty(key)) ? path : undefined;
}

/** The string, number, boolean or null at `path` in the item's JSON, or UNRESOLVED (absent, or an object or array). */
function plainValueAt(json: unknown, path: string[]): unknown {
	let value = json;
	for (const key of path) {
		if (value === null || typeof value !== 'object' || !Object.hasOwn(value, key)) return UNRESOLVED;
		value = (value as Record<string, unknown>)[key];
	}
	return value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? value : UNRESOLVED;
}
