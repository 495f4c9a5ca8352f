import type { IExecuteFunctions } from 'n8n-workflow';

import { UnknownFieldError } from '../../helpers/soql';
import { DESCRIBE_FRESH_FOR_MS, type DescribeResult, type SalesforceClient, type SalesforceRecord } from '../../transport';
import { errorCodeOf } from '../../transport/errors';
import { fieldsByName, itemFields, recordFromFields } from './records';

const isUnknownField = (error: unknown): boolean => error instanceof UnknownFieldError;

/** A field name Salesforce did not know (INVALID_FIELD), or one the describe in hand does not list. */
export const isStaleField = (error: unknown): boolean => isUnknownField(error) || errorCodeOf(error) === 'INVALID_FIELD';

/**
 * The describe result of an sObject for one execution, from the describe shared across executions (transport,
 * describe.ts): no call while it was checked within DESCRIBE_FRESH_FOR_MS, so a workflow that writes or reads one
 * record per run costs one API call, not two. A field name missing from it (a field created since), or one Salesforce
 * no longer knows (INVALID_FIELD), leads to one revalidation before anything fails.
 */
export class ObjectSchema {
	private constructor(
		private readonly client: SalesforceClient,
		readonly sobject: string,
		public describe: DescribeResult,
	) {}

	static async load(client: SalesforceClient, sobject: string): Promise<ObjectSchema> {
		return new ObjectSchema(client, sobject, await client.describe(sobject, { maxAgeMs: DESCRIBE_FRESH_FOR_MS }));
	}

	/** Revalidates the describe (once per execution); false when Salesforce has nothing newer than the one in hand. */
	async refresh(): Promise<boolean> {
		const latest = await this.client.revalidatedDescribe(this.sobject);
		if (latest === this.describe) return false;
		this.describe = latest;
		return true;
	}

	/**
	 * The record an item's Fields parameters describe (see itemFields and recordFromFields), describing again first if
	 * a field name is unknown.
	 */
	async itemRecord(ctx: IExecuteFunctions, itemIndex: number): Promise<SalesforceRecord> {
		const { fields, dropEmpty } = itemFields(ctx, itemIndex, this.describe);
		const known = fieldsByName(this.describe);
		if (Object.keys(fields).some((name) => !known.has(name.toLowerCase()))) await this.refresh();
		return recordFromFields(ctx, itemIndex, this.describe, fields, { dropEmpty });
	}

	/** Runs `build` with the describe result; when it fails for lack of a field, describes again once and retries. */
	async withRetryOnStale<T>(build: (describe: DescribeResult) => T | Promise<T>, isStale = isUnknownField): Promise<T> {
		let failure: unknown;
		try {
			return await build(this.describe);
		} catch (error) {
			failure = error;
		}
		if (isStale(failure) && (await this.refresh())) return await build(this.describe);
		throw failure;
	}
}
