// The Flow resource through n8n-core against the emulator's flows (test/emulator/flows.ts): Get Many, the editor's
// flow list and input variables, Invoke with pairs and JSON, records a flow creates, faults with and without Continue
// On Fail, pairing, unknown flows and variables, 1,000 items in batches, and lost answers (OUTCOME_UNKNOWN).
import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { startNodeFixture, type NodeFixture } from './node-fixture.ts';
import { MAX_INPUTS_PER_REQUEST, UNHANDLED_FAULT } from '../emulator/rest/actions.ts';

let fixture: NodeFixture;
beforeAll(async () => {
	fixture = await startNodeFixture();
});
afterAll(async () => await fixture?.close());
beforeEach(() => {
	fixture.emulator.faults.reset();
	fixture.emulator.requests.reset();
});

const fromList = (value: string) => ({ __rl: true, mode: 'list', value });
const byName = (value: string) => ({ __rl: true, mode: 'name', value });

/** Invoke with name/value pairs, the values usually expressions on the item. */
const invokeWithPairs = (flow: string, variables: Record<string, string>, options: INodeParameters = {}): INodeParameters => ({
	resource: 'flow',
	operation: 'invoke',
	flow: fromList(flow),
	inputMode: 'keyValue',
	inputVariables: { variable: Object.entries(variables).map(([name, value]) => ({ name, value })) },
	options,
});

const invokeWithJson = (flow: string, json: string): INodeParameters => ({ resource: 'flow', operation: 'invoke', flow: fromList(flow), inputMode: 'json', inputJson: json });

const discountPairs = invokeWithPairs('Calculate_Discount', { amount: '={{ $json.amount }}', customerTier: '={{ $json.tier }}' });

/** Calls to routes of the emulator's request log matching `pattern`, e.g. /^POST .*actions\/custom\/flow/. */
function callsTo(pattern: RegExp): number {
	return Object.entries(fixture.emulator.requests.counts().byRoute)
		.filter(([route]) => pattern.test(route))
		.reduce((sum, [, count]) => sum + count, 0);
}
const INVOCATIONS = /^POST .*actions\/custom\/flow\/\{name\}$/;
const DESCRIBES = /^GET .*actions\/custom\/flow\/\{name\}$/;

const contactIds = () => fixture.emulator.store.all('Contact').map((contact) => contact.Id as string);
const tasksAbout = (whoIds: string[]) => fixture.emulator.store.all('Task').filter((task) => whoIds.includes(task.WhoId as string));

describe('Get Many', () => {
	it('lists the autolaunched flows with an active version by label, with the name Invoke takes', async () => {
		const flows = await fixture.json({ resource: 'flow', operation: 'getAll', returnAll: true });
		expect(flows.map((flow) => flow.flowApiName)).toEqual(['Calculate_Discount', 'Create_Follow_Up_Task', 'acme__Normalize_Phone']);
		expect(flows[0]).toMatchObject({ ApiName: 'Calculate_Discount', Label: 'Calculate Discount', IsActive: true, NamespacePrefix: null });
		expect(flows[0].DurableId).toMatch(/^300/);
		expect(flows[0].attributes).toBeUndefined();
		expect(flows[2]).toMatchObject({ ApiName: 'Normalize_Phone', NamespacePrefix: 'acme' });
	});

	it('includes flows without an active version on request, and keeps to the Limit', async () => {
		const all = await fixture.json({ resource: 'flow', operation: 'getAll', returnAll: true, options: { includeInactive: true } });
		expect(all.map((flow) => flow.flowApiName)).toEqual(['Calculate_Discount', 'Create_Follow_Up_Task', 'Legacy_Lead_Cleanup', 'acme__Normalize_Phone']);
		expect(all.find((flow) => flow.ApiName === 'Legacy_Lead_Cleanup')).toMatchObject({ IsActive: false, ActiveVersionId: null });
		expect(await fixture.json({ resource: 'flow', operation: 'getAll', returnAll: false, limit: 2 })).toHaveLength(2);
	});

	it('refuses a Limit that is not a whole number, naming the parameter', async () => {
		const result = await fixture.run({ resource: 'flow', operation: 'getAll', returnAll: false, limit: 1.5 });
		expect(result.error?.message).toMatch(/^Limit must be a whole number/);
	});
});

