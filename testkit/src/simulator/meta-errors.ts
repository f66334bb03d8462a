/**
 * The Cloud API error codes this system reacts to, with Meta's titles and
 * details, so simulated failures (HTTP responses and `failed` statuses) read
 * like real ones. Not exhaustive: unknown codes get a generic title.
 */
export const META_ERRORS: Readonly<Record<number, { title: string; details: string }>> = {
  1: { title: 'API Unknown', details: 'Invalid request or possible server error.' },
  2: { title: 'API Service', details: 'Temporary due to downtime or due to being overloaded.' },
  4: { title: 'API Too Many Calls', details: 'The app has reached its API call rate limit.' },
  100: { title: 'Invalid parameter', details: 'The request included one or more unsupported or misspelled parameters.' },
  190: { title: 'Access token has expired', details: 'Your access token has expired.' },
  80007: { title: 'Rate limit issues', details: 'The WhatsApp Business Account has reached its rate limit.' },
  130429: { title: 'Rate limit hit', details: 'Cloud API message throughput has been reached.' },
  131000: { title: 'Something went wrong', details: 'Message failed to send due to an unknown error.' },
  131009: { title: 'Parameter value is not valid', details: 'One or more parameter values are invalid.' },
  131026: { title: 'Message undeliverable', details: 'Unable to deliver message.' },
  131047: {
    title: 'Re-engagement message',
    details: 'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
  },
  131048: {
    title: 'Spam rate limit hit',
    details: 'Message failed to send because there are restrictions on how many messages can be sent from this phone number.',
  },
  131051: { title: 'Unsupported message type', details: 'Message type is currently not supported.' },
  131056: {
    title: '(Business Account, Consumer Account) pair rate limit hit',
    details:
      'Message failed to send because there were too many messages sent from this phone number to the same phone number in a short period of time.',
  },
  132000: { title: 'Number of parameters does not match the expected number of params', details: 'Template parameter count mismatch.' },
  132001: { title: 'Template does not exist', details: 'Template name does not exist in the translation.' },
  133004: { title: 'Server temporarily unavailable', details: 'Service is temporarily unavailable.' },
};

/** The `errors[]` entry Meta puts in `failed` statuses and `unsupported` messages. */
export function metaErrorEntry(code: number, details?: string) {
  const known = META_ERRORS[code] ?? { title: 'Unknown error', details: 'Unknown error.' };
  return {
    code,
    title: known.title,
    message: known.title,
    error_data: { details: details ?? known.details },
    href: 'https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/',
  };
}

/** The JSON body of a failed Graph API call (`{error:{message,type,code,...}}`). */
export function graphErrorBody(code: number, details?: string, traceId = 'A' + Math.random().toString(36).slice(2, 14)) {
  const known = META_ERRORS[code] ?? { title: 'Unknown error', details: 'Unknown error.' };
  return {
    error: {
      message: `(#${code}) ${known.title}`,
      type: 'OAuthException',
      code,
      error_data: { messaging_product: 'whatsapp', details: details ?? known.details },
      fbtrace_id: traceId,
    },
  };
}

/** Default Graph error code for an injected HTTP status. */
export function defaultCodeForStatus(status: number): number {
  if (status === 429) return 130429;
  if (status === 401) return 190;
  if (status === 503) return 133004;
  if (status >= 500) return 131000;
  return 100;
}
