// Emulator fidelity with a client nobody here wrote: n8n's built-in Salesforce node (n8n-nodes-base.salesforce),
// unmodified, in a real n8n process, creates, reads and lists leads against the emulator. Then the same lead
// scenarios run side by side with the built-in node and ours (create N, get, get many with a filter, update N,
// delete N): both must leave the same data in the emulator, and a table of API calls per scenario is printed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startEmulator, type Emulator, type RequestCounts } from '../emulator/index.ts';
import {
	BUILTIN_CREDENTIAL_TYPE,
	BUILTIN_NODE_TYPE,
	NODE_TYPE,
	appCredential,
	builtinCredential,
	executeWorkflow,
	importCredentials,
	importWorkflows,
	itemsNode,
	linearWorkflow,
	nodeOutput,
	preparedUserFolder,
} from './support.ts';

const OUR_CREDENTIAL = 'e2eSideBySide001';
const N = 200;
/** Lead fields both nodes can set; records are compared on these. */
const SHARED_FIELDS = ['LastName', 'FirstName', 'Company', 'Email', 'City'] as const;
const rows = Array.from({ length: N }, (_, i) => ({
	LastName: `Side ${i}`,
	FirstName: `Row${i}`,
	Company: `Side Co ${i % 7}`,
	Email: `side${i}@example.com`,
	City: ['Paris', 'Lagos', 'Lima'][i % 3],
}));

let emulator: Emulator;
let folder: Awaited<ReturnType<typeof preparedUserFolder>>;
let credentials: Record<string, { id: string; name: string }>;
let salesforce: (name: string, parameters: Record<string, unknown>, extra?: Record<string, unknown>) => Node;

type Node = Parameters<typeof linearWorkflow>[1][number];
const ours = (name: string, operation: string, parameters: Record<string, unknown>): Node => ({
	name,
	type: NODE_TYPE,
	parameters: { resource: 'lead', operation, ...parameters },
});
const byId = { __rl: true, mode: 'id', value: '={{ $json.Id }}' };
const recordJson = (expression: string) => ({ dataMode: 'json', recordJson: `={{ JSON.stringify(${expression}) }}` });
const ourWorkflow = (id: string, nodes: Node[]) => linearWorkflow(id, nodes, { id: OUR_CREDENTIAL });

/** The same scenario for both nodes; `ids` are the records each side created. */
const sideBySide = {
	create: {
		builtin: () =>
			linearWorkflow('sbsCreateBuiltin', [
				itemsNode('Rows', rows),
				salesforce('Node', {
					operation: 'create',
					lastname: '={{ $json.LastName }}',
					company: '={{ $json.Company }}',
					additionalFields: { firstname: '={{ $json.FirstName }}', email: '={{ $json.Email }}', city: '={{ $json.City }}' },
				}),
			]),
		ours: () => ourWorkflow('sbsCreateOurs001', [itemsNode('Rows', rows), ours('Node', 'create', recordJson('$json'))]),
	},
	get: {
		builtin: (ids: string[]) => linearWorkflow('sbsGetBuiltin001', [itemsNode('Rows', [{ Id: ids[0] }]), salesforce('Node', { operation: 'get', leadId: '={{ $json.Id }}' })]),
		ours: (ids: string[]) => ourWorkflow('sbsGetOurs000001', [itemsNode('Rows', [{ Id: ids[0] }]), ours('Node', 'get', { recordId: byId })]),
	},
	getAll: {
		builtin: () =>
			linearWorkflow('sbsGetAllBuiltin', [
				salesforce('Node', {
					operation: 'getAll',
					returnAll: true,
					options: { conditionsUi: { conditionValues: [{ field: 'LastName', operation: 'equal', value: 'Side 7' }] } },
				}),
			]),
		ours: () =>
			ourWorkflow('sbsGetAllOurs001', [
				ours('Node', 'getAll', {
					queryMode: 'build',
					filterGroups: { groups: [{ combinator: 'AND', conditions: { condition: [{ field: 'LastName', operator: 'equal', value: 'Side 7' }] } }] },
					returnAll: true,
				}),
			]),
	},
	update: {
		builtin: (ids: string[]) =>
			linearWorkflow('sbsUpdateBuiltin', [
				itemsNode('Rows', ids.map((Id, i) => ({ Id, Title: `Title ${i}` }))),
				salesforce('Node', { operation: 'update', leadId: '={{ $json.Id }}', updateFields: { title: '={{ $json.Title }}' } }),
			]),
		ours: (ids: string[]) =>
			ourWorkflow('sbsUpdateOurs001', [
				itemsNode('Rows', ids.map((Id, i) => ({ Id, Title: `Title ${i}` }))),
				ours('Node', 'update', { recordId: byId, ...recordJson('{ Title: $json.Title }') }),
			]),
	},
	delete: {
		builtin: (ids: string[]) =>
			linearWorkflow('sbsDeleteBuiltin', [itemsNode('Rows', ids.map((Id) => ({ Id }))), salesforce('Node', { operation: 'delete', leadId: '={{ $json.Id }}' })]),
		ours: (ids: string[]) => ourWorkflow('sbsDeleteOurs001', [itemsNode('Rows', ids.map((Id) => ({ Id }))), ours('Node', 'delete', { recordId: byId })]),
	},
};
type Side = 'builtin' | 'ours';
const SIDES: Side[] = ['builtin', 'ours'];
const created: Record<Side, string[]> = { builtin: [], ours: [] };
const callTable: Array<{ scenario: string } & Record<Side, RequestCounts>> = [];

