// itemParameter reads an expression that only names an input field (`{{ $json.Email }}`, what n8n's editor writes when
// a field is dragged in) from the item itself, without n8n's expression engine, and must give what n8n gives: a probe
// node reads each parameter both ways, through n8n-core's real ExecuteContext, under both of n8n's engines (`legacy`
// and n8n 2.x's default `vm`, the V8 isolate), and counts the reads that n8n had to evaluate.
import type { IDataObject, IExecuteFunctions, IGetNodeParameterOptions, INodeParameters, INodeType } from 'n8n-workflow';
import { Expression } from 'n8n-workflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { itemParameter } from '../../nodes/Salesforce/actions/toolkit/parameters';
import { recordLocator } from '../../nodes/Salesforce/actions/toolkit/descriptions';
import { createHarness, type Harness } from './harness.ts';
import { byId, byUrl, mapped } from './node-fixture.ts';

interface Read {
	name: string;
	options?: IGetNodeParameterOptions;
}

/** What one read gave: its value, or the message of the error it threw. */
type Outcome = { value?: unknown; error?: string };

function outcome(read: () => unknown): Outcome {
	try {
		return { value: read() };
	} catch (error) {
		return { error: (error as Error).message };
	}
}

/** Reads `reads` for every item both ways: through itemParameter (counting what it asked n8n) and n8n directly. */
function probe(reads: Read[]): INodeType {
	return {
		description: {
			displayName: 'Probe',
			name: 'probe',
			group: ['transform'],
			version: 1,
			description: 'Reads parameters two ways',
			defaults: { name: 'Probe' },
			inputs: ['main'],
			outputs: ['main'],
			properties: [
				{ displayName: 'Value', name: 'value', type: 'string', default: '' },
				{ displayName: 'Columns', name: 'columns', type: 'resourceMapper', default: {}, typeOptions: { resourceMapper: { resourceMapperMethod: 'none', mode: 'add' } } },
				recordLocator({ displayName: 'Record', name: 'record', description: 'A record', required: false }),
			],
		},
		async execute(this: IExecuteFunctions) {
			const evaluations = { count: 0 };
			const counting = new Proxy(this, {
				get: (target, property) => {
					const value = Reflect.get(target, property) as unknown;
					if (property === 'getNodeParameter') {
						return (...args: Parameters<IExecuteFunctions['getNodeParameter']>) => {
							evaluations.count++;
							return (value as IExecuteFunctions['getNodeParameter']).apply(target, args);
						};
					}
					return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
				},
			});
			const output = this.getInputData().map((_, itemIndex) => {
				const json: IDataObject = {};
				for (const { name, options } of reads) {
					const before = evaluations.count;
					const fast = outcome(() => itemParameter(counting, name, itemIndex, undefined, options));
					json[`${name} ${JSON.stringify(options ?? {})}`] = {
						fast,
						n8n: outcome(() => this.getNodeParameter(name, itemIndex, undefined, options)),
						evaluated: evaluations.count - before,
					} as IDataObject;
				}
				return { json, pairedItem: { item: itemIndex } };
			});
			return [output];
		},
	};
}

interface Case {
	what: string;
	parameters: INodeParameters;
	read: Read;
	item: IDataObject;
	/** Whether n8n's engine is left to evaluate it. */
	evaluated: boolean;
}

