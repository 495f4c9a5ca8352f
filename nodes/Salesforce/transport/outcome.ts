import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { NoAnswerError } from './http';

export const OUTCOME_UNKNOWN = 'OUTCOME_UNKNOWN';

export interface OutcomeUnknownOptions {
	/** What was lost, e.g. 'the connection closed before Salesforce answered' or 'no answer within 120 s (option Timeout)'. */
	reason: string;
	/** The write whose outcome is unknown, e.g. 'create' or 'Bulk API 2.0 insert job 750…'. */
	operation: string;
	/** What may have happened and how the user can find out; defaults to advice for a record create. */
	check?: string;
	itemIndex?: number;
	/** The transport's account of what was lost, when it came from the transport. */
	noAnswer?: NoAnswerError;
}

const DEFAULT_CHECK =
	'The record may exist in Salesforce. Before running the workflow again, look it up (e.g. by a unique or External ID field); to make reruns safe, use Create or Update (upsert) by an External ID field instead of Create.';

/**
 * A write whose answer never arrived: the request was sent, then the connection dropped or the answer timed out.
 * Salesforce may have saved it, so this is neither a success nor a failure. Its json carries
 * `errorCode: 'OUTCOME_UNKNOWN'` and `outcome: 'unknown'`.
 */
export class OutcomeUnknownError extends NodeApiError {
	readonly errorCode = OUTCOME_UNKNOWN;

	readonly reason: string;

	readonly noAnswer?: NoAnswerError;

	constructor(node: INode, options: OutcomeUnknownOptions) {
		const message = `${OUTCOME_UNKNOWN}: ${options.reason}, so the ${options.operation} may or may not have been saved`;
		const response: JsonObject = { errorCode: OUTCOME_UNKNOWN, outcome: 'unknown', message, fields: [] };
		super(node, response, {
			message,
			description: options.check ?? DEFAULT_CHECK,
			itemIndex: options.itemIndex,
		});
		this.reason = options.reason;
		this.noAnswer = options.noAnswer;
	}

	/** The same lost answer told in terms of what was being written (the transport only knows it was a write). */
	retold(node: INode, operation: string, check?: string): OutcomeUnknownError {
		return new OutcomeUnknownError(node, { operation, reason: this.reason, check, noAnswer: this.noAnswer });
	}
}