async function runBoth(scenario: string, ids: Record<Side, string> | Record<Side, undefined>) {
	const outputs = {} as Record<Side, Array<Record<string, unknown>>>;
	const calls = {} as Record<Side, RequestCounts>;
	for (const side of SIDES) {
		emulator.requests.reset();
		const result = await executeWorkflow(folder.userFolder, ids[side] ?? '');
		calls[side] = emulator.requests.counts();
		expect(result.error, `${side}: ${result.stdout}`).toBeUndefined();
		outputs[side] = nodeOutput(result.run, 'Node');
	}
	callTable.push({ scenario, ...calls });
	return outputs;
}
const pick = (record: Record<string, unknown> | undefined, fields: readonly string[]) =>
	Object.fromEntries(fields.map((f) => [f, record?.[f] ?? null]));

beforeAll(async () => {
	emulator = await startEmulator({ port: 0 });
	folder = await preparedUserFolder('n8n-e2e-builtin-');

	const builtin = await builtinCredential('builtinSfCred001', emulator.url);
	await importCredentials(folder.userFolder, [builtin, appCredential(OUR_CREDENTIAL, emulator.url)]);
	credentials = { [BUILTIN_CREDENTIAL_TYPE]: { id: builtin.id, name: builtin.name } };
	salesforce = (name: string, parameters: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
		name,
		type: BUILTIN_NODE_TYPE,
		typeVersion: 1,
		parameters: { authentication: 'oAuth2', resource: 'lead', ...parameters },
		credentials,
		...extra,
	});
	await importWorkflows(folder.userFolder, [
		linearWorkflow('builtinLeads0001', [
			salesforce('Create Lead', {
				operation: 'create',
				company: 'Analytical Engines Ltd',
				lastname: 'Lovelace',
				additionalFields: { firstname: 'Ada', email: 'ada@example.com' },
			}),
			salesforce('Get Lead', { operation: 'get', leadId: '={{ $json.id }}' }),
			salesforce('Get Many Leads', { operation: 'getAll', returnAll: false, limit: 5 }, { executeOnce: true }),
		]),
		sideBySide.create.builtin(),
		sideBySide.create.ours(),
	]);
}, 300_000);

afterAll(async () => {
	await emulator?.close();
	folder?.cleanup();
});

describe("n8n's built-in Salesforce node against the emulator", () => {
	it('creates, gets and lists leads through `n8n execute`', async () => {
		emulator.requests.reset();
		const result = await executeWorkflow(folder.userFolder, 'builtinLeads0001');
		expect(result.error, result.stdout).toBeUndefined();
		expect(result.ok).toBe(true);

		const [created] = nodeOutput(result.run, 'Create Lead');
		expect(created).toMatchObject({ success: true, errors: [] });
		expect(created.id).toMatch(/^00Q[a-zA-Z0-9]{15}$/);

		const [lead] = nodeOutput(result.run, 'Get Lead');
		expect(lead).toMatchObject({ Id: created.id, LastName: 'Lovelace', FirstName: 'Ada', Company: 'Analytical Engines Ltd' });
		expect(emulator.store.get('Lead', created.id as string)).toMatchObject({ Email: 'ada@example.com' });

		const many = nodeOutput(result.run, 'Get Many Leads');
		expect(many.length).toBe(5);
		for (const record of many) expect(record.Id).toMatch(/^00Q/);

		const counts = emulator.requests.counts();
		console.log(`built-in node: n8n execute ${result.ms} ms; emulator API calls ${JSON.stringify(counts)}`);
		expect(counts.token).toBe(0);
		expect(counts.data).toBeGreaterThanOrEqual(3);
	});
});

