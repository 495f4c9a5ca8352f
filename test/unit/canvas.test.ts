// What the editor shows around the nodes: the canvas subtitle, evaluated by n8n's expression engine as its editor does
// (Expression.getSimpleParameterValue on the node's parameters), and the Docs link.
import { readFileSync } from 'node:fs';
import type { INode, INodeParameters, INodePropertyOptions, INodeType } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';
import { describe, expect, it } from 'vitest';

import { SalesforceCrm } from '../../nodes/Salesforce/SalesforceCrm.node';
import { SalesforceCrmInstantTrigger } from '../../nodes/Salesforce/SalesforceCrmInstantTrigger.node';
import { SalesforceCrmTrigger } from '../../nodes/Salesforce/SalesforceCrmTrigger.node';

/** The subtitle the editor shows for a node of `nodeType` with `parameters`. */
async function subtitle(nodeType: INodeType, parameters: INodeParameters): Promise<unknown> {
	const node: INode = { id: '1', name: 'node', type: nodeType.description.name, typeVersion: 1, position: [0, 0], parameters };
	const workflow = new Workflow({
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: { getByName: () => undefined, getByNameAndVersion: () => undefined, getKnownTypes: () => ({}) } as never,
	});
	await workflow.expression.acquireIsolate();
	try {
		return workflow.expression.getSimpleParameterValue(node, nodeType.description.subtitle as string, 'internal', {});
	} finally {
		await workflow.expression.releaseIsolate();
	}
}

describe('canvas subtitle', () => {
	const crm = new SalesforceCrm();

	it('reads like the lists: "Get Many: Opportunity"', async () => {
		expect(await subtitle(crm, { resource: 'opportunity', operation: 'getAll' })).toBe('Get Many: Opportunity');
		expect(await subtitle(crm, { resource: 'search', operation: 'query' })).toBe('SOQL Query: Search');
		expect(await subtitle(crm, { resource: 'anyObject', operation: 'upsert' })).toBe('Create or Update: Any Object');
		expect(await subtitle(crm, { resource: 'someday', operation: 'merge' })).toBe('merge: someday');
		expect(await subtitle(new SalesforceCrmTrigger(), { event: 'createdOrUpdated', sobject: 'Contact' })).toBe('Created or Updated: Contact');
		expect(await subtitle(new SalesforceCrmTrigger(), { event: 'deleted', sobject: 'other', otherObject: 'Invoice__c' })).toBe('Deleted: Invoice__c');
		const instant = new SalesforceCrmInstantTrigger();
		expect(await subtitle(instant, { events: ['created', 'updated'], sobject: 'Lead' })).toBe('Created, Updated: Lead');
		expect(await subtitle(instant, { events: ['undeleted'], sobject: 'other', otherObject: 'Invoice__c' })).toBe('Undeleted: Invoice__c');
	});

	it('names every operation of every resource as its Operation list does', async () => {
		const properties = crm.description.properties;
		const resources = properties.find((property) => property.name === 'resource')!.options as INodePropertyOptions[];
		for (const resource of resources) {
			const operations = properties.find((property) => property.name === 'operation' && property.displayOptions?.show?.resource?.includes(resource.value))!;
			for (const operation of operations.options as INodePropertyOptions[]) {
				expect(await subtitle(crm, { resource: resource.value, operation: operation.value })).toBe(`${operation.name}: ${resource.name}`);
			}
		}
	});
});

describe('Docs link', () => {
	const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
	/** GitHub's anchor of a heading: lower case, spaces to hyphens, punctuation dropped. */
	const anchors = new Set([...readme.matchAll(/^#+ (.+)$/gm)].map(([, heading]) => heading.toLowerCase().replace(/[^\w\- ]/g, '').replace(/ /g, '-')));

	it.each([
		['SalesforceCrm', new SalesforceCrm()],
		['SalesforceCrmTrigger', new SalesforceCrmTrigger()],
		['SalesforceCrmInstantTrigger', new SalesforceCrmInstantTrigger()],
	])('%s links to its README section, as n8n opens it (an https URL, no query appended)', (file, nodeType) => {
		const url = nodeType.description.documentationUrl!;
		expect(url).toMatch(/^https:\/\/github\.com\/n8n-nodes-salesforce\/n8n-nodes-salesforce#[a-z-]+$/);
		expect(anchors).toContain(url.split('#')[1]);
		const codex = JSON.parse(readFileSync(new URL(`../../nodes/Salesforce/${file}.node.json`, import.meta.url), 'utf8')) as {
			resources: { primaryDocumentation: Array<{ url: string }> };
		};
		expect(codex.resources.primaryDocumentation[0].url).toBe(url);
	});
});
