// README's "Parity with n8n's built-in Salesforce node" kept honest: the built-in node's description is read from the
// installed n8n-nodes-base (unmodified), every resource and its operations extracted, and the README's table must list
// exactly those resource/operation pairs, by their names in the editor. For each, the table names what this package
// offers — one of our node's resource/operation pairs, by its names in our editor — or "—" with the reason, and what
// ours adds.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { INodeProperties, INodeTypeDescription } from 'n8n-workflow';
import { beforeAll, describe, expect, it } from 'vitest';

import { SalesforceCrm } from '../../nodes/Salesforce/SalesforceCrm.node';
import { installN8n, n8nPaths, root } from '../n8n/install.mjs';

const SECTION = "## Parity with n8n's built-in Salesforce node";

interface Operation {
	resource: string;
	operation: string;
	/** As the editor shows them. */
	resourceName: string;
	operationName: string;
}
const key = ({ resource, operation }: Pick<Operation, 'resource' | 'operation'>) => `${resource}:${operation}`;

/** Every resource/operation pair a node's description offers, with the names its editor shows. */
function operationsOf(description: INodeTypeDescription): Map<string, Operation> {
	const resources = description.properties.find((property) => property.name === 'resource')?.options as Array<{ name: string; value: string }>;
	const pairs = new Map<string, Operation>();
	for (const property of description.properties.filter((p: INodeProperties) => p.name === 'operation')) {
		for (const resource of (property.displayOptions?.show?.resource ?? []) as string[]) {
			const resourceName = resources.find((option) => option.value === resource)!.name;
			for (const option of property.options as Array<{ name: string; value: string }>) {
				const operation = { resource, operation: option.value, resourceName, operationName: option.name };
				pairs.set(key(operation), operation);
			}
		}
	}
	return pairs;
}

/** A cell naming an operation: `Resource / Operation (`resource:operation`)`, optionally followed by text. */
const OPERATION_CELL = /^(?<resourceName>[^/]+?) \/ (?<operationName>.+?) \(`(?<resource>\w+):(?<operation>\w+)`\)/;

function parseOperation(cell: string): Operation | undefined {
	const groups = OPERATION_CELL.exec(cell)?.groups;
	return groups ? { resource: groups.resource, operation: groups.operation, resourceName: groups.resourceName, operationName: groups.operationName } : undefined;
}

/** The rows of the section's table: each row's cells. */
function readmeTable(): string[][] {
	const readme = readFileSync(join(root, 'README.md'), 'utf8');
	const start = readme.indexOf(`\n${SECTION}\n`);
	expect(start, `README.md has no section "${SECTION}"`).toBeGreaterThan(0);
	const body = readme.slice(start + SECTION.length + 2).split(/\n## /)[0];
	const lines = body.split('\n').filter((line) => line.startsWith('|'));
	expect(lines[1], 'the table header separator').toMatch(/^\|( --- \|)+$/);
	return lines.slice(2).map((line) => line.slice(1, -1).split(' | ').map((cell) => cell.trim()));
}

let builtin: Map<string, Operation>;
let ours: Map<string, Operation>;
let rows: string[][];

beforeAll(async () => {
	await installN8n();
	const requireFromN8n = createRequire(join(n8nPaths().dir, 'node_modules', 'n8n-nodes-base', 'package.json'));
	const { Salesforce } = requireFromN8n('./dist/nodes/Salesforce/Salesforce.node.js');
	builtin = operationsOf(new Salesforce().description);
	ours = operationsOf(new SalesforceCrm().description);
	rows = readmeTable();
}, 1_200_000);

describe("README's parity table with n8n's built-in Salesforce node", () => {
	it('the installed built-in node is the one the table was written for: its resources and operations are read', () => {
		// A sanity floor (n8n 2.41.1 has 12 resources, 65 pairs): a description we failed to read would list none.
		expect(new Set([...builtin.values()].map((o) => o.resource)).size).toBeGreaterThanOrEqual(12);
		expect(builtin.get('customObject:upsert')).toMatchObject({ resourceName: 'Custom Object', operationName: 'Create or Update' });
	});

	it('lists exactly the built-in resource/operation pairs, once each, by their names in the editor', () => {
		const listed = rows.map((cells) => {
			const operation = parseOperation(cells[0]);
			expect(operation, `first cell "${cells[0]}": Resource / Operation (\`resource:operation\`)`).toBeDefined();
			return operation!;
		});
		expect(listed.map(key).sort()).toEqual([...builtin.keys()].sort());
		expect(new Set(listed.map(key)).size).toBe(listed.length);
		for (const operation of listed) expect(operation, key(operation)).toEqual(builtin.get(key(operation)));
	});

	it('names for each one an operation of ours (by its names in our editor), or "—" with the reason, and what ours adds', () => {
		const problems: string[] = [];
		for (const [builtinCell, oursCell, adds] of rows) {
			if (!/\w{3}/.test(adds ?? '')) problems.push(`${builtinCell}: what ours adds is empty`);
			if (oursCell.startsWith('—')) {
				if (!/^— \S.{9,}/.test(oursCell)) problems.push(`${builtinCell}: "—" needs the reason`);
				continue;
			}
			const operation = parseOperation(oursCell);
			if (!operation) problems.push(`${builtinCell}: "${oursCell}" names no operation: Resource / Operation (\`resource:operation\`)`);
			else {
				const offered = ours.get(key(operation));
				if (!offered) problems.push(`${builtinCell}: this package has no ${key(operation)}`);
				else if (offered.resourceName !== operation.resourceName || offered.operationName !== operation.operationName) {
					problems.push(`${builtinCell}: our editor names ${key(operation)} "${offered.resourceName} / ${offered.operationName}"`);
				}
			}
		}
		expect(problems).toEqual([]);
	});
});
