import type { IExecuteFunctions, IGetNodeParameterOptions, NodeParameterValueType } from 'n8n-workflow';

/** Per execution: the values of parameters that hold no expression, by name and read options. */
const constantValues = new WeakMap<IExecuteFunctions, Map<string, unknown>>();

/**
 * A parameter's value for an item. n8n resolves a parameter anew on every read (a deep copy, then each value checked
 * for expressions): a parameter without an expression has one value for every item, so it is read once per execution.
 */
export function itemParameter<T = NodeParameterValueType>(
	ctx: IExecuteFunctions,
	name: string,
	itemIndex: number,
	fallback?: unknown,
	options?: IGetNodeParameterOptions,
): T {
	if (holdsExpression(rawParameter(ctx, name))) return ctx.getNodeParameter(name, itemIndex, fallback, options) as T;
	let values = constantValues.get(ctx);
	if (!values) constantValues.set(ctx, (values = new Map()));
	const key = options ? `${name} ${JSON.stringify(options)}` : name;
	if (!values.has(key)) values.set(key, ctx.getNodeParameter(name, itemIndex, fallback, options));
	return values.get(key) as T;
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