describe('editor methods', () => {
	it('searches active autolaunched flows by label or API name, wildcards matching literally', async () => {
		const search = (filter?: string) => fixture.harness.listSearch(fixture.nodeType, 'searchFlows', { resource: 'flow', operation: 'invoke' }, filter);
		expect((await search()).results.map((r) => r.value)).toEqual(['Calculate_Discount', 'Create_Follow_Up_Task', 'acme__Normalize_Phone']);
		const [found] = (await search('discount')).results;
		expect(found).toMatchObject({ name: 'Calculate Discount (Calculate_Discount)', value: 'Calculate_Discount' });
		expect(found.url).toMatch(/\/builder_platform_interaction\/flowBuilder\.app\?flowId=301/);
		expect((await search('Normalize_')).results.map((r) => r.value)).toEqual(['acme__Normalize_Phone']);
		expect((await search('%')).results).toEqual([]);
		expect((await search('Cleanup')).results).toEqual([]);
	});

	it("lists the chosen flow's input variables, required ones marked", async () => {
		const options = await fixture.harness.loadOptions(fixture.nodeType, 'getFlowInputVariables', {
			resource: 'flow', operation: 'invoke', flow: fromList('Calculate_Discount'),
		});
		expect(options).toEqual([
			{ name: 'Amount (amount)', value: 'amount', description: 'DOUBLE, required' },
			{ name: 'Customer Tier (customerTier)', value: 'customerTier', description: 'STRING' },
		]);
		expect(await fixture.harness.loadOptions(fixture.nodeType, 'getFlowInputVariables', { resource: 'flow', operation: 'invoke', flow: fromList('') })).toEqual([]);
	});
});

