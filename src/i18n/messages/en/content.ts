/** English: content. */
export const content = {
  'post_language.label': 'The language you’re writing in',
  'post_language.hint': 'Readers’ browsers and other servers use it (for reading aloud, translating and searching). It starts as your own language.',
  'post_language.unknown': 'Choose the language of your post from the list.',
} as const;