const address = { city: 'London', zip: null };
const cases: Case[] = [
	{ what: 'a string field', parameters: { value: '={{ $json.name }}' }, read: { name: 'value' }, item: { name: 'Ada' }, evaluated: false },
	{ what: 'an empty string', parameters: { value: '={{ $json.name }}' }, read: { name: 'value' }, item: { name: '' }, evaluated: false },
	{ what: 'zero', parameters: { value: '={{ $json.n }}' }, read: { name: 'value' }, item: { n: 0 }, evaluated: false },
	{ what: 'a decimal', parameters: { value: '={{ $json.n }}' }, read: { name: 'value' }, item: { n: 1.25 }, evaluated: false },
	{ what: 'false', parameters: { value: '={{ $json.flag }}' }, read: { name: 'value' }, item: { flag: false }, evaluated: false },
	{ what: 'null', parameters: { value: '={{ $json.none }}' }, read: { name: 'value' }, item: { none: null }, evaluated: false },
	{ what: 'a nested field', parameters: { value: '={{ $json.address.city }}' }, read: { name: 'value' }, item: { address }, evaluated: false },
	{ what: 'a nested null', parameters: { value: '={{ $json.address.zip }}' }, read: { name: 'value' }, item: { address }, evaluated: false },
	{ what: 'a quoted name', parameters: { value: '={{ $json["Last Name"] }}' }, read: { name: 'value' }, item: { 'Last Name': 'Lovelace' }, evaluated: false },
	{ what: 'a single-quoted name', parameters: { value: "={{ $json['e-mail'] }}" }, read: { name: 'value' }, item: { 'e-mail': 'a@b.c' }, evaluated: false },
	{ what: 'an array element', parameters: { value: '={{ $json.tags[1] }}' }, read: { name: 'value' }, item: { tags: ['a', 'b'] }, evaluated: false },
	{ what: 'an array length', parameters: { value: '={{ $json.tags.length }}' }, read: { name: 'value' }, item: { tags: ['a', 'b'] }, evaluated: false },
	{ what: 'spaces inside the braces', parameters: { value: '={{$json.name}}' }, read: { name: 'value' }, item: { name: 'Ada' }, evaluated: false },
	{ what: 'an absent field', parameters: { value: '={{ $json.missing }}' }, read: { name: 'value' }, item: { name: 'Ada' }, evaluated: true },
	{ what: 'a field of an absent object', parameters: { value: '={{ $json.missing.city }}' }, read: { name: 'value' }, item: { name: 'Ada' }, evaluated: true },
	{ what: 'an object', parameters: { value: '={{ $json.address }}' }, read: { name: 'value' }, item: { address }, evaluated: true },
	{ what: 'an array', parameters: { value: '={{ $json.tags }}' }, read: { name: 'value' }, item: { tags: ['a'] }, evaluated: true },
	{ what: 'a string property', parameters: { value: '={{ $json.name.length }}' }, read: { name: 'value' }, item: { name: 'Ada' }, evaluated: true },
	{ what: 'a method call', parameters: { value: '={{ $json.name.toUpperCase() }}' }, read: { name: 'value' }, item: { name: 'Ada' }, evaluated: true },
	{ what: 'text around the expression', parameters: { value: '=Dr {{ $json.name }}' }, read: { name: 'value' }, item: { name: 'Ada' }, evaluated: true },
	{ what: 'a name the sandbox refuses', parameters: { value: '={{ $json.constructor }}' }, read: { name: 'value' }, item: { constructor: 'x' }, evaluated: true },
	{ what: 'another node', parameters: { value: "={{ $('Items').item.json.name }}" }, read: { name: 'value' }, item: { name: 'Ada' }, evaluated: true },
	{
		what: 'mapped columns, constants kept',
		parameters: { columns: mapped({ LastName: '={{ $json.last }}', Company: 'Acme', NumberOfEmployees: '={{ $json.size }}' }) },
		read: { name: 'columns.value', options: { skipValidation: true } },
		item: { last: 'Lovelace', size: 12 },
		evaluated: false,
	},
	{
		what: 'mapped columns, one of them computed',
		parameters: { columns: mapped({ LastName: '={{ $json.last }}', Company: '={{ $json.company.trim() }}' }) },
		read: { name: 'columns.value', options: { skipValidation: true } },
		item: { last: 'Lovelace', company: ' Acme ' },
		evaluated: true,
	},
	{
		what: 'mapped columns that n8n validates and converts',
		parameters: { columns: mapped({ LastName: '={{ $json.last }}' }) },
		read: { name: 'columns.value' },
		item: { last: 'Lovelace' },
		evaluated: true,
	},
	{ what: 'a record ID', parameters: { record: byId('={{ $json.id }}') }, read: { name: 'record', options: { extractValue: true } }, item: { id: '00Q000000000001AAA' }, evaluated: false },
	{ what: 'a record ID, as a locator', parameters: { record: byId('={{ $json.id }}') }, read: { name: 'record' }, item: { id: '00Q000000000001AAA' }, evaluated: false },
	{
		what: 'a record URL (n8n extracts the ID)',
		parameters: { record: byUrl('={{ $json.url }}') },
		read: { name: 'record', options: { extractValue: true } },
		item: { url: 'https://acme.lightning.force.com/lightning/r/Lead/00Q000000000001AAA/view' },
		evaluated: true,
	},
];

let harness: Harness;
beforeAll(async () => {
	harness = await createHarness({ url: 'http://127.0.0.1:9' });
});

describe.each(['legacy', 'vm'] as const)('under the %s expression engine', (engine) => {
	beforeAll(async () => {
		if (engine === 'vm') await Expression.initExpressionEngine({ engine, bridgeTimeout: 5000, bridgeMemoryLimit: 128, poolSize: 1, maxCodeCacheSize: 1024 });
	});
	afterAll(async () => {
		if (engine !== 'vm') return;
		Expression.setExpressionEngine('legacy');
		await Expression.disposeExpressionEngine();
	});

	it('runs under that engine', () => {
		expect(Expression.getActiveImplementation()).toBe(engine);
	});

	it.each(cases)('$what: the value n8n gives', async ({ parameters, read, item, evaluated }) => {
		const { items, error } = await harness.runNode({ nodeType: probe([read]), parameters, items: [item, item] });
		expect(error).toBeUndefined();
		expect(items).toHaveLength(2);
		for (const { json } of items) {
			const [result] = Object.values(json) as Array<{ fast: Outcome; n8n: Outcome; evaluated: number }>;
			expect(result.fast).toStrictEqual(result.n8n);
			expect(result.evaluated).toBe(evaluated ? 1 : 0);
		}
	});

	it('reads each item from its own input item', async () => {
		const inputs = Array.from({ length: 50 }, (_, index) => ({ name: `Lead ${index}` }));
		const { items } = await harness.runNode({ nodeType: probe([{ name: 'value' }]), parameters: { value: '={{ $json.name }}' }, items: inputs });
		expect(items.map(({ json }) => (Object.values(json)[0] as { fast: Outcome }).fast.value)).toEqual(inputs.map(({ name }) => name));
	});
});
