// n8n's built-in Salesforce node (n8n-nodes-base.salesforce, unmodified) and ours, side by side in one running
// n8n on the same emulator, beyond leads: Account, Case, Task, a custom object (Project__c: the built-in node's
// Custom Object resource, our Any Object) and SOQL queries (both nodes' Search resource). Each scenario runs once
// per node on the same input: the records both leave in the emulator must agree field by field, reads must return
// the same data, and a table of the API calls of each (the emulator's request log) is printed.
//
// Every scenario is a workflow started by a production webhook (the IDs it works on travel in the request body),
// so one n8n process serves all 48 runs; `n8n execute` starts a process per run (≈12 s each here).
import { afterAll, describe, expect, it } from 'vitest';

import type { RequestCounts } from '../emulator/index.ts';
import {
	BUILTIN_CREDENTIAL_TYPE,
	BUILTIN_NODE_TYPE,
	NODE_TYPE,
	ROWS_NODE,
	appCredential,
	builtinCredential,
	callWebhook,
	importCredentials,
	importWorkflows,
	useN8n,
	webhookWorkflow,
} from './support.ts';

type Row = Record<string, any>;
type Node = Parameters<typeof webhookWorkflow>[2][number];
type Side = 'builtin' | 'ours';
const SIDES: Side[] = ['builtin', 'ours'];

const N = 50;
const OUR_CREDENTIAL = 'e2eObjectsOurs01';
const BUILTIN_CREDENTIAL = 'e2eObjectsBuilt1';
/** Fields that differ between two records written alike: identity, timestamps, auto-numbers. */
const VOLATILE = new Set(['Id', 'CreatedDate', 'LastModifiedDate', 'SystemModstamp', 'CaseNumber', 'External_Id__c']);

/** The built-in node (its newest version, 1.1, what a new workflow gets); its credential is added with the workflow. */
const builtin = (resource: string, operation: string, parameters: Record<string, unknown>): Node => ({
	name: 'Node',
	type: BUILTIN_NODE_TYPE,
	typeVersion: 1.1,
	parameters: { authentication: 'oAuth2', resource, operation, ...parameters },
});
/** Ours, node version 2 (what a new workflow gets). */
const ours = (resource: string, operation: string, parameters: Record<string, unknown> = {}): Node => ({
	name: 'Node',
	type: NODE_TYPE,
	typeVersion: 2,
	parameters: { resource, operation, ...parameters },
});
const PROJECT = { sobject: { __rl: true, mode: 'name', value: 'Project__c' } };
const byId = { recordId: { __rl: true, mode: 'id', value: '={{ $json.Id }}' } };
const asJson = (expression: string) => ({ dataMode: 'json', recordJson: `={{ JSON.stringify(${expression}) }}` });
/** Our Get Many: a condition, the given fields, every page. */
const ourGetMany = (field: string, value: string, fields: string[]) => ({
	queryMode: 'build',
	filterGroups: { groups: [{ combinator: 'AND', conditions: { condition: [{ field, operator: 'equal', value }] } }] },
	fieldSet: 'selected',
	fields,
	returnAll: true,
});
/** The built-in node's Get Many: a condition, the given fields, every page. */
const builtinGetMany = (field: string, value: string, fields: string[] | string) => ({
	returnAll: true,
	options: { fields, conditionsUi: { conditionValues: [{ field, operation: 'equal', value }] } },
});
/** `={{ $json.<field> }}` for each field of the built-in node's parameters. */
const fromRow = (fields: Record<string, string>) => Object.fromEntries(Object.entries(fields).map(([parameter, field]) => [parameter, `={{ $json.${field} }}`]));
const customFields = (fields: string[]) => ({ customFieldsValues: fields.map((fieldId) => ({ fieldId, value: `={{ $json.${fieldId} }}` })) });

