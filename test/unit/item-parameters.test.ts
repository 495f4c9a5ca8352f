// itemParameter: a parameter without an expression is resolved once per execution, one with an expression per item.
import type { IExecuteFunctions, INodeParameters } from 'n8n-workflow';
import { describe, expect, it, vi } from 'vitest';

import { itemParameter } from '../../nodes/Salesforce/actions/toolkit/parameters';

/** An execution's context whose getNodeParameter resolves "={{ item }}" to the item index, counting its calls. */
function execution(parameters: INodeParameters) {
	const resolve = (value: unknown, itemIndex: number): unknown => {
		if (typeof value === 'string') return value === '={{ item }}' ? itemIndex : value;
		if (Array.isArray(value)) return value.map((nested) => resolve(nested, itemIndex));
		if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, nested]) => [key, resolve(nested, itemIndex)]));
		return value;
	};
	const getNodeParameter = vi.fn((name: string, itemIndex: number, fallback?: unknown) => {
		let value: unknown = parameters;
		for (const key of name.split('.')) value = (value as Record<string, unknown> | undefined)?.[key];
		return value === undefined ? fallback : resolve(value, itemIndex);
	});
	const ctx = { getNode: () => ({ parameters }), getNodeParameter } as unknown as IExecuteFunctions;
	return { ctx, getNodeParameter };
}

describe('itemParameter', () => {
	it('reads a parameter without an expression once for all items, defaults included', () => {
		const { ctx, getNodeParameter } = execution({ dataMode: 'mapper', columns: { mappingMode: 'defineBelow', schema: [{ id: 'LastName' }] } });
		for (let itemIndex = 0; itemIndex < 1000; itemIndex++) {
			expect(itemParameter(ctx, 'columns.schema', itemIndex, [])).toEqual([{ id: 'LastName' }]);
			expect(itemParameter(ctx, 'options.owner', itemIndex, null)).toBeNull();
		}
		expect(getNodeParameter).toHaveBeenCalledTimes(2);
	});

	it('reads a parameter holding an expression, at any depth, for every item', () => {
		const { ctx, getNodeParameter } = execution({ columns: { value: { LastName: 'Fixed', Company: '={{ item }}' } }, title: '={{ item }}' });
		for (let itemIndex = 0; itemIndex < 3; itemIndex++) {
			expect(itemParameter(ctx, 'columns.value', itemIndex)).toEqual({ LastName: 'Fixed', Company: itemIndex });
			expect(itemParameter(ctx, 'title', itemIndex)).toBe(itemIndex);
		}
		expect(getNodeParameter).toHaveBeenCalledTimes(6);
	});

	it('keeps values apart by read options and by execution', () => {
		const parameters = { recordId: { __rl: true, mode: 'id', value: '00Q000000000001AAA' } };
		const first = execution(parameters);
		itemParameter(first.ctx, 'recordId', 0, '', { extractValue: true });
		itemParameter(first.ctx, 'recordId', 1, '', { extractValue: true });
		itemParameter(first.ctx, 'recordId', 0);
		expect(first.getNodeParameter).toHaveBeenCalledTimes(2);
		const second = execution(parameters);
		itemParameter(second.ctx, 'recordId', 0, '', { extractValue: true });
		expect(second.getNodeParameter).toHaveBeenCalledTimes(1);
	});
});
