// Salesforce's error shapes: REST `[{message, errorCode, fields}]`, record results `{statusCode, message, fields}`.
export class SalesforceError extends Error {
	readonly errorCode: string;
	readonly fields: string[];
	readonly httpStatus: number;
	/** Replaces the usual error list as the response body (300 Multiple Choices lists URLs). */
	readonly body: unknown;

	constructor(errorCode: string, message: string, options: { fields?: string[]; httpStatus?: number; body?: unknown } = {}) {
		super(message);
		this.errorCode = errorCode;
		this.fields = options.fields ?? [];
		this.httpStatus = options.httpStatus ?? 400;
		this.body = options.body;
	}

	toRestBody() {
		if (this.body !== undefined) return this.body;
		return [{ message: this.message, errorCode: this.errorCode, ...(this.fields.length ? { fields: this.fields } : {}) }];
	}

	toRecordError() {
		return { statusCode: this.errorCode, message: this.message, fields: this.fields };
	}
}

/**
 * A JSON string the REST API cannot read as the field's type (a date it does not recognise): Salesforce refuses the
 * request body with JSON_PARSER_ERROR ("Cannot deserialize instance of date from VALUE_STRING value …").
 */
export class UnreadableValueError extends SalesforceError {
	readonly field: string;
	readonly value: string;
	readonly soapType: string;

	constructor(field: string, soapType: string, value: string) {
		super('JSON_PARSER_ERROR', `Cannot deserialize instance of ${soapType} from VALUE_STRING value ${value} or request may be missing a required field`);
		this.field = field;
		this.value = value;
		this.soapType = soapType;
	}
}

export function notFound(message = 'The requested resource does not exist'): SalesforceError {
	return new SalesforceError('NOT_FOUND', message, { httpStatus: 404 });
}
