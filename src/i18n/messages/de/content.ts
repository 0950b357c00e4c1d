import type { Catalogue } from '../index.js';

export const content: Catalogue<'content'> = {
  'post_language.label': 'Sprache deines Beitrags',
  'post_language.hint': 'Browser und andere Server nutzen sie (zum Vorlesen, Übersetzen und Suchen). Voreingestellt ist deine eigene Sprache.',
  'post_language.unknown': 'Wähle die Sprache deines Beitrags aus der Liste.',
};