// The data: the same rows for both nodes (the custom object's external IDs excepted, which must be unique).
const ACCOUNT_FIELDS = ['Name', 'Type', 'Industry', 'BillingCity', 'Phone', 'NumberOfEmployees'];
const accountRows = Array.from({ length: N }, (_, i) => ({
	Name: `Side Account ${i}`,
	Type: ['Prospect', 'Customer - Direct', 'Other'][i % 3],
	Industry: ['Energy', 'Banking', 'Media', 'Retail', 'Education'][i % 5],
	BillingCity: ['Paris', 'Lagos', 'Lima', 'Osaka'][i % 4],
	Phone: `+1 555 01${String(i).padStart(2, '0')}`,
	NumberOfEmployees: 10 * i + 1,
}));
const CASE_FIELDS = ['Type', 'Subject', 'Status', 'Priority', 'Origin', 'AccountId'];
const caseRows = (accountId: string) =>
	Array.from({ length: N }, (_, i) => ({
		Type: ['Mechanical', 'Electrical', 'Other'][i % 3],
		Subject: `Side case ${i}`,
		Status: 'New',
		Priority: ['High', 'Medium', 'Low'][i % 3],
		Origin: ['Phone', 'Email', 'Web'][i % 3],
		AccountId: accountId,
	}));
const TASK_FIELDS = ['Status', 'Subject', 'Priority', 'ActivityDate', 'Description', 'WhatId'];
const taskRows = (whatId: string) =>
	Array.from({ length: N }, (_, i) => ({
		Status: ['Not Started', 'In Progress', 'Completed'][i % 3],
		Subject: `Side task ${i}`,
		Priority: ['High', 'Normal', 'Low'][i % 3],
		ActivityDate: `2026-03-${String((i % 28) + 1).padStart(2, '0')}`,
		Description: `Call back about item ${i}`,
		WhatId: whatId,
	}));
const PROJECT_FIELDS = ['Name', 'Status__c', 'Budget__c', 'Start_Date__c', 'Account__c', 'External_Id__c'];
const projectRows = (side: Side, accountId: string, from = 0, count = N) =>
	Array.from({ length: count }, (_, n) => {
		const i = from + n;
		return {
			Name: `Side Project ${String(i).padStart(3, '0')}`,
			Status__c: ['Planned', 'Active', 'Done'][i % 3],
			Budget__c: 1000 * (i + 1) + 0.5,
			Start_Date__c: `2026-04-${String((i % 28) + 1).padStart(2, '0')}`,
			Account__c: accountId,
			External_Id__c: `${side}-${i}`,
		};
	});