describe("the built-in Salesforce node and ours, side by side", () => {
	const ids = (scenario: keyof typeof sideBySide): Record<Side, string> => ({
		builtin: (sideBySide[scenario].builtin(created.builtin) as { id: string }).id,
		ours: (sideBySide[scenario].ours(created.ours) as { id: string }).id,
	});

	afterAll(() => {
		if (!callTable.length) return;
		const cell = (c: RequestCounts) => `${c.data} data + ${c.token} token`.padEnd(22);
		const lines = [
			`API calls per scenario (emulator request log), ${N} items where the scenario takes items:`,
			`${'scenario'.padEnd(28)}${'built-in node'.padEnd(22)}ours`,
			...callTable.map((row) => `${row.scenario.padEnd(28)}${cell(row.builtin)}${cell(row.ours)}`),
		];
		console.log(lines.join('\n'));
	});

	it(`create ${N} leads: the same records, one call per item vs batches`, async () => {
		const out = await runBoth(`create ${N} leads`, ids('create'));
		created.builtin = out.builtin.map((r) => r.id as string);
		created.ours = out.ours.map((r) => r.Id as string);
		for (const side of SIDES) expect(created[side]).toHaveLength(N);
		for (let i = 0; i < N; i++) {
			const builtin = pick(emulator.store.get('Lead', created.builtin[i]), SHARED_FIELDS);
			expect(builtin).toEqual(rows[i]);
			expect(pick(emulator.store.get('Lead', created.ours[i]), SHARED_FIELDS)).toEqual(builtin);
		}
		const last = callTable.at(-1)!;
		expect(last.builtin.data).toBe(N);
		expect(last.ours.data).toBeLessThanOrEqual(3); // (describe) + one Collections call of 200 records
		// The follow-up scenarios address the records each side created.
		await importWorkflows(
			folder.userFolder,
			(['get', 'getAll', 'update', 'delete'] as const).flatMap((s) => [sideBySide[s].builtin(created.builtin), sideBySide[s].ours(created.ours)]),
		);
	});

	it('get a lead: the same field values', async () => {
		const out = await runBoth('get a lead', ids('get'));
		expect(out.builtin[0].Id).toBe(created.builtin[0]);
		expect(out.ours[0].Id).toBe(created.ours[0]);
		expect(pick(out.ours[0], SHARED_FIELDS)).toEqual(pick(out.builtin[0], SHARED_FIELDS));
		expect(pick(out.ours[0], SHARED_FIELDS)).toEqual(rows[0]);
	});

	it("get many with a filter (LastName = 'Side 7'): the same records", async () => {
		const out = await runBoth('get many, filtered', ids('getAll'));
		const expected = [created.builtin[7], created.ours[7]].sort();
		// The built-in returns `Id` (its default field list starts with id); compare ids and the fields both return.
		const idsOf = (records: Array<Record<string, unknown>>) => records.map((r) => (r.Id ?? r.id) as string).sort();
		expect(idsOf(out.builtin)).toEqual(expected);
		expect(idsOf(out.ours)).toEqual(expected);
		const byIdOf = (records: Array<Record<string, unknown>>) => new Map(records.map((r) => [(r.Id ?? r.id) as string, r]));
		const [b, o] = [byIdOf(out.builtin), byIdOf(out.ours)];
		// Ours returns its "useful" field set by default (no City), the built-in its fixed list: compare what both return.
		const both = SHARED_FIELDS.filter((f) => f in out.builtin[0] && f in out.ours[0]);
		expect(both).toEqual(expect.arrayContaining(['LastName', 'FirstName', 'Company', 'Email']));
		for (const id of expected) expect(pick(o.get(id), both)).toEqual(pick(b.get(id), both));
	});

	it(`update ${N} leads: the same values written`, async () => {
		await runBoth(`update ${N} leads`, ids('update'));
		for (let i = 0; i < N; i++) {
			const builtin = emulator.store.get('Lead', created.builtin[i]);
			const ourRecord = emulator.store.get('Lead', created.ours[i]);
			expect(builtin?.Title).toBe(`Title ${i}`);
			expect(pick(ourRecord, [...SHARED_FIELDS, 'Title'])).toEqual(pick(builtin, [...SHARED_FIELDS, 'Title']));
		}
		const last = callTable.at(-1)!;
		expect(last.builtin.data).toBe(N);
		expect(last.ours.data).toBeLessThanOrEqual(3);
	});

	it(`delete ${N} leads: all in the Recycle Bin on both sides`, async () => {
		await runBoth(`delete ${N} leads`, ids('delete'));
		for (const side of SIDES) {
			for (const id of created[side]) expect(emulator.store.get('Lead', id)).toMatchObject({ IsDeleted: true });
		}
		const last = callTable.at(-1)!;
		expect(last.builtin.data).toBe(N);
		expect(last.ours.data).toBeLessThanOrEqual(3);
	});
});
