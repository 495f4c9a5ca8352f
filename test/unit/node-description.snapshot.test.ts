// Proof that refactors leave the nodes' parameters as the editor shows them: their full `description.properties`
// must equal the fixture recorded from the released code. Regenerate (only for an intended change) with
// `UPDATE_DESCRIPTION_FIXTURE=1 npx vitest run --config test/vitest.config.ts test/unit/node-description.snapshot.test.ts`.
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

import { SalesforceCrm } from '../../nodes/Salesforce/SalesforceCrm.node';
import { SalesforceCrmInstantTrigger } from '../../nodes/Salesforce/SalesforceCrmInstantTrigger.node';
import { SalesforceCrmTrigger } from '../../nodes/Salesforce/SalesforceCrmTrigger.node';

const fixtureUrl = new URL('../fixtures/node-description-properties.json', import.meta.url);

/** What n8n serialises of the properties (functions and undefined values never reach the editor). */
const current = JSON.parse(
	JSON.stringify({
		crm: new SalesforceCrm().description.properties,
		trigger: new SalesforceCrmTrigger().description.properties,
		instantTrigger: new SalesforceCrmInstantTrigger().description.properties,
	}),
) as Record<'crm' | 'trigger' | 'instantTrigger', unknown[]>;

if (process.env.UPDATE_DESCRIPTION_FIXTURE === '1') writeFileSync(fixtureUrl, `${JSON.stringify(current, null, '\t')}\n`);

const recorded = JSON.parse(readFileSync(fixtureUrl, 'utf8')) as typeof current;

describe('node description properties', () => {
	it.each(['crm', 'trigger', 'instantTrigger'] as const)('%s node equals the recorded fixture', (node) => {
		expect(current[node]).toStrictEqual(recorded[node]);
	});
});
