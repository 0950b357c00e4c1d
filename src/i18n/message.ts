import type { MessageKey } from './messages/index.js';

/**
 * A value a message can hold: words, a number (formatted in the reader's
 * locale), a date, or another message (a field's label inside a sentence
 * about it), put into the same language.
 */
export type MessageValue = string | number | Date | MessageRef;
export type MessageValues = { readonly [name: string]: MessageValue };

/**
 * Words for people, not yet in any language: a catalogue key and its values.
 * Services and rules say what to tell people with these; the web layer (or
 * mail, or federation) puts them into the reader's language.
 */
export interface MessageRef {
  readonly key: MessageKey;
  readonly values?: MessageValues;
}

export function msg(key: MessageKey, values?: MessageValues): MessageRef {
  return values ? { key, values } : { key };
}

export function isMessageRef(value: unknown): value is MessageRef {
  return typeof value === 'object' && value !== null && typeof (value as { key?: unknown }).key === 'string';
}
