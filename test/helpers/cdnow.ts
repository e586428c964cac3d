import fs from 'node:fs';
import path from 'node:path';

/** ../shared/data/cdnow beside the repository; absent in a user's fresh clone. */
export const CDNOW_DIR = path.resolve(__dirname, '../../../shared/data/cdnow');

export const cdnowAvailable = fs.existsSync(path.join(CDNOW_DIR, 'CDNOW_sample.txt'));

export interface CdnowOrder {
  sampleId: number;
  date: string;
  amount: string;
}

/** The 1/10 sample: whitespace-separated master id, sample id, YYYYMMDD, CDs, dollars. */
export function readCdnowSample(): CdnowOrder[] {
  return fs
    .readFileSync(path.join(CDNOW_DIR, 'CDNOW_sample.txt'), 'utf8')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const [, sampleId, ymd, , dollars] = line.split(/\s+/);
      return {
        sampleId: Number(sampleId),
        date: `${ymd!.slice(0, 4)}-${ymd!.slice(4, 6)}-${ymd!.slice(6, 8)}`,
        amount: Number(dollars).toFixed(2),
      };
    });
}

export function skipNotice(what: string): void {
  if (!cdnowAvailable) console.warn(`SKIPPED ${what}: ${CDNOW_DIR} is absent (it is present in CI).`);
}