describe('Invoke', () => {
	const tiers: IDataObject[] = [
		{ amount: 6000, tier: 'Gold' },
		{ amount: 500, tier: 'Silver' },
		{ amount: 80, tier: 'Bronze' },
	];
	const expected = [
		{ discountPercent: 20, discount: 1200, finalAmount: 4800, approvalRequired: true },
		{ discountPercent: 10, discount: 50, finalAmount: 450, approvalRequired: false },
		{ discountPercent: 0, discount: 0, finalAmount: 80, approvalRequired: false },
	];

	it('runs the flow once per item with name/value pairs (text converted to the variables’ types): output variables, the flow’s name, pairing', async () => {
		const result = await fixture.run(invokeWithPairs('Calculate_Discount', { amount: '={{ String($json.amount) }}', customerTier: '={{ $json.tier }}' }), tiers);
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		result.items.forEach((item, index) => {
			expect(item.json).toMatchObject({ flowApiName: 'Calculate_Discount', ...expected[index], Flow__InterviewStatus: 'Finished' });
		});
		expect(callsTo(INVOCATIONS)).toBe(1);
	});

	it('runs the flow with JSON input variables', async () => {
		const result = await fixture.run(invokeWithJson('Calculate_Discount', '={{ JSON.stringify({ amount: $json.amount, customerTier: $json.tier }) }}'), tiers);
		expect(result.items.map((item) => item.json)).toEqual(expected.map((values) => expect.objectContaining({ flowApiName: 'Calculate_Discount', ...values })));
	});

	it('runs a packaged flow by namespace__Name, chosen by API name', async () => {
		const [phone] = await fixture.json({ ...invokeWithPairs('x', { phone: '+33 1 23 45 67 89' }), flow: byName('acme__Normalize_Phone') });
		expect(phone).toMatchObject({ flowApiName: 'acme__Normalize_Phone', e164: '+33123456789' });
	});

	it('creates the records the flow creates', async () => {
		const whoIds = contactIds().slice(0, 3);
		const result = await fixture.run(
			invokeWithPairs('Create_Follow_Up_Task', { whoId: '={{ $json.whoId }}', subject: '={{ "Call " + $json.n }}', daysUntilDue: '3' }),
			whoIds.map((whoId, n) => ({ whoId, n })),
		);
		expect(result.error).toBeUndefined();
		const taskIds = result.items.map((item) => item.json.taskId as string);
		taskIds.forEach((taskId, n) => {
			expect(fixture.emulator.store.get('Task', taskId)).toMatchObject({ WhoId: whoIds[n], Subject: `Call ${n}`, Status: 'Not Started' });
		});
	});

	it('with Continue On Fail, the input whose interview faults becomes its error item; the others run', async () => {
		const [first, second] = contactIds().slice(3, 5);
		const input = [{ whoId: first }, { whoId: '001000000000000AAA' }, { whoId: second }];
		const result = await fixture.run(invokeWithPairs('Create_Follow_Up_Task', { whoId: '={{ $json.whoId }}' }), input, 'continueRegularOutput');
		expect(result.items).toHaveLength(3);
		expect(result.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(result.items[1].json).toMatchObject({ error: `UNKNOWN_EXCEPTION: ${UNHANDLED_FAULT} (item 1)`, statusCode: 'UNKNOWN_EXCEPTION', message: UNHANDLED_FAULT });
		expect(result.items[0].json.taskId).toBeTruthy();
		expect(result.items[2].json.taskId).toBeTruthy();
		expect(tasksAbout([first, second])).toHaveLength(2);
	});

	it('without Continue On Fail, the node stops with Salesforce’s error for the faulting item', async () => {
		const [contact] = contactIds().slice(5, 6);
		const result = await fixture.run(invokeWithPairs('Create_Follow_Up_Task', { whoId: '={{ $json.whoId }}' }), [{ whoId: contact }, { whoId: '001000000000000AAA' }]);
		expect(result.error?.message).toBe(`UNKNOWN_EXCEPTION: ${UNHANDLED_FAULT} (item 1)`);
	});

	it('a call of one item that faults gets Salesforce’s error as well (a 400 holding one result)', async () => {
		const result = await fixture.run(invokeWithPairs('Create_Follow_Up_Task', { whoId: '001000000000000AAA' }), [{}], 'continueRegularOutput');
		expect(result.items.map((item) => item.json)).toEqual([expect.objectContaining({ statusCode: 'UNKNOWN_EXCEPTION', message: UNHANDLED_FAULT })]);
	});

	it('an item that lacks a required variable gets REQUIRED_FIELD_MISSING from Salesforce', async () => {
		const result = await fixture.run(invokeWithJson('Calculate_Discount', '={{ JSON.stringify($json) }}'), [{ amount: 10 }, { customerTier: 'Gold' }], 'continueRegularOutput');
		expect(result.items[0].json).toMatchObject({ finalAmount: 10 });
		expect(result.items[1].json).toMatchObject({ statusCode: 'REQUIRED_FIELD_MISSING', message: 'Missing required input parameter: amount' });
	});

	it('refuses an unknown flow, a screen flow and a record-triggered flow, naming the fix, without invoking anything', async () => {
		for (const flow of ['No_Such_Flow', 'Customer_Onboarding_Wizard', 'Opportunity_Won_Notification']) {
			fixture.emulator.requests.reset();
			const result = await fixture.run({ ...invokeWithPairs('x', {}), flow: byName(flow) }, [{}, {}]);
			expect(result.error?.message).toBe(`Flow: no autolaunched flow "${flow}" in this Salesforce org (item 0)`);
			expect((result.error as { description?: string }).description).toMatch(/Setup → Process Automation → Flows.*screen flows and record-triggered/);
			expect(callsTo(INVOCATIONS)).toBe(0);
		}
		const continued = await fixture.run({ ...invokeWithPairs('x', {}), flow: byName('No_Such_Flow') }, [{}, {}], 'continueRegularOutput');
		expect(continued.items.map((item) => item.json.error)).toEqual([0, 1].map((i) => `Flow: no autolaunched flow "No_Such_Flow" in this Salesforce org (item ${i})`));
	});

	it('runs a flow without an active version in its latest version, as Salesforce does', async () => {
		const [cleanup] = await fixture.json({ ...invokeWithPairs('x', {}), flow: byName('Legacy_Lead_Cleanup') });
		expect(cleanup).toMatchObject({ flowApiName: 'Legacy_Lead_Cleanup', leadsCleaned: 0 });
	});

	it('refuses a flow API name of the wrong shape that an expression gives, naming the parameter (the editor checks a written one)', async () => {
		const result = await fixture.run({ ...invokeWithPairs('x', {}), flow: byName('={{ $json.flow }}') }, [{ flow: 'Calculate Discount' }]);
		expect(result.error?.message).toBe('Flow: "Calculate Discount" is not a flow API name (item 0)');
	});

	it('checks variable names and values against the flow before sending: unknown names, wrong case, numbers', async () => {
		const attempts: Array<[INodeParameters, RegExp, RegExp]> = [
			[invokeWithPairs('Calculate_Discount', { amout: '5' }), /^Flow Calculate_Discount has no input variable "amout"/, /Its input variables: amount \(DOUBLE, required\), customerTier \(STRING\)/],
			[invokeWithJson('Calculate_Discount', '{"Amount": 5}'), /^Flow Calculate_Discount has no input variable "Amount"/, /case-sensitive: write "amount"/],
			[invokeWithPairs('Calculate_Discount', { amount: '1,500' }), /^Input variable "amount" \(DOUBLE\) needs a number, not "1,500"/, /plain decimal number/],
			[invokeWithJson('Calculate_Discount', '[1, 2]'), /^Input Variables \(JSON\) must be a JSON object/, /JSON object of input variable names/],
		];
		for (const [parameters, message, description] of attempts) {
			fixture.emulator.requests.reset();
			const result = await fixture.run(parameters);
			expect(result.error?.message).toMatch(message);
			expect((result.error as { description?: string }).description).toMatch(description);
			expect(callsTo(INVOCATIONS)).toBe(0);
		}
	});
});

describe('batches', () => {
	it(`invokes 1,000 items in calls of ${MAX_INPUTS_PER_REQUEST} (5 calls and one describe), each item its own result, paired`, async () => {
		const input = Array.from({ length: 1000 }, (_, n) => ({ amount: n, tier: n % 2 ? 'Gold' : 'Silver' }));
		const result = await fixture.run(discountPairs, input);
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(1000);
		expect(callsTo(INVOCATIONS)).toBe(5);
		expect(callsTo(DESCRIBES)).toBe(1);
		result.items.forEach((item, n) => {
			expect(item.pairedItem).toEqual({ item: n });
			expect(item.json.finalAmount).toBeCloseTo(n * (n % 2 ? 0.8 : 0.9));
		});
	});

	it('groups items by flow when the flow is an expression', async () => {
		const parameters = { ...invokeWithJson('x', '={{ JSON.stringify($json.inputs) }}'), flow: byName('={{ $json.flow }}') };
		const result = await fixture.run(parameters, [
			{ flow: 'Calculate_Discount', inputs: { amount: 100, customerTier: 'Gold' } },
			{ flow: 'acme__Normalize_Phone', inputs: { phone: '01 23' } },
			{ flow: 'Calculate_Discount', inputs: { amount: 10 } },
		]);
		expect(result.items.map((item) => [item.pairedItem, item.json.flowApiName])).toEqual([
			[{ item: 0 }, 'Calculate_Discount'], [{ item: 1 }, 'acme__Normalize_Phone'], [{ item: 2 }, 'Calculate_Discount'],
		]);
		expect(result.items[2].json.finalAmount).toBe(10);
		expect(callsTo(INVOCATIONS)).toBe(2);
	});
});

describe('lost answers', () => {
	const followUps = (count: number) => contactIds().slice(0, 1).flatMap((whoId) => Array.from({ length: count }, (_, n) => ({ whoId, subject: `Lost ${count}-${n}` })));
	const createTasks = (options: INodeParameters = {}) => invokeWithPairs('Create_Follow_Up_Task', { whoId: '={{ $json.whoId }}', subject: '={{ $json.subject }}' }, options);

	it('the items of a call whose answer was lost are OUTCOME_UNKNOWN (their interviews ran), the other calls’ items succeed', async () => {
		fixture.emulator.faults.inject({ kind: 'dropAfter', method: 'POST', path: '/actions/custom/flow/', nth: 2 });
		const input = followUps(450);
		const result = await fixture.run(createTasks(), input, 'continueRegularOutput');
		expect(result.items).toHaveLength(450);
		result.items.forEach((item, n) => {
			expect(item.pairedItem).toEqual({ item: n });
			if (n >= 200 && n < 400) {
				expect(item.json).toMatchObject({ errorCode: 'OUTCOME_UNKNOWN', outcome: 'unknown' });
				expect(item.json.error).toBe(`OUTCOME_UNKNOWN: The connection closed before Salesforce answered, so the run of flow Create_Follow_Up_Task may or may not have been saved (item ${n})`);
			} else expect(item.json.taskId).toBeTruthy();
		});
		expect(fixture.emulator.store.all('Task').filter((task) => String(task.Subject).startsWith('Lost 450-'))).toHaveLength(450);
		expect(callsTo(INVOCATIONS)).toBe(3);
	});

	it('without Continue On Fail, the node stops with OUTCOME_UNKNOWN, saying how to check', async () => {
		fixture.emulator.faults.inject({ kind: 'dropAfter', method: 'POST', path: '/actions/custom/flow/' });
		const result = await fixture.run(createTasks(), followUps(2));
		expect(result.error?.message).toBe('OUTCOME_UNKNOWN: The connection closed before Salesforce answered, so the run of flow Create_Follow_Up_Task may or may not have been saved (item 0)');
		expect((result.error as { description?: string }).description).toMatch(/Running the item again runs the flow again/);
	});

	it('an invocation that times out is OUTCOME_UNKNOWN, naming the Timeout option', async () => {
		fixture.emulator.faults.inject({ kind: 'hang', method: 'POST', path: '/actions/custom/flow/' });
		const result = await fixture.run(createTasks({ timeout: 1 }), followUps(1), 'continueRegularOutput');
		expect(result.items[0].json).toMatchObject({ errorCode: 'OUTCOME_UNKNOWN', outcome: 'unknown' });
		expect(result.items[0].json.error).toMatch(/^OUTCOME_UNKNOWN: Salesforce did not answer within 1 s \(option Timeout\)/);
	});

	it('an invocation Salesforce did not carry out (503 SERVER_UNAVAILABLE) is sent again; a lost describe is read again', async () => {
		fixture.emulator.faults.inject({ kind: 'error', status: 503, errorCode: 'SERVER_UNAVAILABLE', method: 'POST', path: '/actions/custom/flow/' });
		fixture.emulator.faults.inject({ kind: 'dropAfter', method: 'GET', path: '/actions/custom/flow/' });
		const result = await fixture.run(discountPairs, [{ amount: 100, tier: 'Gold' }]);
		expect(result.error).toBeUndefined();
		expect(result.items[0].json.finalAmount).toBe(80);
		expect(callsTo(INVOCATIONS)).toBe(2);
		expect(callsTo(DESCRIBES)).toBe(2);
	});
});
