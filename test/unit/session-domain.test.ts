// openSession's check of the credential's domain: a DomainError becomes a NodeOperationError naming the field;
// any other error is a bug and goes up as itself, not as a domain to fix.
import { NodeOperationError, type INode } from 'n8n-workflow';
import { describe, expect, it, vi } from 'vitest';

import * as domain from '../../nodes/Salesforce/helpers/domain';
import { openSession } from '../../nodes/Salesforce/transport/auth';
import type { SalesforceContext } from '../../nodes/Salesforce/transport/context';

vi.mock('../../nodes/Salesforce/helpers/domain', async (importOriginal) => {
	const actual = await importOriginal<typeof domain>();
	return { ...actual, parseSalesforceDomain: vi.fn(actual.parseSalesforceDomain) };
});

const node = { name: 'Salesforce', type: 'salesforceCrm', typeVersion: 2, position: [0, 0], parameters: {} } as unknown as INode;
const contextWith = (domainField: string) =>
	({
		getNode: () => node,
		getCredentials: async () => ({ domain: domainField, grantType: 'clientCredentials', clientSecret: 'secret', oauthTokenData: {} }),
	}) as unknown as SalesforceContext;

describe('openSession: the credential domain', () => {
	it('reports a refused domain as the credential field to fix', async () => {
		const error = await openSession(contextWith('example.com'), { timeoutSeconds: 1 }).catch((reason: unknown) => reason);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error).toMatchObject({ description: 'Field: Salesforce Domain (in the credential)' });
	});

	it('does not report an error that is no DomainError as the domain to fix', async () => {
		const bug = new TypeError('a bug, not a domain');
		vi.mocked(domain.parseSalesforceDomain).mockImplementationOnce(() => {
			throw bug;
		});
		const error = await openSession(contextWith('acme.my.salesforce.com'), { timeoutSeconds: 1 }).catch((reason: unknown) => reason);
		expect(error).toMatchObject({ message: bug.message, cause: bug });
		expect((error as NodeOperationError).description ?? '').not.toContain('Salesforce Domain');
	});
});
