// Stand-in for the generated models.ts, so runtime/ type-checks where it is written (tsconfig.runtime.json).
// Never copied into output: the generator renders the real module from the spec's payload schemas.

export interface Call {
  id: number;
  direction: 'inbound' | 'outbound' | null;
}

export interface CallCreatedWebhook {
  resource: string;
  event: 'call.created';
  timestamp: number;
  token: string;
  data: Call;
}

export interface Contact {
  id: number;
  first_name?: string | null;
}

export interface ContactCreatedWebhook {
  resource: string;
  event: 'contact.created';
  timestamp: number;
  token: string;
  data: Contact;
}