/** A scenario: the node each side runs (after the webhook and the Rows node), and the table's label. */
interface Scenario {
	label: string;
	builtin: Node;
	ours: Node;
}
const SCENARIOS = {
	accountCreate: {
		label: `Account: create ${N}`,
		builtin: builtin('account', 'create', {
			name: '={{ $json.Name }}',
			additionalFields: fromRow({ type: 'Type', industry: 'Industry', billingCity: 'BillingCity', phone: 'Phone', numberOfEmployees: 'NumberOfEmployees' }),
		}),
		ours: ours('account', 'create', asJson('$json')),
	},
	accountGet: {
		label: 'Account: get one',
		builtin: builtin('account', 'get', { accountId: '={{ $json.Id }}' }),
		ours: ours('account', 'get', byId),
	},
	accountGetAll: {
		label: 'Account: get many, filtered',
		builtin: builtin('account', 'getAll', builtinGetMany('Industry', 'Energy', ['Id', ...ACCOUNT_FIELDS].join(','))),
		ours: ours('account', 'getAll', ourGetMany('Industry', 'Energy', ACCOUNT_FIELDS)),
	},
	accountUpdate: {
		label: `Account: update ${N}`,
		builtin: builtin('account', 'update', {
			accountId: '={{ $json.Id }}',
			updateFields: fromRow({ description: 'Description', numberOfEmployees: 'NumberOfEmployees' }),
		}),
		ours: ours('account', 'update', { ...byId, ...asJson('{ Description: $json.Description, NumberOfEmployees: $json.NumberOfEmployees }') }),
	},
	caseCreate: {
		label: `Case: create ${N}`,
		builtin: builtin('case', 'create', {
			type: '={{ $json.Type }}',
			additionalFields: fromRow({ subject: 'Subject', status: 'Status', priority: 'Priority', origin: 'Origin', accountId: 'AccountId' }),
		}),
		ours: ours('case', 'create', asJson('$json')),
	},
	caseGet: {
		label: 'Case: get one',
		builtin: builtin('case', 'get', { caseId: '={{ $json.Id }}' }),
		ours: ours('case', 'get', byId),
	},
	caseGetAll: {
		label: 'Case: get many, filtered',
		builtin: builtin('case', 'getAll', builtinGetMany('Priority', 'High', ['Id', 'CaseNumber', 'IsClosed', ...CASE_FIELDS].join(','))),
		ours: ours('case', 'getAll', ourGetMany('Priority', 'High', ['CaseNumber', 'IsClosed', ...CASE_FIELDS])),
	},
	caseUpdate: {
		label: `Case: update ${N}`,
		builtin: builtin('case', 'update', { caseId: '={{ $json.Id }}', updateFields: fromRow({ status: 'Status', description: 'Description' }) }),
		ours: ours('case', 'update', { ...byId, ...asJson('{ Status: $json.Status, Description: $json.Description }') }),
	},
	caseComment: {
		label: `Case: add comment ×${N}`,
		builtin: builtin('case', 'addComment', { caseId: '={{ $json.Id }}', options: { commentBody: '={{ $json.Comment }}', isPublished: true } }),
		ours: ours('case', 'addComment', { ...byId, commentBody: '={{ $json.Comment }}', options: { isPublished: true } }),
	},
	taskCreate: {
		label: `Task: create ${N}`,
		builtin: builtin('task', 'create', {
			status: '={{ $json.Status }}',
			additionalFields: fromRow({ subject: 'Subject', priority: 'Priority', activityDate: 'ActivityDate', description: 'Description', whatId: 'WhatId' }),
		}),
		ours: ours('task', 'create', asJson('$json')),
	},
	taskGet: {
		label: 'Task: get one',
		builtin: builtin('task', 'get', { taskId: '={{ $json.Id }}' }),
		ours: ours('task', 'get', byId),
	},
	taskGetAll: {
		label: 'Task: get many, filtered',
		builtin: builtin('task', 'getAll', builtinGetMany('Status', 'Completed', ['Id', ...TASK_FIELDS].join(','))),
		ours: ours('task', 'getAll', ourGetMany('Status', 'Completed', TASK_FIELDS)),
	},
	taskUpdate: {
		label: `Task: update ${N}`,
		builtin: builtin('task', 'update', { taskId: '={{ $json.Id }}', updateFields: fromRow({ status: 'Status', priority: 'Priority' }) }),
		ours: ours('task', 'update', { ...byId, ...asJson('{ Status: $json.Status, Priority: $json.Priority }') }),
	},
	projectCreate: {
		label: `Project__c: create ${N}`,
		builtin: builtin('customObject', 'create', { customObject: 'Project__c', customFieldsUi: customFields(PROJECT_FIELDS) }),
		ours: ours('anyObject', 'create', { ...PROJECT, ...asJson('$json') }),
	},
	projectGet: {
		label: 'Project__c: get one',
		builtin: builtin('customObject', 'get', { customObject: 'Project__c', recordId: '={{ $json.Id }}' }),
		ours: ours('anyObject', 'get', { ...PROJECT, ...byId }),
	},
	projectGetAll: {
		label: 'Project__c: get many, filtered',
		builtin: builtin('customObject', 'getAll', { customObject: 'Project__c', ...builtinGetMany('Status__c', 'Active', ['Id', ...PROJECT_FIELDS]) }),
		ours: ours('anyObject', 'getAll', { ...PROJECT, ...ourGetMany('Status__c', 'Active', PROJECT_FIELDS) }),
	},
	projectUpdate: {
		label: `Project__c: update ${N}`,
		builtin: builtin('customObject', 'update', {
			customObject: 'Project__c',
			recordId: '={{ $json.Id }}',
			customFieldsUi: customFields(['Budget__c', 'Status__c']),
		}),
		ours: ours('anyObject', 'update', { ...PROJECT, ...byId, ...asJson('{ Budget__c: $json.Budget__c, Status__c: $json.Status__c }') }),
	},
	projectUpsert: {
		label: `Project__c: upsert ${N} (½ new)`,
		builtin: builtin('customObject', 'upsert', {
			customObject: 'Project__c',
			externalId: 'External_Id__c',
			externalIdValue: '={{ $json.External_Id__c }}',
			customFieldsUi: customFields(PROJECT_FIELDS),
		}),
		ours: ours('anyObject', 'upsert', { ...PROJECT, externalIdField: 'External_Id__c', ...asJson('$json') }),
	},
	soqlParent: {
		label: 'SOQL: query with parent fields',
		builtin: builtin('search', 'query', { query: '={{ $json.soql }}' }),
		ours: ours('search', 'query', { query: '={{ $json.soql }}', returnAll: true }),
	},
	soqlChildren: {
		label: 'SOQL: query with a subquery',
		builtin: builtin('search', 'query', { query: '={{ $json.soql }}' }),
		ours: ours('search', 'query', { query: '={{ $json.soql }}', returnAll: true }),
	},
	accountDelete: {
		label: `Account: delete ${N}`,
		builtin: builtin('account', 'delete', { accountId: '={{ $json.Id }}' }),
		ours: ours('account', 'delete', byId),
	},
	caseDelete: {
		label: `Case: delete ${N}`,
		builtin: builtin('case', 'delete', { caseId: '={{ $json.Id }}' }),
		ours: ours('case', 'delete', byId),
	},
	taskDelete: {
		label: `Task: delete ${N}`,
		builtin: builtin('task', 'delete', { taskId: '={{ $json.Id }}' }),
		ours: ours('task', 'delete', byId),
	},
	projectDelete: {
		label: `Project__c: delete ${N * 1.5}`,
		builtin: builtin('customObject', 'delete', { customObject: 'Project__c', recordId: '={{ $json.Id }}' }),
		ours: ours('anyObject', 'delete', { ...PROJECT, ...byId }),
	},
} satisfies Record<string, Scenario>;
type ScenarioKey = keyof typeof SCENARIOS;

