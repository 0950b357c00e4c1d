import type { Catalogue } from '../index.js';

export const content: Catalogue<'content'> = {
  'post_language.label': 'Idioma de tu publicación',
  'post_language.hint': 'Los navegadores y otros servidores lo usan (para leer en voz alta, traducir y buscar). De entrada es tu propio idioma.',
  'post_language.unknown': 'Elige el idioma de tu publicación de la lista.',
};
