import { strToU8, zipSync } from 'fflate';
import { exportToHtml } from '../domain/leaving/export-html.js';
import type { MemberExport } from '../domain/leaving/leaving.js';

/** The two files inside an export. */
export const EXPORT_FILES = { json: 'hearth-export.json', html: 'hearth-export.html' } as const;

/** `hearth-export-HANDLE-YYYY-MM-DD.zip` */
export function exportFileName(doc: MemberExport): string {
  return `hearth-export-${doc.handle}-${doc.exportedAt.slice(0, 10)}.zip`;
}

/** The zip a member downloads: the export as JSON (for programs) and as a readable page. */
export function exportArchive(doc: MemberExport): Buffer {
  const mtime = new Date(doc.exportedAt);
  const { titles: _titles, ...json } = doc;
  const zip = zipSync(
    {
      [EXPORT_FILES.json]: [strToU8(`${JSON.stringify(json, null, 2)}\n`), { mtime }],
      [EXPORT_FILES.html]: [strToU8(exportToHtml(doc)), { mtime }],
    },
    { level: 6 },
  );
  return Buffer.from(zip.buffer, zip.byteOffset, zip.byteLength);
}