const path = (key: ScenarioKey, side: Side) => `side-by-side-${key}-${side}`;

const callTable: Array<{ label: string } & Record<Side, RequestCounts>> = [];

/** Runs a scenario on both sides, each with its rows; returns the JSON items each node returned. */
async function runBoth(key: ScenarioKey, rows: Record<Side, Row[]>): Promise<Record<Side, Row[]>> {
	const outputs = {} as Record<Side, Row[]>;
	const calls = {} as Record<Side, RequestCounts>;
	for (const side of SIDES) {
		live.emulator.requests.reset();
		const result = await callWebhook(live.n8n.url, path(key, side), { rows: rows[side] });
		calls[side] = live.emulator.requests.counts();
		expect(result.status, `${key} (${side}): ${result.text}\n${live.n8n.logs().slice(-3000)}`).toBe(200);
		outputs[side] = result.items;
	}
	callTable.push({ label: SCENARIOS[key].label, ...calls });
	return outputs;
}
const same = (rows: Row[]): Record<Side, Row[]> => ({ builtin: rows, ours: rows });
const lastCalls = () => callTable.at(-1)!;

/** Salesforce's `attributes` (type and URL) removed at every level: the built-in node keeps them, ours does not. */
function withoutAttributes(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(withoutAttributes);
	if (value === null || typeof value !== 'object') return value;
	return Object.fromEntries(Object.entries(value).filter(([key]) => key !== 'attributes').map(([key, field]) => [key, withoutAttributes(field)]));
}
const pick = (record: Row | undefined, fields: readonly string[]) => Object.fromEntries(fields.map((f) => [f, record?.[f] ?? null]));
const stable = (record: Row) => Object.fromEntries(Object.entries(withoutAttributes(record) as Row).filter(([key]) => !VOLATILE.has(key)));
const byIdOrder = (records: Row[]) => [...records].map(withoutAttributes).sort((a: any, b: any) => String(a.Id).localeCompare(String(b.Id)));

/** The IDs each side's create returned (the built-in node answers `{ id, success, errors }`, ours the record with `Id`). */
function createdIds(out: Record<Side, Row[]>): Record<Side, string[]> {
	const ids = { builtin: out.builtin.map((r) => r.id as string), ours: out.ours.map((r) => r.Id as string) };
	for (const side of SIDES) {
		expect(ids[side]).toHaveLength(N);
		for (const id of ids[side]) expect(id).toMatch(/^[a-zA-Z0-9]{18}$/);
	}
	expect(out.builtin.every((r) => r.success === true)).toBe(true);
	return ids;
}

/** Both sides' records in the emulator, pair by pair: equal on `fields` (and equal to `expected` when given). */
function expectSameRecords(sobject: string, ids: Record<Side, string[]>, fields: readonly string[], expected?: (i: number) => Row) {
	for (let i = 0; i < ids.builtin.length; i++) {
		const builtinRecord = pick(live.emulator.store.get(sobject, ids.builtin[i]), fields);
		if (expected) expect(builtinRecord).toEqual(pick(expected(i), fields));
		expect(pick(live.emulator.store.get(sobject, ids.ours[i]), fields)).toEqual(builtinRecord);
	}
}

/** Get one: the built-in node reads the record by REST, ours by SOQL; the same fields with the same values. */
function expectSameRecord(out: Record<Side, Row[]>, ids: Record<Side, string>) {
	expect(out.builtin).toHaveLength(1);
	expect(out.ours).toHaveLength(1);
	expect(out.builtin[0].Id).toBe(ids.builtin);
	expect(out.ours[0].Id).toBe(ids.ours);
	expect(Object.keys(out.ours[0]).sort()).toEqual(Object.keys(withoutAttributes(out.builtin[0]) as Row).sort());
	expect(stable(out.ours[0])).toEqual(stable(out.builtin[0]));
}

/**
 * Get many with `field = value`: both nodes return every live record that matches (the seed data's too), among them
 * the records both sides created (`created`), the same records field by field.
 */
function expectSameList(out: Record<Side, Row[]>, sobject: string, [field, value]: [string, unknown], created: string[]) {
	const matching = live.emulator.store.all(sobject).filter((record) => record[field] === value).map((record) => record.Id as string);
	expect(matching).toEqual(expect.arrayContaining(created));
	expect(out.builtin.map((r) => r.Id).sort()).toEqual(matching.sort());
	expect(byIdOrder(out.ours)).toEqual(byIdOrder(out.builtin));
}

/**
 * A batch write: the built-in node calls once per item, ours once per 200, plus a describe when not cached and, on
 * the credential's first use, the call through which n8n fetched the first token.
 */
function expectBatched(items = N) {
	const { builtin: b, ours: o } = lastCalls();
	expect(b.data).toBe(items);
	expect(o.data - o.token).toBeLessThanOrEqual(Math.ceil(items / 200) + 1);
}

let workflows: Array<ReturnType<typeof webhookWorkflow>> = [];
const live = useN8n('n8n-e2e-objects-', {
	prepare: async ({ emulator, folder }) => {
		const credential = await builtinCredential(BUILTIN_CREDENTIAL, emulator.url);
		await importCredentials(folder.userFolder, [credential, appCredential(OUR_CREDENTIAL, emulator.url)]);
		const builtinCredentials = { [BUILTIN_CREDENTIAL_TYPE]: { id: credential.id, name: credential.name } };
		workflows = (Object.keys(SCENARIOS) as ScenarioKey[]).flatMap((key, n) =>
			SIDES.map((side) => {
				const node = side === 'builtin' ? { ...SCENARIOS[key].builtin, credentials: builtinCredentials } : SCENARIOS[key].ours;
				return webhookWorkflow(`e2eObj${side[0]}${String(n).padStart(9, '0')}`, path(key, side), [ROWS_NODE, node], { id: OUR_CREDENTIAL });
			}),
		);
		await importWorkflows(folder.userFolder, workflows);
	},
	started: async ({ rest }) => {
		for (const workflow of workflows) await rest.activateWorkflow(workflow.id);
	},
});

describe("the built-in Salesforce node and ours on accounts, cases, tasks, a custom object and SOQL", () => {
	const acme = () => live.emulator.store.all('Account').find((a) => a.Name === 'Acme Corp')!.Id as string;
	const ids = {} as Record<'account' | 'case' | 'task' | 'project', Record<Side, string[]>>;

	afterAll(() => {
		if (!callTable.length) return;
		const cell = (c: RequestCounts) => `${c.data}${c.token ? ` + ${c.token} token` : ''}`.padEnd(16);
		const routes = (c: RequestCounts) =>
			Object.entries(c.byRoute)
				.filter(([route]) => !route.includes('oauth2'))
				.map(([route, n]) => `${route.replace('/services/data/v{version}', '')}${n > 1 ? ` ×${n}` : ''}`)
				.join(', ');
		console.log(
			[
				`API calls per scenario (emulator request log), ${N} items where the scenario takes items; the describe our node reads is shared for 10 minutes:`,
				`${'scenario'.padEnd(34)}${'built-in'.padEnd(16)}${'ours'.padEnd(16)}built-in routes | our routes`,
				...callTable.map((row) => `${row.label.padEnd(34)}${cell(row.builtin)}${cell(row.ours)}${routes(row.builtin)} | ${routes(row.ours)}`),
			].join('\n'),
		);
	});

	describe('Account', () => {
		it(`create ${N}: the same records`, async () => {
			ids.account = createdIds(await runBoth('accountCreate', same(accountRows)));
			expectSameRecords('Account', ids.account, ACCOUNT_FIELDS, (i) => accountRows[i]);
			expectBatched();
		});

		it('get one: the same fields and values', async () => {
			const out = await runBoth('accountGet', { builtin: [{ Id: ids.account.builtin[3] }], ours: [{ Id: ids.account.ours[3] }] });
			expectSameRecord(out, { builtin: ids.account.builtin[3], ours: ids.account.ours[3] });
			expect(pick(out.ours[0], ACCOUNT_FIELDS)).toEqual(accountRows[3]);
		});

		it("get many with a filter (Industry = 'Energy'): the same records", async () => {
			const out = await runBoth('accountGetAll', same([{}]));
			const energy = accountRows.flatMap((row, i) => (row.Industry === 'Energy' ? [ids.account.builtin[i], ids.account.ours[i]] : []));
			expect(energy).toHaveLength((2 * N) / 5);
			expectSameList(out, 'Account', ['Industry', 'Energy'], energy);
		});

		it(`update ${N}: the same values written`, async () => {
			const changes = (side: Side) => ids.account[side].map((Id, i) => ({ Id, Description: `Key account ${i}`, NumberOfEmployees: 7 * i }));
			await runBoth('accountUpdate', { builtin: changes('builtin'), ours: changes('ours') });
			expectSameRecords('Account', ids.account, [...ACCOUNT_FIELDS, 'Description'], (i) => ({
				...accountRows[i],
				Description: `Key account ${i}`,
				NumberOfEmployees: 7 * i,
			}));
			expectBatched();
		});
	});

	describe('Case', () => {
		it(`create ${N}: the same records`, async () => {
			const rows = caseRows(acme());
			ids.case = createdIds(await runBoth('caseCreate', same(rows)));
			expectSameRecords('Case', ids.case, [...CASE_FIELDS, 'IsClosed'], (i) => ({ ...rows[i], IsClosed: false }));
			expectBatched();
		});

		it('get one: the same fields and values', async () => {
			const out = await runBoth('caseGet', { builtin: [{ Id: ids.case.builtin[0] }], ours: [{ Id: ids.case.ours[0] }] });
			expectSameRecord(out, { builtin: ids.case.builtin[0], ours: ids.case.ours[0] });
			expect(out.ours[0].CaseNumber).toMatch(/^\d{8}$/);
		});

		it("get many with a filter (Priority = 'High'): the same records", async () => {
			const out = await runBoth('caseGetAll', same([{}]));
			const high = caseRows(acme()).flatMap((row, i) => (row.Priority === 'High' ? [ids.case.builtin[i], ids.case.ours[i]] : []));
			expectSameList(out, 'Case', ['Priority', 'High'], high);
		});

		it(`update ${N} (half of them closed): the same values, and Salesforce closes the same cases`, async () => {
			const status = (i: number) => (i % 2 ? 'Working' : 'Closed');
			const changes = (side: Side) => ids.case[side].map((Id, i) => ({ Id, Status: status(i), Description: `Resolution ${i}` }));
			await runBoth('caseUpdate', { builtin: changes('builtin'), ours: changes('ours') });
			expectSameRecords('Case', ids.case, ['Status', 'Description', 'IsClosed'], (i) => ({
				Status: status(i),
				Description: `Resolution ${i}`,
				IsClosed: status(i) === 'Closed',
			}));
			for (const side of SIDES) expect(live.emulator.store.get('Case', ids.case[side][0])?.ClosedDate).toBeTruthy();
			expectBatched();
		});

		it(`add a comment to each of ${N} cases: the same case comments`, async () => {
			const comments = (side: Side) => ids.case[side].map((Id, i) => ({ Id, Comment: `Called the customer (${i})` }));
			await runBoth('caseComment', { builtin: comments('builtin'), ours: comments('ours') });
			const commentsOf = (caseId: string) =>
				live.emulator.store.all('CaseComment').filter((c) => c.ParentId === caseId).map((c) => pick(c, ['CommentBody', 'IsPublished']));
			for (let i = 0; i < N; i++) {
				expect(commentsOf(ids.case.builtin[i])).toEqual([{ CommentBody: `Called the customer (${i})`, IsPublished: true }]);
				expect(commentsOf(ids.case.ours[i])).toEqual(commentsOf(ids.case.builtin[i]));
			}
			expectBatched();
		});
	});

	describe('Task', () => {
		it(`create ${N}: the same records`, async () => {
			const rows = taskRows(acme());
			ids.task = createdIds(await runBoth('taskCreate', same(rows)));
			expectSameRecords('Task', ids.task, TASK_FIELDS, (i) => rows[i]);
			expectBatched();
		});

		it('get one: the same fields and values', async () => {
			const out = await runBoth('taskGet', { builtin: [{ Id: ids.task.builtin[5] }], ours: [{ Id: ids.task.ours[5] }] });
			expectSameRecord(out, { builtin: ids.task.builtin[5], ours: ids.task.ours[5] });
		});

		it("get many with a filter (Status = 'Completed'): the same records", async () => {
			const out = await runBoth('taskGetAll', same([{}]));
			const completed = taskRows(acme()).flatMap((row, i) => (row.Status === 'Completed' ? [ids.task.builtin[i], ids.task.ours[i]] : []));
			expectSameList(out, 'Task', ['Status', 'Completed'], completed);
		});

		it(`update ${N}: the same values written`, async () => {
			const changes = (side: Side) => ids.task[side].map((Id) => ({ Id, Status: 'Completed', Priority: 'Low' }));
			await runBoth('taskUpdate', { builtin: changes('builtin'), ours: changes('ours') });
			const rows = taskRows(acme());
			expectSameRecords('Task', ids.task, TASK_FIELDS, (i) => ({ ...rows[i], Status: 'Completed', Priority: 'Low' }));
			expectBatched();
		});
	});

	describe("Project__c (the built-in node's Custom Object, our Any Object)", () => {
		const others = PROJECT_FIELDS.filter((f) => f !== 'External_Id__c');

		it(`create ${N}: the same records`, async () => {
			const rows = (side: Side) => projectRows(side, acme());
			ids.project = createdIds(await runBoth('projectCreate', { builtin: rows('builtin'), ours: rows('ours') }));
			expectSameRecords('Project__c', ids.project, others, (i) => rows('builtin')[i]);
			for (const side of SIDES) expect(live.emulator.store.get('Project__c', ids.project[side][9])?.External_Id__c).toBe(`${side}-9`);
			expectBatched();
		});

		it('get one: the same fields and values', async () => {
			const out = await runBoth('projectGet', { builtin: [{ Id: ids.project.builtin[1] }], ours: [{ Id: ids.project.ours[1] }] });
			expectSameRecord(out, { builtin: ids.project.builtin[1], ours: ids.project.ours[1] });
			expect(out.ours[0]).toMatchObject({ Name: 'Side Project 001', Budget__c: 2000.5, Account__c: acme() });
		});

		it("get many with a filter (Status__c = 'Active'): the same records", async () => {
			const out = await runBoth('projectGetAll', same([{}]));
			const active = projectRows('builtin', acme()).flatMap((row, i) => (row.Status__c === 'Active' ? [ids.project.builtin[i], ids.project.ours[i]] : []));
			expectSameList(out, 'Project__c', ['Status__c', 'Active'], active);
		});

		it(`update ${N}: the same values written`, async () => {
			const changes = (side: Side) => ids.project[side].map((Id, i) => ({ Id, Budget__c: 99 * i, Status__c: 'Active' }));
			await runBoth('projectUpdate', { builtin: changes('builtin'), ours: changes('ours') });
			expectSameRecords('Project__c', ids.project, others, (i) => ({ ...projectRows('builtin', acme())[i], Budget__c: 99 * i, Status__c: 'Active' }));
			expectBatched();
		});

		it(`upsert ${N} by External_Id__c, half of them new: the same records updated and created`, async () => {
			// External IDs N/2 … 3N/2 - 1: the first half exist (created above), the second half are new.
			const rows = (side: Side) => projectRows(side, acme(), N / 2, N).map((row) => ({ ...row, Status__c: 'Done' }));
			const out = await runBoth('projectUpsert', { builtin: rows('builtin'), ours: rows('ours') });
			for (const side of SIDES) {
				expect(out[side]).toHaveLength(N);
				expect(out[side].map((r) => r.created)).toEqual(rows(side).map((_, n) => n >= N / 2));
			}
			const upserted = { builtin: out.builtin.map((r) => r.id as string), ours: out.ours.map((r) => r.Id as string) };
			expect(upserted.builtin.slice(0, N / 2)).toEqual(ids.project.builtin.slice(N / 2));
			expect(upserted.ours.slice(0, N / 2)).toEqual(ids.project.ours.slice(N / 2));
			expectSameRecords('Project__c', upserted, others, (n) => rows('builtin')[n]);
			ids.project = { builtin: [...ids.project.builtin, ...upserted.builtin.slice(N / 2)], ours: [...ids.project.ours, ...upserted.ours.slice(N / 2)] };
			expectBatched();
		});
	});

	describe("SOQL query (both nodes' Search resource)", () => {
		it('a query with parent fields: the same rows', async () => {
			const soql = "SELECT Id, Name, Status__c, Budget__c, Start_Date__c, Account__r.Name, External_Id__c FROM Project__c WHERE Name LIKE 'Side Project %' ORDER BY Name, Id";
			const out = await runBoth('soqlParent', same([{ soql }]));
			expect(out.builtin).toHaveLength(2 * N * 1.5);
			expect(out.builtin[0]).toMatchObject({ Name: 'Side Project 000', Account__r: { Name: 'Acme Corp' } });
			expect(out.ours).toEqual(withoutAttributes(out.builtin));
			expect(lastCalls().builtin.data).toBe(1);
			expect(lastCalls().ours.data).toBe(1);
		});

		it('a query with a child subquery: the same rows', async () => {
			const soql = `SELECT Id, Name, (SELECT Id, Subject, Status, IsClosed FROM Cases ORDER BY Subject) FROM Account WHERE Id = '${acme()}'`;
			const out = await runBoth('soqlChildren', same([{ soql }]));
			expect(out.builtin).toHaveLength(1);
			expect(out.builtin[0].Cases.records.length).toBeGreaterThanOrEqual(2 * N);
			expect(out.ours).toEqual(withoutAttributes(out.builtin));
		});
	});

	describe('delete', () => {
		const cases: Array<[ScenarioKey, 'account' | 'case' | 'task' | 'project', string]> = [
			['caseDelete', 'case', 'Case'],
			['taskDelete', 'task', 'Task'],
			['projectDelete', 'project', 'Project__c'],
			['accountDelete', 'account', 'Account'],
		];
		it.each(cases)('%s: every record in the Recycle Bin on both sides', async (key, name, sobject) => {
			const rows = (side: Side) => ids[name][side].map((Id) => ({ Id }));
			await runBoth(key, { builtin: rows('builtin'), ours: rows('ours') });
			for (const side of SIDES) {
				for (const id of ids[name][side]) expect(live.emulator.store.get(sobject, id), `${sobject} ${id}`).toMatchObject({ IsDeleted: true });
			}
			if (name === 'case') {
				const all = new Set([...ids.case.builtin, ...ids.case.ours]);
				expect(live.emulator.store.all('CaseComment').filter((c) => all.has(c.ParentId as string))).toEqual([]);
			}
			expectBatched(ids[name].builtin.length);
		});
	});
});
